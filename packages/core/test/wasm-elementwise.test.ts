/**
 * @file The WebAssembly element-wise, reduction and optimizer kernels against the cpu ones on the same
 * inputs: every binary kind, `where`, strided `copy`, every unary kind, every reduction and the fused SGD
 * and Adam steps, over shapes with odd sizes, size 0 and 1, non-contiguous (transposed, offset) views,
 * broadcast rows and columns and 0-d scalars, with NaN, ±Infinity and ±0 among the values. The kernels are
 * correctly rounded float32 operations, or compute in float64 in the cpu kernel's order, so the results
 * must be the same bits; the transcendental ones (exp, tanh, sigmoid, log, log1p, expm1) within 3 ulp here
 * (their bounds over the whole float32 range are in wasm-ulp.test.ts), a long row sum within one ulp.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuBackend } from '../src/backend/cpu/index';
import { roundTowards } from '../src/backend/wasm/elementwise';
import { smallest } from '../src/backend/wasm/thresholds';
import type { TypedArray } from '../src/dtype';
import {
  type BinaryKind,
  createWasmBackend,
  getBackend,
  type ReduceKind,
  type StridedView,
  setBackend,
  tensor,
  type UnaryKind,
} from '../src/index';
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
const SPECIALS = [Number.NaN, Infinity, -Infinity, 0, -0, 1, -1, 2, 0.5, 3e38, -3e38, 1e-40];

/** Seeded values in (-scale, scale), every 7th one a special value. */
function values(length: number, seed: number, scale = 4): Float32Array {
  const next = generator(seed);
  return Float32Array.from({ length }, (_, i) =>
    i % 7 === 3 ? (SPECIALS[(i + seed) % SPECIALS.length] as number) : (next() * 2 - 1) * scale,
  );
}

function expectSameBits(actual: TypedArray, expected: TypedArray, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      throw new Error(`${what}: element ${i} is ${actual[i]} but the cpu kernel gives ${expected[i]}`);
    }
  }
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function rowMajor(shape: readonly number[]): number[] {
  const strides: number[] = [];
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d] as number;
  }
  return strides;
}

type Layout = 'contiguous' | 'offset' | 'transposed' | 'row' | 'column' | 'scalar';
const LAYOUTS: readonly Layout[] = ['contiguous', 'offset', 'transposed', 'row', 'column', 'scalar'];

/** A view of `shape` (rank 2 for the transposed, row and column layouts) laid out as named, over fresh data. */
function view(layout: Layout, shape: readonly number[], seed: number): StridedView {
  const n = size(shape);
  const rank = shape.length;
  switch (layout) {
    case 'contiguous':
      return { data: values(n, seed), offset: 0, strides: rowMajor(shape) };
    case 'offset':
      return { data: values(n + 5, seed), offset: 5, strides: rowMajor(shape) };
    case 'scalar':
      return { data: values(3, seed), offset: 1, strides: shape.map(() => 0) };
    case 'transposed': {
      // The last two dims swapped in memory: element [.., i, j] lives at j·rows + i.
      const strides = rowMajor(shape);
      if (rank >= 2) {
        const rows = shape[rank - 2] as number;
        strides[rank - 1] = rows;
        strides[rank - 2] = 1;
      }
      return { data: values(n, seed), offset: 0, strides };
    }
    case 'row': {
      // One row repeated down every leading dim (a bias).
      const cols = shape[rank - 1] ?? 1;
      return { data: values(cols, seed), offset: 0, strides: shape.map((_, d) => (d === rank - 1 ? 1 : 0)) };
    }
    case 'column': {
      // One value per row, repeated along the last dim (a keepdim reduction).
      const rows = rank >= 2 ? (shape[rank - 2] as number) : 1;
      const strides = shape.map(() => 0);
      if (rank >= 2) strides[rank - 2] = 1;
      return { data: values(rows, seed), offset: 0, strides };
    }
  }
}

const SHAPES: readonly (readonly number[])[] = [[0], [1], [7], [1027], [3, 5], [0, 4], [1, 9], [17, 33], [2, 3, 5]];
const BINARY_KINDS: readonly BinaryKind[] = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
];

