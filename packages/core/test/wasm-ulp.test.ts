/**
 * @file The WebAssembly backend's vectorised exp, tanh, sigmoid, log, log1p and expm1 against Math's (float64,
 * rounded to float32), in ulp: over a sample of every 2039th float32 bit pattern (all finite, subnormal
 * and special values alike), dense runs of consecutive floats at the overflow and underflow edges, and
 * the special values NaN, ±Infinity, ±0, whose results must be exact (with the sign of zero).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallest } from '../src/backend/wasm/thresholds';
import { createWasmBackend } from '../src/index';

const wasm = createWasmBackend();

// Every kernel runs in WebAssembly here, however small the call.
const thresholds = { ...smallest };
beforeAll(() => {
  Object.assign(smallest, { strided: 0, unary: 0, reduce: 0 });
});
afterAll(() => {
  Object.assign(smallest, thresholds);
});

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
  log: (x: number) => Math.log(x),
  log1p: (x: number) => Math.log1p(x),
  expm1: (x: number) => Math.expm1(x),
} as const;

/**
 * Bounds met with margin: on every 97th bit pattern (44 million inputs) the worst errors are 1, 1 and 2 ulp
 * for exp, tanh and sigmoid, and 1 ulp each for log, log1p and expm1.
 */
const bounds = { exp: 2, tanh: 2, sigmoid: 3, log: 2, log1p: 2, expm1: 2 } as const;

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
/** log's: subnormals, both sides of 1 and of √½ (where the reduction switches); log1p's: near -1 and 0; expm1's: ±ln2/2 and -18. */
const moreEdges = {
  log: [1e-45, 1.1754942e-38, 0.99999, Math.SQRT1_2, Math.SQRT2, 3.4e38],
  log1p: [-0.99999, -1e-7, 1e-7, 0.4142, -0.2929, 1e10],
  expm1: [-18.0, -17.3, 0.3465, -0.3466, 1e-7, -1e-7, 88.7],
};

/** Inputs whose results are exact: log of negatives (NaN) and 1, log1p at -1 (-Infinity) and below, expm1's saturation. */
const specialsOf = { log: [-1, -1e30, 1], log1p: [-1, -2, -1e30], expm1: [-1e30, -100, 100, 1e30] };

describe.each(['exp', 'tanh', 'sigmoid', 'log', 'log1p', 'expm1'] as const)('wasm %s', (kind) => {
  it(`is within ${bounds[kind]} ulp of the float64 result rounded to float32 over the float32 range`, () => {
    const x = inputs(2039, [...edges, ...(kind in moreEdges ? moreEdges[kind as keyof typeof moreEdges] : [])], 4096);
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
      const expected = Math.fround(reference(v));
      if (Number.isNaN(expected)) {
        if (!Number.isNaN(got)) throw new Error(`${kind}(${v}) gave ${got}, expected NaN`);
        continue;
      }
      const error = Math.abs(ordinal(got) - ordinal(expected));
      if (!(error <= worst)) {
        worst = error;
        worstAt = v;
      }
    }
    expect(worst, `worst error at x = ${worstAt}`).toBeLessThanOrEqual(bounds[kind]);
  });

  it('is exact on NaN, ±Infinity, ±0, overflow and underflow', () => {
    const specials =
      kind in moreEdges
        ? [Number.NaN, Infinity, -Infinity, 0, -0, ...specialsOf[kind as keyof typeof moreEdges]]
        : [Number.NaN, Infinity, -Infinity, 0, -0, 1e30, -1e30, 3.4028234663852886e38, -3.4028234663852886e38];
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
