/**
 * @file Every WebAssembly kernel against the cpu one on the same inputs: matmul over sizes around the
 * micro-kernel (4 × 8) and cache tiles (128 rows, 256 deep, 1024 wide), 0-size and batched/broadcast
 * batches, within float32's accumulated rounding; add/sub/mul/div, neg and relu bit for bit (float64
 * arithmetic rounded to float32 is the correctly rounded float32 result); sums; broadcast, strided and
 * float64 operands; and memory exhaustion. wasm-elementwise.test.ts covers the other kernels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/backend/cpu/index';
import { wasmKernels } from '../src/backend/wasm/loader';
import { smallest } from '../src/backend/wasm/thresholds';
import type { TypedArray } from '../src/dtype';
import { type BinaryKind, createWasmBackend, type StridedView, setBackend, tensor, type UnaryKind } from '../src/index';
import { generator } from './helpers/sample';

const wasm = createWasmBackend();

// Every kernel runs in WebAssembly here, however small the call.
const thresholds = { ...smallest };
beforeAll(() => {
  Object.assign(smallest, { strided: 0, unary: 0, reduce: 0 });
});
afterAll(() => {
  Object.assign(smallest, thresholds);
});

function random(length: number, seed: number, scale = 1): Float32Array {
  const next = generator(seed);
  return Float32Array.from({ length }, () => (next() * 2 - 1) * scale);
}

function expectSameBits(actual: TypedArray, expected: TypedArray): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      throw new Error(`element ${i}: ${actual[i]} but the cpu kernel gives ${expected[i]}`);
    }
  }
}

describe('wasm matmul', () => {
  /**
   * |wasm - cpu| <= (k + 2)·2^-23·(|A|·|B|): float32 accumulation's error bound (k roundings of u = 2^-24 each,
   * doubled for slack) plus the cpu result's own final rounding.
   */
  function check(aOffsets: number[], bOffsets: number[], n: number, k: number, m: number, seed: number): void {
    const aLength = (Math.max(-1, ...aOffsets) >= 0 ? Math.max(...aOffsets) : 0) + n * k;
    const bLength = (Math.max(-1, ...bOffsets) >= 0 ? Math.max(...bOffsets) : 0) + k * m;
    const a = random(aLength, seed);
    const b = random(bLength, seed + 1);
    const ao = Int32Array.from(aOffsets);
    const bo = Int32Array.from(bOffsets);
    const size = aOffsets.length * n * m;
    const expected = new Float32Array(size);
    cpuBackend.matmul(a, b, expected, ao, bo, n, k, m);
    const bound = new Float32Array(size);
    cpuBackend.matmul(a.map(Math.abs), b.map(Math.abs), bound, ao, bo, n, k, m);
    const actual = new Float32Array(size).fill(Number.NaN); // every element must be written
    wasm.matmul(a, b, actual, ao, bo, n, k, m);
    for (let i = 0; i < size; i++) {
      const tolerance = (k + 2) * 2 ** -23 * (bound[i] as number);
      const error = Math.abs((actual[i] as number) - (expected[i] as number));
      if (!(error <= tolerance)) {
        throw new Error(
          `[${n}×${k}]·[${k}×${m}] element ${i}: ${actual[i]} vs ${expected[i]} (tolerance ${tolerance})`,
        );
      }
    }
  }

  const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31, 33];
  it.each(sizes)('matches the cpu kernel for n = %i against every k, m of the small sizes', (n) => {
    for (const k of sizes) for (const m of sizes) check([0], [0], n, k, m, n * 1000 + k * 31 + m);
  });

  it.each([
    [0, 5, 7],
    [5, 0, 7],
    [5, 7, 0],
    [0, 0, 0],
  ])('handles the 0-size product [%i×%i]·[%i×…] (k = 0 gives zeros)', (n, k, m) => {
    check([0], [0], n, k, m, 7);
  });

  it.each([
    [129, 17, 9],
    [4, 257, 8],
    [130, 513, 12],
    [6, 20, 1030],
    [67, 300, 1041],
  ])('matches across cache-tile edges: [%i×%i]·[%i×…]', (n, k, m) => {
    check([0], [0], n, k, m, n + k + m);
  });

  it('handles batched and broadcast batches (repeated offsets)', () => {
    const n = 5;
    const k = 9;
    const m = 11;
    // a: 3 distinct matrices; b: one matrix broadcast over the batch, then two alternating.
    check([0, n * k, 2 * n * k], [0, 0, 0], n, k, m, 1);
    check([0, 0, n * k, n * k], [0, k * m, 0, k * m], n, k, m, 2);
    check([], [], n, k, m, 3);
  });

  it('propagates NaN and Infinity only into the outputs that read them', () => {
    const a = Float32Array.from([1, Number.NaN, 0, 2, 3, 4]);
    const b = Float32Array.from([1, 2, Infinity, 4, 5, 6]);
    const expected = new Float32Array(4);
    const actual = new Float32Array(4);
    const offsets = new Int32Array(1);
    cpuBackend.matmul(a, b, expected, offsets, offsets, 2, 3, 2);
    wasm.matmul(a, b, actual, offsets, offsets, 2, 3, 2);
    expectSameBits(actual, expected);
  });

  it('runs through Tensor.matmul on broadcast batches and transposed views', () => {
    const a = tensor(Array.from(random(2 * 3 * 6 * 10, 4)), { shape: [2, 3, 6, 10] });
    const b = tensor(Array.from(random(3 * 7 * 10, 5)), { shape: [3, 7, 10] }).mT;
    const expected = a.matmul(b);
    const previous = setBackend(wasm);
    try {
      expect(a.matmul(b)).toBeAllClose(expected, { rtol: 1e-5, atol: 1e-5 });
    } finally {
      setBackend(previous);
    }
  });
});

const lengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 1023, 4099];

describe.each(['add', 'sub', 'mul', 'div'] as const)('wasm %s', (kind: BinaryKind) => {
  it.each(lengths)('matches the cpu kernel bit for bit on %i contiguous elements', (n) => {
    const a = random(n + 3, n, 10);
    const b = random(n + 5, n + 1, 10);
    // Views from an offset: the kernel must read data[offset, offset + n).
    const va: StridedView = { data: a, offset: 3, strides: [1] };
    const vb: StridedView = { data: b, offset: 5, strides: [1] };
    const expected = new Float32Array(n);
    const actual = new Float32Array(n);
    cpuBackend.binary(kind, va, vb, expected, [n]);
    wasm.binary(kind, va, vb, actual, [n]);
    expectSameBits(actual, expected);
  });

  it('matches on multi-dimensional shapes with size-1 dims, and on special values', () => {
    const shape = [3, 1, 5, 7];
    const a = random(105, 11, 3);
    const b = random(105, 12, 3);
    a.set([Number.NaN, Infinity, -Infinity, 0, -0, 1e-40, 3e38]);
    b.set([1, Infinity, Infinity, 0, -0, 1e-40, 3e38]);
    const strides = [35, 1, 7, 1];
    const expected = new Float32Array(105);
    const actual = new Float32Array(105);
    cpuBackend.binary(kind, { data: a, offset: 0, strides }, { data: b, offset: 0, strides }, expected, shape);
    wasm.binary(kind, { data: a, offset: 0, strides }, { data: b, offset: 0, strides }, actual, shape);
    expectSameBits(actual, expected);
  });

  it('matches the cpu kernel on broadcast, strided and float64 (delegated) inputs', () => {
    const a = random(12, 21);
    const b = random(12, 22);
    const cases: [StridedView, StridedView, TypedArray, number[]][] = [
      // b broadcast along the rows
      [{ data: a, offset: 0, strides: [4, 1] }, { data: b, offset: 0, strides: [0, 1] }, new Float32Array(12), [3, 4]],
      // a transposed
      [{ data: a, offset: 0, strides: [1, 3] }, { data: b, offset: 0, strides: [4, 1] }, new Float32Array(12), [3, 4]],
      // float64 a, float64 out (mixed dtypes)
      [
        { data: Float64Array.from(a), offset: 0, strides: [4, 1] },
        { data: b, offset: 0, strides: [4, 1] },
        new Float64Array(12),
        [3, 4],
      ],
    ];
    for (const [va, vb, out, shape] of cases) {
      const expected = out.slice();
      cpuBackend.binary(kind, va, vb, expected, shape);
      wasm.binary(kind, va, vb, out, shape);
      expectSameBits(out, expected);
    }
  });
});

describe.each(['neg', 'relu', 'exp', 'tanh', 'sigmoid'] as const)('wasm %s', (kind: UnaryKind) => {
  const exact = kind === 'neg' || kind === 'relu';
  it.each(lengths)(`matches the cpu kernel ${exact ? 'bit for bit' : 'within 3 ulp'} on %i elements`, (n) => {
    const x = random(n, n + 100, 20);
    if (n >= 8) x.set([Number.NaN, -0, 0, Infinity, -Infinity, 100, -100, 1e-40]);
    const expected = new Float32Array(n);
    const actual = new Float32Array(n).fill(7);
    cpuBackend.unary(kind, x, expected, 0, 0);
    wasm.unary(kind, x, actual, 0, 0);
    if (exact) expectSameBits(actual, expected);
    else {
      for (let i = 0; i < n; i++) {
        const e = expected[i] as number;
        const a = actual[i] as number;
        if (Number.isNaN(e) || !Number.isFinite(e) || e === 0) expect(Object.is(a, e) || a === e).toBe(true);
        else expect(Math.abs(a - e)).toBeLessThanOrEqual(3 * 2 ** -23 * Math.max(Math.abs(e), 2 ** -126));
      }
    }
  });

  it('falls back to the cpu kernel on float64', () => {
    const x = Float64Array.from(random(9, 3, 5));
    const expected = new Float64Array(9);
    const actual = new Float64Array(9);
    cpuBackend.unary(kind, x, expected, 0, 0);
    wasm.unary(kind, x, actual, 0, 0);
    expectSameBits(actual, expected);
  });
});

