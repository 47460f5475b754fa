/**
 * @file Property tests (fast-check) of broadcasting and view/stride logic against the naive
 * reference in helpers/naive.ts: every chain of reshape, permute, transpose, expand, slice,
 * squeeze/unsqueeze, flatten and contiguous must read the same elements the reference computes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Tensor, tensor } from '../src/index';
import {
  broadcastMap,
  broadcastShape,
  type Dense,
  expandDense,
  permuteDense,
  sizeOfShape,
  sliceDense,
  sumDense,
} from './helpers/naive';

const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 });

function denseOf(shape: readonly number[]): Dense {
  return { shape, values: Array.from({ length: sizeOfShape(shape) }, (_, i) => i + 1) };
}

function tensorOf(d: Dense): Tensor {
  return tensor([...d.values], { shape: d.shape, dtype: 'float64' });
}

function expectSame(t: Tensor, d: Dense): void {
  expect(t.shape).toEqual(d.shape);
  expect(Array.from(t.data)).toEqual(d.values);
}

/** One view step, applied both to a Tensor and to the naive reference. */
type Step = { name: string; tensor: (t: Tensor) => Tensor; dense: (d: Dense) => Dense };

/** A random valid view step for a tensor of `shape`, drawn with fast-check's `pick`. */
function stepFor(shape: readonly number[], pick: (n: number) => number): Step {
  const ndim = shape.length;
  const kind = pick(7);
  if (kind === 0 && ndim >= 1) {
    const dims = Array.from({ length: ndim }, (_, i) => i);
    for (let i = ndim - 1; i > 0; i--) {
      const j = pick(i + 1);
      [dims[i], dims[j]] = [dims[j] as number, dims[i] as number];
    }
    return { name: `permute(${dims})`, tensor: (t) => t.permute(dims), dense: (d) => permuteDense(d, dims) };
  }
  if (kind === 1 && ndim >= 1) {
    const dim = pick(ndim);
    const size = shape[dim] as number;
    const start = pick(size);
    const end = start + 1 + pick(size - start);
    const step = 1 + pick(3);
    return {
      name: `slice(${dim}, ${start}, ${end}, ${step})`,
      tensor: (t) => t.slice(dim, start, end, step),
      dense: (d) => sliceDense(d, dim, start, end, step),
    };
  }
  if (kind === 2) {
    const target = shape.map((s) => (s === 1 ? 1 + pick(3) : s));
    const lead = pick(2) === 0 ? [] : [1 + pick(2)];
    const full = [...lead, ...target];
    return { name: `expand(${full})`, tensor: (t) => t.expand(full), dense: (d) => expandDense(d, full) };
  }
  if (kind === 3 && ndim >= 2) {
    const a = pick(ndim);
    const b = pick(ndim);
    const dims = shape.map((_, i) => (i === a ? b : i === b ? a : i));
    return { name: `transpose(${a}, ${b})`, tensor: (t) => t.transpose(a, b), dense: (d) => permuteDense(d, dims) };
  }
  if (kind === 4) {
    const dim = pick(ndim + 1);
    const next = [...shape];
    next.splice(dim, 0, 1);
    return {
      name: `unsqueeze(${dim})`,
      tensor: (t) => t.unsqueeze(dim),
      dense: (d) => ({ shape: next, values: d.values }),
    };
  }
  if (kind === 5) {
    const next = shape.filter((s) => s !== 1);
    return { name: 'squeeze()', tensor: (t) => t.squeeze(), dense: (d) => ({ shape: next, values: d.values }) };
  }
  if (kind === 6 && ndim >= 1) {
    // reshape to a random factorisation of the size (with a -1), or flatten a range of dims
    if (pick(2) === 0) {
      const start = pick(ndim);
      const end = start + pick(ndim - start);
      const merged = shape.slice(start, end + 1).reduce((p, s) => p * s, 1);
      const next = [...shape.slice(0, start), merged, ...shape.slice(end + 1)];
      return {
        name: `flatten(${start}, ${end})`,
        tensor: (t) => t.flatten(start, end),
        dense: (d) => ({ shape: next, values: d.values }),
      };
    }
    const size = sizeOfShape(shape);
    const divisors = Array.from({ length: size }, (_, i) => i + 1).filter((k) => size % k === 0);
    const first = divisors[pick(divisors.length)] as number;
    const next = [first, size / first];
    return {
      name: `reshape(${first}, -1)`,
      tensor: (t) => t.reshape(first, -1),
      dense: (d) => ({ shape: next, values: d.values }),
    };
  }
  return { name: 'contiguous()', tensor: (t) => t.contiguous(), dense: (d) => d };
}