describe.each(BINARY_KINDS)('wasm binary %s', (kind) => {
  it.each(SHAPES.map((s) => [s.join('×'), s] as const))(
    'matches the cpu kernel bit for bit on shape [%s] for every pair of layouts',
    (_, shape) => {
      let seed = 1;
      for (const la of LAYOUTS)
        for (const lb of LAYOUTS) {
          const a = view(la, shape, seed++);
          const b = view(lb, shape, seed++);
          const expected = new Float32Array(size(shape)).fill(9);
          const actual = new Float32Array(size(shape)).fill(7);
          cpuBackend.binary(kind, a, b, expected, shape);
          wasm.binary(kind, a, b, actual, shape);
          expectSameBits(actual, expected, `${kind} ${la} ⊕ ${lb} [${shape}]`);
        }
    },
  );

  it('matches on 0-d operands and on float64 (which stays on the cpu kernel)', () => {
    const a: StridedView = { data: Float32Array.of(-0), offset: 0, strides: [] };
    const b: StridedView = { data: Float32Array.of(0), offset: 0, strides: [] };
    const expected = new Float32Array(1);
    const actual = new Float32Array(1);
    cpuBackend.binary(kind, a, b, expected, []);
    wasm.binary(kind, a, b, actual, []);
    expectSameBits(actual, expected, `${kind} 0-d`);
    const x: StridedView = { data: Float64Array.from(values(12, 3)), offset: 0, strides: [4, 1] };
    const y: StridedView = { data: Float64Array.from(values(4, 4)), offset: 0, strides: [0, 1] };
    const e64 = new Float64Array(12);
    const a64 = new Float64Array(12);
    cpuBackend.binary(kind, x, y, e64, [3, 4]);
    wasm.binary(kind, x, y, a64, [3, 4]);
    expectSameBits(a64, e64, `${kind} float64`);
  });
});

describe('wasm where', () => {
  it.each(SHAPES.map((s) => [s.join('×'), s] as const))(
    'matches the cpu kernel bit for bit on shape [%s] (condition with 0, -0 and NaN)',
    (_, shape) => {
      let seed = 100;
      for (const lc of LAYOUTS)
        for (const la of ['contiguous', 'transposed', 'scalar'] as const)
          for (const lb of ['offset', 'row', 'column'] as const) {
            const c = view(lc, shape, seed++);
            // A third of the condition is zero (±0), the rest as drawn (NaN among it).
            c.data.forEach((v, i) => {
              (c.data as Float32Array)[i] = i % 3 === 0 ? (i % 2 ? -0 : 0) : (v as number);
            });
            const a = view(la, shape, seed++);
            const b = view(lb, shape, seed++);
            const expected = new Float32Array(size(shape));
            const actual = new Float32Array(size(shape));
            cpuBackend.where(c, a, b, expected, shape);
            wasm.where(c, a, b, actual, shape);
            expectSameBits(actual, expected, `where ${lc} ? ${la} : ${lb} [${shape}]`);
          }
    },
  );
});

describe('wasm copy', () => {
  it.each(SHAPES.map((s) => [s.join('×'), s] as const))(
    'gathers every layout of shape [%s] into a contiguous destination at an offset',
    (_, shape) => {
      let seed = 200;
      for (const layout of LAYOUTS) {
        const source = view(layout, shape, seed++);
        const n = size(shape);
        const expected = new Float32Array(n + 3).fill(5);
        const actual = new Float32Array(n + 3).fill(5);
        const strides = rowMajor(shape);
        cpuBackend.copy(source, { data: expected, offset: 3, strides }, shape);
        wasm.copy(source, { data: actual, offset: 3, strides }, shape);
        expectSameBits(actual, expected, `copy ${layout} [${shape}]`);
      }
    },
  );

  it('writes into a strided destination without touching the elements between (on the fallback)', () => {
    const source: StridedView = { data: values(12, 5), offset: 0, strides: [1, 3] };
    const expected = new Float32Array(30).fill(5);
    const actual = new Float32Array(30).fill(5);
    cpuBackend.copy(source, { data: expected, offset: 1, strides: [8, 2] }, [3, 4]);
    wasm.copy(source, { data: actual, offset: 1, strides: [8, 2] }, [3, 4]);
    expectSameBits(actual, expected, 'copy into a strided destination');
  });

  it('runs Tensor.contiguous() of a transposed view and of an expanded one', () => {
    const previous = setBackend(wasm);
    try {
      const x = tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      expect(x.T.contiguous().toArray()).toEqual([
        [1, 4],
        [2, 5],
        [3, 6],
      ]);
      expect(tensor([1, 2]).expand([3, 2]).contiguous().toArray()).toEqual([
        [1, 2],
        [1, 2],
        [1, 2],
      ]);
    } finally {
      setBackend(previous);
    }
  });
});