describe('wasm unary kinds run in wasm or delegated', () => {
  it.each(['erf', 'sqrt', 'abs', 'powScalar', 'clamp'] as const)('matches the cpu kernel bit for bit on %s', (kind) => {
    const x = random(10, 5, 4).map(Math.abs);
    const expected = new Float32Array(10);
    const actual = new Float32Array(10);
    cpuBackend.unary(kind, x, expected, 3, Number.NaN);
    wasm.unary(kind, x, actual, 3, Number.NaN);
    expectSameBits(actual, expected);
  });
});

describe('wasm sum', () => {
  it.each([
    [1, 0, 1],
    [0, 5, 1],
    [1, 1, 1],
    [1, 3, 1],
    [1, 4, 1],
    [1, 1001, 1],
    [7, 13, 1],
    [3, 100_003, 1],
    [2, 0, 3],
    [1, 5, 2],
    [3, 7, 4],
    [2, 9, 13],
    [5, 33, 67],
  ])('matches the cpu kernel on [outer %i, size %i, inner %i]', (outer, size, inner) => {
    const x = random(outer * size * inner, size + inner, 5);
    const expected = new Float32Array(outer * inner).fill(3);
    const actual = new Float32Array(outer * inner).fill(3);
    cpuBackend.reduce('sum', x, outer, size, inner, expected);
    wasm.reduce('sum', x, outer, size, inner, actual);
    if (inner > 1) expectSameBits(actual, expected);
    else {
      // Both accumulate in float64, in different orders: the float32 results differ by at most an ulp.
      for (let i = 0; i < outer; i++) {
        const e = expected[i] as number;
        expect(Math.abs((actual[i] as number) - e)).toBeLessThanOrEqual(2 ** -23 * Math.abs(e) + 1e-30);
      }
    }
  });

  it('propagates NaN and Infinity', () => {
    const x = Float32Array.from([1, 2, Number.NaN, 4, 5, Infinity, 7, 8, -3, 1]);
    const out = new Float32Array(2);
    wasm.reduce('sum', x, 2, 5, 1, out);
    expect(Array.from(out)).toEqual([Number.NaN, Infinity]);
  });

  it.each(['max', 'min', 'argmax', 'argmin'] as const)('matches the cpu kernel on %s bit for bit', (kind) => {
    const x = random(24, 9);
    const expected = new Float32Array(6);
    const actual = new Float32Array(6);
    cpuBackend.reduce(kind, x, 2, 4, 3, expected);
    wasm.reduce(kind, x, 2, 4, 3, actual);
    expectSameBits(actual, expected);
  });
});

describe('when WebAssembly memory cannot grow far enough', () => {
  it('runs every kernel on the fallback backend instead', () => {
    const kernels = wasmKernels();
    const ceiling = kernels.maxBytes;
    // Enough for the static data only: every call's arena fails, so each one must delegate.
    kernels.maxBytes = kernels.exports.heapBase() + 64;
    try {
      const a = random(40, 1);
      const b = random(40, 2);
      const offsets = new Int32Array(1);
      const runs: [string, (backend: typeof wasm, out: Float32Array) => void, number][] = [
        ['matmul', (backend, out) => backend.matmul(a, b, out, offsets, offsets, 5, 8, 5), 25],
        ['add', (backend, out) => backend.binary('add', view(a), view(b), out, [40]), 40],
        ['exp', (backend, out) => backend.unary('exp', a, out, 0, 0), 40],
        ['sum', (backend, out) => backend.reduce('sum', a, 4, 10, 1, out), 4],
      ];
      for (const [name, run, size] of runs) {
        const expected = new Float32Array(size);
        const actual = new Float32Array(size);
        run(cpuBackend, expected);
        run(wasm, actual);
        expect(Array.from(actual), name).toEqual(Array.from(expected));
      }
    } finally {
      kernels.maxBytes = ceiling;
    }
    // And the arena works again once memory suffices.
    const out = new Float32Array(4);
    wasm.unary('neg', Float32Array.from([1, 2, 3, 4]), out, 0, 0);
    expect(Array.from(out)).toEqual([-1, -2, -3, -4]);
  });
});

function view(data: Float32Array): StridedView {
  return { data, offset: 0, strides: [1] };
}