describe('views and strides', () => {
  it('any chain of view ops reads the same elements as the naive reference', () => {
    fc.assert(
      fc.property(shapeArb, fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (shape, choices) => {
        let cursor = 0;
        const pick = (n: number) => (n <= 1 ? 0 : (choices[cursor++ % choices.length] as number) % n);
        let d = denseOf(shape);
        let t = tensorOf(d);
        for (let k = 0; k < 5; k++) {
          const step = stepFor(d.shape, pick);
          t = step.tensor(t);
          d = step.dense(d);
          expectSame(t, d);
        }
        // Element-wise kernels read the final (possibly strided, broadcast) view correctly.
        const tripled = { shape: d.shape, values: d.values.map((v) => 3 * v) };
        expectSame(t.add(t.mul(2)), tripled);
        expectSame(t.add(t).add(t.detach()), tripled);
      }),
      { numRuns: 300 },
    );
  });

  it('views share storage with their base: writes through the base show in the view', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 5 }), (n, m) => {
        const base = tensor(
          Array.from({ length: n * m }, (_, i) => i),
          { shape: [n, m], dtype: 'float64' },
        );
        const view = base.T.slice(0, 1, m, 1);
        base.add_(1);
        const expected = sliceDense(permuteDense(denseOf([n, m]), [1, 0]), 0, 1, m, 1);
        expectSame(view, expected);
      }),
      { numRuns: 50 },
    );
  });

  it('broadcasting an element-wise op over random shapes matches the reference', () => {
    const pair = shapeArb.chain((a) =>
      fc.tuple(
        fc.constant(a),
        fc
          .array(fc.boolean(), { minLength: a.length, maxLength: a.length })
          .map((ones) => a.map((s, i) => (ones[i] ? 1 : s)).slice(Math.min(a.length, 1))),
      ),
    );
    fc.assert(
      fc.property(pair, fc.boolean(), ([sa, sb], swap) => {
        const [x, y] = swap ? [sb, sa] : [sa, sb];
        const da = denseOf(x);
        const db = denseOf(y);
        const expected = broadcastMap([da, db], (u, v) => u * 10 - v);
        expectSame(tensorOf(da).mul(10).sub(tensorOf(db)), expected);
      }),
      { numRuns: 200 },
    );
  });

  it('shapes that do not broadcast throw an error naming both shapes', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer({ min: 2, max: 4 }), (shape, extra) => {
        fc.pre(shape.length > 0 && (shape[shape.length - 1] as number) > 1);
        const other = [...shape.slice(0, -1), (shape[shape.length - 1] as number) + extra];
        expect(broadcastShape(shape, other)).toBeNull();
        expect(() => tensorOf(denseOf(shape)).add(tensorOf(denseOf(other)))).toThrow(
          `add: cannot broadcast shapes [${shape.join(', ')}] and [${other.join(', ')}]`,
        );
      }),
      { numRuns: 50 },
    );
  });

  it('the gradient of a broadcast op sums back to each input shape (un-broadcasting)', () => {
    fc.assert(
      fc.property(shapeArb, fc.array(fc.boolean(), { maxLength: 4 }), (shape, ones) => {
        const small = shape.map((s, i) => (ones[i] ? 1 : s));
        const a = tensorOf(denseOf(shape));
        const b = tensor([...denseOf(small).values], { shape: small, dtype: 'float64', requiresGrad: true });
        a.mul(b).sum().backward();
        const reduced = small.map((_, i) => i).filter((i) => small[i] === 1 && shape[i] !== 1);
        const expected = sumDense(denseOf(shape), reduced, true);
        expectSame(b.grad as Tensor, expected);
      }),
      { numRuns: 100 },
    );
  });

  it('reductions over any set of dims match the naive sum', () => {
    fc.assert(
      fc.property(shapeArb, fc.array(fc.boolean(), { maxLength: 4 }), fc.boolean(), (shape, picks, keepdim) => {
        const dims = shape.map((_, i) => i).filter((i) => picks[i]);
        fc.pre(dims.length > 0);
        const expected = sumDense(denseOf(shape), dims, keepdim);
        expectSame(tensorOf(denseOf(shape)).sum(dims, keepdim), expected);
      }),
      { numRuns: 200 },
    );
  });
});