const EXACT_UNARY: readonly UnaryKind[] = [
  'neg',
  'relu',
  'sqrt',
  'abs',
  'reciprocal',
  'square',
  'sign',
  'floor',
  'round',
  'isfinite',
];
const TRANSCENDENTAL: readonly UnaryKind[] = ['exp', 'tanh', 'sigmoid', 'log', 'log1p', 'expm1'];
const LENGTHS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 17, 1023, 4099];

/** Values with halves (round's ties), small integers and the specials. */
function unaryInput(n: number, seed: number): Float32Array {
  const x = values(n, seed, 20);
  for (let i = 5; i < n; i += 11) x[i] = ((i % 9) - 4) * 0.5;
  return x;
}

describe('wasm unary', () => {
  it.each(EXACT_UNARY)('%s matches the cpu kernel bit for bit on every length', (kind) => {
    for (const n of LENGTHS) {
      const x = unaryInput(n, n + 1);
      const expected = new Float32Array(n);
      const actual = new Float32Array(n).fill(7);
      cpuBackend.unary(kind, x, expected, 0, 0);
      wasm.unary(kind, x, actual, 0, 0);
      expectSameBits(actual, expected, `${kind} on ${n} elements`);
    }
  });

  it.each(TRANSCENDENTAL)('%s is within 3 ulp of the cpu kernel on every length', (kind) => {
    for (const n of LENGTHS) {
      const x = unaryInput(n, n + 2);
      const expected = new Float32Array(n);
      const actual = new Float32Array(n).fill(7);
      cpuBackend.unary(kind, x, expected, 0, 0);
      wasm.unary(kind, x, actual, 0, 0);
      for (let i = 0; i < n; i++) {
        const e = expected[i] as number;
        const a = actual[i] as number;
        if (Number.isNaN(e) || !Number.isFinite(e) || e === 0) {
          expect(Object.is(a, e) || a === e, `${kind}(${x[i]}) = ${a}, expected ${e}`).toBe(true);
        } else {
          expect(Math.abs(a - e), `${kind}(${x[i]})`).toBeLessThanOrEqual(
            3 * 2 ** -23 * Math.max(Math.abs(e), 2 ** -126),
          );
        }
      }
    }
  });

  it.each([
    [0.1, 0.7],
    [-1, 1],
    [2, -2],
    [Number.NaN, 1],
    [-Infinity, 0.3],
    [1e-45, 3.5e38],
  ])('clamp and inRange with bounds [%f, %f] match bit for bit, bounds not float32 included', (lo, hi) => {
    for (const kind of ['clamp', 'inRange'] as const) {
      const x = unaryInput(1001, 9);
      // Values at and next to the bounds' float32 neighbours.
      x.set([
        Math.fround(lo),
        roundTowards(lo, true),
        roundTowards(lo, false),
        Math.fround(hi),
        roundTowards(hi, false),
      ]);
      const expected = new Float32Array(x.length);
      const actual = new Float32Array(x.length);
      cpuBackend.unary(kind, x, expected, lo, hi);
      wasm.unary(kind, x, actual, lo, hi);
      expectSameBits(actual, expected, `${kind}(${lo}, ${hi})`);
    }
  });

  it.each([2, 0.5, -1, 3, 1, 2.5, 0, -2])('powScalar with p = %f matches bit for bit', (p) => {
    const x = unaryInput(1001, 10);
    const expected = new Float32Array(x.length);
    const actual = new Float32Array(x.length);
    cpuBackend.unary('powScalar', x, expected, p, 0);
    wasm.unary('powScalar', x, actual, p, 0);
    expectSameBits(actual, expected, `powScalar ${p}`);
  });

  it.each(['sin', 'cos', 'erf'] as const)('%s stays on the cpu kernel', (kind) => {
    const x = unaryInput(33, 11);
    const expected = new Float32Array(33);
    const actual = new Float32Array(33);
    cpuBackend.unary(kind, x, expected, 0, 0);
    wasm.unary(kind, x, actual, 0, 0);
    expectSameBits(actual, expected, kind);
  });

  it('rounds bounds towards the inside: x >= bound and x >= rounded bound agree for every float32 x', () => {
    expect(roundTowards(0.1, true)).toBeGreaterThanOrEqual(0.1);
    expect(roundTowards(0.1, false)).toBeLessThanOrEqual(0.1);
    expect(roundTowards(0.1, true)).not.toBe(roundTowards(0.1, false));
    expect(roundTowards(0.5, true)).toBe(0.5);
    expect(roundTowards(-0.1, true)).toBeGreaterThanOrEqual(-0.1);
    expect(roundTowards(1e-50, true)).toBe(2 ** -149);
    expect(roundTowards(-1e-50, false)).toBe(-(2 ** -149));
  });
});

