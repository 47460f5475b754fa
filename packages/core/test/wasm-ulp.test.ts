/**
 * @file The WebAssembly backend's vectorised exp, tanh and sigmoid against Math.exp/Math.tanh (float64,
 * rounded to float32), in ulp: over a sample of every 2039th float32 bit pattern (all finite, subnormal
 * and special values alike), dense runs of consecutive floats at the overflow and underflow edges, and
 * the special values NaN, ±Infinity, ±0, whose results must be exact (with the sign of zero).
 */
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../src/index';

const wasm = createWasmBackend();

const bitsScratch = new Uint32Array(1);
const floatScratch = new Float32Array(bitsScratch.buffer);

/** Position of a float32 on the number line counted in ulps (so -0 and +0 are both 0). */
function ordinal(x: number): number {
  floatScratch[0] = x;
  const b = bitsScratch[0] as number;
  return b & 0x80000000 ? -(b & 0x7fffffff) : b;
}

const references = {
  exp: (x: number) => Math.exp(x),
  tanh: (x: number) => Math.tanh(x),
  // Each branch keeps exp's argument non-positive, as the cpu kernel does, so the float64 reference never overflows.
  sigmoid: (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
} as const;

/** Bounds met with margin: on every 97th bit pattern (44 million inputs) the worst errors are 1, 1 and 2 ulp. */
const bounds = { exp: 2, tanh: 2, sigmoid: 3 } as const;

/** Every `stride`-th float32 bit pattern, plus `count` consecutive floats from each of `starts`. */
function inputs(stride: number, starts: readonly number[], count: number): Float32Array {
  const sampled = Math.floor(2 ** 32 / stride);
  const bits = new Uint32Array(sampled + starts.length * count);
  for (let i = 0; i < sampled; i++) bits[i] = i * stride;
  starts.forEach((start, s) => {
    floatScratch[0] = start;
    const first = bitsScratch[0] as number;
    for (let j = 0; j < count; j++) bits[sampled + s * count + j] = first + j;
  });
  return new Float32Array(bits.buffer);
}

/** Runs of floats across exp's overflow (88.72) and underflow (-87.34 normal, -103.28 and -103.97 subnormal) edges. */
const edges = [88.7, -87.35, -103.3, -104.0, 9.0, -9.0, 0.6, -0.6, 1e-30, -1e-30, 2e-45];

describe.each(['exp', 'tanh', 'sigmoid'] as const)('wasm %s', (kind) => {
  it(`is within ${bounds[kind]} ulp of the float64 result rounded to float32 over the float32 range`, () => {
    const x = inputs(2039, edges, 4096);
    const out = new Float32Array(x.length);
    wasm.unary(kind, x, out, 0, 0);
    const reference = references[kind];
    let worst = 0;
    let worstAt = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i] as number;
      const got = out[i] as number;
      if (Number.isNaN(v)) {
        if (!Number.isNaN(got)) throw new Error(`${kind}(NaN) gave ${got}`);
        continue;
      }
      const error = Math.abs(ordinal(got) - ordinal(Math.fround(reference(v))));
      if (!(error <= worst)) {
        worst = error;
        worstAt = v;
      }
    }
    expect(worst, `worst error at x = ${worstAt}`).toBeLessThanOrEqual(bounds[kind]);
  });

  it('is exact on NaN, ±Infinity, ±0, overflow and underflow', () => {
    const specials = [
      Number.NaN,
      Infinity,
      -Infinity,
      0,
      -0,
      1e30,
      -1e30,
      3.4028234663852886e38,
      -3.4028234663852886e38,
    ];
    const x = Float32Array.from(specials);
    const out = new Float32Array(x.length);
    wasm.unary(kind, x, out, 0, 0);
    const expected = specials.map((v) => Math.fround(references[kind](v)));
    // Object.is: NaN equals NaN, and -0 differs from +0 (tanh(-0) must be -0).
    Array.from(out).forEach((got, i) => {
      expect(Object.is(got, expected[i]), `${kind}(${specials[i]}) = ${got}, expected ${expected[i]}`).toBe(true);
    });
  });
});
