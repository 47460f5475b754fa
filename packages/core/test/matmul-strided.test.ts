/**
 * @file Backend.matmul reading its operands through (row, column) strides: every combination of transposed
 * and row-major A and B, odd sizes around the wasm micro-kernel's 4 × 8 tile and cache blocks, 0-size dims
 * and broadcast batches, on the cpu, checked and wasm backends, against the cpu kernel on materialised
 * row-major copies (bit for bit on cpu and checked, whose float64 accumulation runs in the same order; within
 * float32 rounding on wasm). Then the op: transposed views reach the kernel with no copy and agree with
 * their contiguous copies.
 */
import { describe, expect, it, vi } from 'vitest';
import type { MatrixStrides } from '../src/backend/backend';
import { checkedBackend } from '../src/backend/checked';
import { cpuBackend } from '../src/backend/cpu/index';
import { type Backend, createWasmBackend, getBackend, setBackend, tensor } from '../src/index';
import { generator } from './helpers/sample';

const backends: readonly [string, Backend][] = [
  ['cpu', cpuBackend],
  ['checked', checkedBackend],
  ['wasm', createWasmBackend()],
];

function random(length: number, seed: number): Float32Array {
  const next = generator(seed);
  return Float32Array.from({ length }, () => next() * 2 - 1);
}

/**
 * Stores `batches` rows × cols matrices (batch i's element (r, c) is `values[(i·rows + r)·cols + c]`) in a
 * buffer with 3 leading pad elements, row-major or transposed (each matrix stored as its transpose);
 * returns the buffer, offsets and strides.
 */
function layout(values: Float32Array, batches: number, rows: number, cols: number, transposed: boolean) {
  const pad = 3;
  const data = new Float32Array(pad + values.length).fill(Number.NaN);
  for (let i = 0; i < batches; i++)
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const at = transposed ? c * rows + r : r * cols + c;
        data[pad + i * rows * cols + at] = values[(i * rows + r) * cols + c] as number;
      }
  const strides: MatrixStrides = transposed ? [1, rows] : [cols, 1];
  return { data, offsets: (batch: number[]) => Int32Array.from(batch, (i) => pad + i * rows * cols), strides };
}

/** Runs one strided product on `backend` and compares it with the cpu kernel on row-major copies. */
function check(
  backend: Backend,
  exact: boolean,
  shape: { n: number; k: number; m: number },
  transposeA: boolean,
  transposeB: boolean,
  batchesA: number[],
  batchesB: number[],
  seed: number,
): void {
  const { n, k, m } = shape;
  const countA = Math.max(0, ...batchesA) + 1;
  const countB = Math.max(0, ...batchesB) + 1;
  const av = random(countA * n * k, seed);
  const bv = random(countB * k * m, seed + 1);
  const a = layout(av, countA, n, k, transposeA);
  const b = layout(bv, countB, k, m, transposeB);
  const size = batchesA.length * n * m;
  const expected = new Float32Array(size);
  const rowMajor = (batch: number[], matrix: number) => Int32Array.from(batch, (i) => i * matrix);
  cpuBackend.matmul(av, bv, expected, rowMajor(batchesA, n * k), rowMajor(batchesB, k * m), n, k, m);
  const bound = new Float32Array(size);
  const abs = (x: Float32Array) => x.map(Math.abs);
  cpuBackend.matmul(abs(av), abs(bv), bound, rowMajor(batchesA, n * k), rowMajor(batchesB, k * m), n, k, m);
  const actual = new Float32Array(size).fill(Number.NaN);
  backend.matmul(a.data, b.data, actual, a.offsets(batchesA), b.offsets(batchesB), n, k, m, a.strides, b.strides);
  for (let i = 0; i < size; i++) {
    const got = actual[i] as number;
    const want = expected[i] as number;
    const ok = exact ? Object.is(got, want) : Math.abs(got - want) <= (k + 2) * 2 ** -23 * (bound[i] as number);
    if (!ok) {
      throw new Error(
        `[${n}×${k}]${transposeA ? 'ᵀ' : ''}·[${k}×${m}]${transposeB ? 'ᵀ' : ''} element ${i}: ${got}, expected ${want}`,
      );
    }
  }
}