const REDUCE_SHAPES: readonly [number, number, number][] = [
  [1, 1, 1],
  [3, 1, 5],
  [1, 2, 1],
  [1, 7, 1],
  [2, 8, 1],
  [3, 13, 1],
  [2, 1001, 1],
  [1, 5, 3],
  [2, 7, 4],
  [3, 9, 5],
  [2, 6, 8],
  [4, 33, 13],
  [0, 5, 3],
  [2, 5, 0],
];

describe.each(['sum', 'max', 'min', 'argmax', 'argmin'] as ReduceKind[])('wasm reduce %s', (kind) => {
  it.each(REDUCE_SHAPES)('matches the cpu kernel on [outer %i, size %i, inner %i]', (outer, n, inner) => {
    for (const withSpecials of [false, true]) {
      const x = withSpecials
        ? values(outer * n * inner, n + inner, 3)
        : values(outer * n * inner, n, 3).map((v) => (Number.isFinite(v) ? Math.round(v) : 1));
      // Small integers give ties (argmax keeps the first) and, with specials, NaN, ±Infinity and ±0.
      const expected = new Float32Array(outer * inner).fill(3);
      const actual = new Float32Array(outer * inner).fill(3);
      cpuBackend.reduce(kind, x, outer, n, inner, expected);
      wasm.reduce(kind, x, outer, n, inner, actual);
      if (kind !== 'sum' || inner > 1) expectSameBits(actual, expected, `${kind} [${outer}, ${n}, ${inner}]`);
      else {
        // Both accumulate in float64, in different orders: the float32 results differ by an ulp, plus float64's
        // rounding of the magnitudes summed (±3e38 among the specials cancel).
        for (let i = 0; i < outer; i++) {
          const e = expected[i] as number;
          const a = actual[i] as number;
          const magnitude = x.subarray(i * n, (i + 1) * n).reduce((s, v) => s + Math.abs(v), 0);
          if (!Number.isFinite(e)) expect(Object.is(a, e)).toBe(true);
          else expect(Math.abs(a - e)).toBeLessThanOrEqual(2 ** -23 * Math.abs(e) + n * 2 ** -52 * magnitude + 1e-30);
        }
      }
    }
  });
});

