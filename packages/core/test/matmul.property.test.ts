/**
 * @file matmul against a naive triple loop for random sizes (covering the kernel's blocked and
 * remainder rows), broadcast batch dims, 1-D operands and transposed inputs, in both dtypes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Tensor, tensor } from '../src/index';
import { generator } from './helpers/sample';

function randomTensor(shape: readonly number[], seed: number, dtype: 'float32' | 'float64'): Tensor {
  const next = generator(seed);
  const size = shape.reduce((p, d) => p * d, 1);
  return tensor(
    Array.from({ length: size }, () => next() * 2 - 1),
    { shape, dtype },
  );
}

/** C[b, i, j] = sum_p A[b, i, p] B[b, p, j] over broadcast batches, in float64. */
function naiveMatmul(a: Tensor, b: Tensor): { shape: number[]; values: number[] } {
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const nd = Math.max(batchA.length, batchB.length);
  const batch = Array.from({ length: nd }, (_, i) => {
    const x = batchA[batchA.length - nd + i] ?? 1;
    const y = batchB[batchB.length - nd + i] ?? 1;
    return x === 1 ? y : x;
  });
  const [n, k] = a.shape.slice(-2) as [number, number];
  const m = b.shape[b.ndim - 1] as number;
  const av = Array.from(a.data);
  const bv = Array.from(b.data);
  const count = batch.reduce((p, d) => p * d, 1);
  const offset = (own: readonly number[], index: number[], matrix: number) => {
    let flat = 0;
    own.forEach((d, i) => {
      flat = flat * d + (d === 1 ? 0 : (index[nd - own.length + i] as number));
    });
    return flat * matrix;
  };
  const values: number[] = [];
  for (let c = 0; c < count; c++) {
    const index: number[] = [];
    let rest = c;
    for (let d = nd - 1; d >= 0; d--) {
      index[d] = rest % (batch[d] as number);
      rest = Math.floor(rest / (batch[d] as number));
    }
    const oa = offset(batchA, index, n * k);
    const ob = offset(batchB, index, k * m);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += (av[oa + i * k + p] as number) * (bv[ob + p * m + j] as number);
        values.push(sum);
      }
  }
  return { shape: [...batch, n, m], values };
}

const dim = fc.integer({ min: 1, max: 9 });
const batchDims = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 });

describe('matmul kernel', () => {
  it.each(['float64', 'float32'] as const)(
    'matches a naive triple loop for random sizes and batches in %s',
    (dtype) => {
      fc.assert(
        fc.property(dim, dim, dim, batchDims, fc.boolean(), fc.nat(), (n, k, m, batch, transposeB, seed) => {
          const lead = batch.map((d, i) => (i % 2 === 0 ? d : 1));
          const a = randomTensor([...batch, n, k], seed, dtype);
          const b = transposeB
            ? randomTensor([...lead, m, k], seed + 1, dtype).mT
            : randomTensor([...lead, k, m], seed + 1, dtype);
          const expected = naiveMatmul(a, b.contiguous());
          const out = a.matmul(b);
          expect(out.shape).toEqual(expected.shape);
          const tol = dtype === 'float64' ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 1e-5, atol: 1e-5 };
          expect(Array.from(out.data)).toBeAllClose(expected.values, tol);
        }),
        { numRuns: 150 },
      );
    },
  );

  it('handles 1-D operands like torch.matmul (dot, vector-matrix, matrix-vector, batched vector)', () => {
    const v = tensor([1, 2, 3], { dtype: 'float64' });
    const m = tensor(
      [
        [1, 0],
        [0, 1],
        [1, 1],
      ],
      { dtype: 'float64' },
    );
    expect(v.matmul(v).shape).toEqual([]);
    expect(v.matmul(v).item()).toBe(14);
    expect(v.matmul(m).toArray()).toEqual([4, 5]);
    expect(m.T.matmul(v).toArray()).toEqual([4, 5]);
    const batched = m.T.unsqueeze(0).expand(2, 2, 3);
    expect(batched.matmul(v).toArray()).toEqual([
      [4, 5],
      [4, 5],
    ]);
    expect(v.matmul(m.unsqueeze(0).expand(2, 3, 2)).shape).toEqual([2, 2]);
  });
});