const odd = [1, 3, 5, 17, 63, 65, 129];
/** Every odd size in each position, with the other two cycling through the list. */
const shapes = odd.flatMap((s, i) => [
  { n: s, k: odd[(i + 2) % odd.length] as number, m: odd[(i + 4) % odd.length] as number },
  { n: odd[(i + 3) % odd.length] as number, k: s, m: odd[(i + 5) % odd.length] as number },
  { n: odd[(i + 1) % odd.length] as number, k: odd[(i + 6) % odd.length] as number, m: s },
]);
const transposes = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

describe.each(backends)('strided matmul on the %s backend', (name, backend) => {
  const exact = name !== 'wasm';

  it.each(transposes)('matches row-major copies for odd sizes (A transposed: %s, B transposed: %s)', (ta, tb) => {
    shapes.forEach((shape, i) => {
      check(backend, exact, shape, ta, tb, [0], [0], i);
    });
  });

  it.each(transposes)('handles 0-size dims (A transposed: %s, B transposed: %s)', (ta, tb) => {
    for (const shape of [
      { n: 0, k: 5, m: 7 },
      { n: 5, k: 0, m: 7 },
      { n: 5, k: 7, m: 0 },
      { n: 0, k: 0, m: 0 },
    ])
      check(backend, exact, shape, ta, tb, [0], [0], 9);
  });

  it.each(transposes)('handles broadcast batches (A transposed: %s, B transposed: %s)', (ta, tb) => {
    const shape = { n: 9, k: 13, m: 17 };
    check(backend, exact, shape, ta, tb, [0, 1, 2], [0, 0, 0], 1);
    check(backend, exact, shape, ta, tb, [0, 0, 1, 1], [0, 1, 0, 1], 2);
    check(backend, exact, shape, ta, tb, [], [], 3);
  });
});

describe('the matmul op on strided views', () => {
  it.each(backends)(
    'passes transposed views to the %s kernel without a copy and matches contiguous copies',
    (_, backend) => {
      const previous = getBackend();
      setBackend(backend);
      try {
        const x = tensor(Array.from(random(2 * 6 * 10, 4)), { shape: [2, 6, 10] });
        const w = tensor(Array.from(random(7 * 10, 5)), { shape: [7, 10] });
        const copy = vi.spyOn(backend, 'copy');
        const viaView = x.matmul(w.mT);
        const transposedLeft = x.mT.matmul(x);
        // Backend objects spread their methods, so the spy sees calls made through this object only.
        expect(copy).not.toHaveBeenCalled();
        copy.mockRestore();
        expect(viaView).toBeAllClose(x.matmul(w.mT.contiguous()), { rtol: 1e-6, atol: 1e-6 });
        expect(transposedLeft).toBeAllClose(x.mT.contiguous().matmul(x), { rtol: 1e-6, atol: 1e-6 });
      } finally {
        setBackend(previous);
      }
    },
  );

  it('makes a matrix with no unit stride contiguous first, and reads broadcast batch views through offsets', () => {
    const base = tensor(Array.from(random(8 * 12, 6)), { shape: [8, 12] });
    const stepped = base.slice(1, 0, 12, 2); // columns 0, 2, …, 10: strides [12, 2]
    const b = tensor(Array.from(random(6 * 3, 7)), { shape: [6, 3] });
    expect(stepped.matmul(b)).toBeAllClose(stepped.contiguous().matmul(b), { rtol: 1e-6, atol: 1e-6 });
    const batch = tensor(Array.from(random(3 * 5 * 6, 8)), { shape: [3, 5, 6] });
    const shared = b.expand([3, 6, 3]);
    expect(batch.matmul(shared)).toBeAllClose(batch.matmul(shared.contiguous()), { rtol: 1e-6, atol: 1e-6 });
  });
});