describe('wasm fused optimizer steps', () => {
  const sizes = [0, 1, 7, 1001];

  function group(seed: number): Float32Array[] {
    return sizes.map((n, i) => values(n, seed + i, 1).map((v) => (Number.isFinite(v) && Math.abs(v) < 10 ? v : 0.25)));
  }

  it.each([
    { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
    { momentum: 0, dampening: 0, weightDecay: 0.01, nesterov: false, maximize: true },
    { momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
    { momentum: 0.9, dampening: 0.1, weightDecay: 0, nesterov: false, maximize: true },
    { momentum: 0.9, dampening: 0, weightDecay: 0.01, nesterov: true, maximize: false },
  ])('sgdStep matches the cpu kernel bit for bit over three steps (%o)', (options) => {
    const sgd = { lr: 0.1, ...options };
    const run = (backend: typeof wasm) => {
      const params = group(1);
      const buffers = options.momentum > 0 ? sizes.map((n) => new Float32Array(n)) : null;
      for (let step = 1; step <= 3; step++) {
        const grads = group(10 * step);
        backend.sgdStep(
          { params, grads, steps: sizes.map(() => step), momentumBuffers: buffers, fresh: sizes.map(() => step === 1) },
          sgd,
        );
      }
      return [...params, ...(buffers ?? [])];
    };
    const expected = run(cpuBackend);
    run(wasm).forEach((actual, i) => {
      expectSameBits(actual, expected[i] as Float32Array, `sgd buffer ${i}`);
    });
  });

  it.each([
    { weightDecay: 0, decoupled: false, amsgrad: false, maximize: false },
    { weightDecay: 0.01, decoupled: true, amsgrad: false, maximize: true },
    { weightDecay: 0.01, decoupled: false, amsgrad: false, maximize: false },
    { weightDecay: 0, decoupled: false, amsgrad: true, maximize: false },
  ])('adamStep matches the cpu kernel bit for bit over three steps (%o)', (options) => {
    const adam = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, ...options };
    const run = (backend: typeof wasm) => {
      const params = group(2);
      const expAvgs = sizes.map((n) => new Float32Array(n));
      const expAvgSqs = sizes.map((n) => new Float32Array(n));
      const maxExpAvgSqs = options.amsgrad ? sizes.map((n) => new Float32Array(n)) : null;
      for (let step = 1; step <= 3; step++) {
        const grads = group(20 * step);
        backend.adamStep({ params, grads, steps: sizes.map(() => step), expAvgs, expAvgSqs, maxExpAvgSqs }, adam);
      }
      return [...params, ...expAvgs, ...expAvgSqs];
    };
    const expected = run(cpuBackend);
    run(wasm).forEach((actual, i) => {
      expectSameBits(actual, expected[i] as Float32Array, `adam buffer ${i}`);
    });
  });

  it('leaves float64 parameters to the cpu kernel', () => {
    const run = (backend: typeof wasm) => {
      const params = [Float64Array.from([1, 2, 3])];
      backend.sgdStep(
        { params, grads: [Float64Array.from([0.5, -1, 2])], steps: [1], momentumBuffers: null, fresh: [true] },
        { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
      );
      return params[0] as Float64Array;
    };
    expectSameBits(run(wasm), run(cpuBackend), 'sgd float64');
  });
});

describe('the wasm backend through tensors', () => {
  it('runs a broadcast expression and its gradient to the cpu backend values', () => {
    const compute = () => {
      const a = tensor(
        [
          [1, -2, 3],
          [0.5, 4, -1],
        ],
        { requiresGrad: true },
      );
      const b = tensor([0.25, -0.5, 2], { requiresGrad: true });
      const loss = a.mul(b).add(a).exp().log1p().maximum(a.T.sum(0, true).T).sum();
      loss.backward();
      return [loss.item(), a.grad?.toArray(), b.grad?.toArray()];
    };
    const previous = setBackend('cpu');
    const expected = compute();
    setBackend(wasm);
    try {
      expect(getBackend().name).toBe('wasm');
      const actual = compute();
      expect(actual[0]).toBeCloseTo(expected[0] as number, 5);
      expect(actual[1]).toBeAllClose(expected[1], { rtol: 1e-5, atol: 1e-6 });
      expect(actual[2]).toBeAllClose(expected[2], { rtol: 1e-5, atol: 1e-6 });
    } finally {
      setBackend(previous);
    }
  });
});
