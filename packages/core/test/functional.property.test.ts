/**
 * @file Property tests of the functional API (fast-check) on random 1-D to 3-D shapes and functions of
 * tanh, softmax, logsumexp and matmul: the Jacobian against central differences, the products against
 * the Jacobian and Hessian they stand for, and gradcheck on results built with createGraph.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { gradcheck, hessian, hvp, jacobian, jvp, noGrad, type Tensor, tensor, vhp, vjp } from '../src/index';
import { sampleValues } from './helpers/sample';

const values = (shape: readonly number[], seed: number, requiresGrad = false) =>
  tensor(
    sampleValues(
      shape.reduce((p, d) => p * d, 1),
      {},
      seed,
    ),
    { shape, dtype: 'float64', requiresGrad },
  );

/** Functions of one tensor of any shape; each keeps the shape or drops the last dim. */
const functions: ((x: Tensor) => Tensor)[] = [
  (x) => x.tanh().mul(x),
  (x) => x.softmax(-1),
  (x) => x.logsumexp(-1),
  (x) => x.matmul(values([x.shape[x.ndim - 1] as number, 2], 7)).tanh(),
  (x) => x.softmax(0).mul(x.sin()).logsumexp(-1, true),
];

const shapes = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 });
const cases = fc.tuple(shapes, fc.nat({ max: functions.length - 1 }), fc.integer({ min: 1, max: 1000 }));

/** The Jacobian by central differences, as a [outputSize, inputSize] array. */
function numericJacobian(f: (x: Tensor) => Tensor, x: Tensor, eps = 1e-6): number[][] {
  const base = Array.from(x.data);
  const at = (i: number, delta: number) => {
    const moved = base.slice();
    moved[i] = (moved[i] as number) + delta;
    return Array.from(noGrad(() => f(tensor(moved, { shape: x.shape, dtype: 'float64' }))).data);
  };
  const columns = base.map((_, i) => {
    const plus = at(i, eps);
    const minus = at(i, -eps);
    return plus.map((p, o) => (p - (minus[o] as number)) / (2 * eps));
  });
  return (columns[0] ?? []).map((_, o) => columns.map((column) => column[o] as number));
}

it('jacobian matches central differences', () => {
  fc.assert(
    fc.property(cases, ([shape, fi, seed]) => {
      const f = functions[fi] as (x: Tensor) => Tensor;
      const x = values(shape, seed);
      const j = jacobian(f, x);
      const outSize = f(x).size;
      expect(j.shape).toEqual([...f(x).shape, ...x.shape]);
      expect(j.reshape(outSize, x.size)).toBeAllClose(numericJacobian(f, x), { rtol: 1e-6, atol: 1e-8 });
    }),
    { numRuns: 25 },
  );
});

it('vjp, jvp, hvp and vhp equal the products with the Jacobian and Hessian', () => {
  fc.assert(
    fc.property(cases, ([shape, fi, seed]) => {
      const f = functions[fi] as (x: Tensor) => Tensor;
      const x = values(shape, seed);
      const out = f(x);
      const j = jacobian(f, x).reshape(out.size, x.size);
      const u = values(out.shape, seed + 1);
      const v = values(x.shape, seed + 2);
      expect(vjp(f, x, u)[1].reshape(1, -1)).toBeAllClose(u.reshape(1, -1).matmul(j));
      expect(jvp(f, x, v)[1].reshape(-1, 1)).toBeAllClose(j.matmul(v.reshape(-1, 1)));
      // A scalar function for the second-order products: a weighted sum of f's outputs.
      const g = (y: Tensor) => f(y).mul(u).sum();
      const h = hessian(g, x).reshape(x.size, x.size);
      expect(hvp(g, x, v)[1].reshape(-1, 1)).toBeAllClose(h.matmul(v.reshape(-1, 1)), { rtol: 1e-9, atol: 1e-11 });
      expect(vhp(g, x, v)[1].reshape(1, -1)).toBeAllClose(v.reshape(1, -1).matmul(h), { rtol: 1e-9, atol: 1e-11 });
      expect(h).toBeAllClose(h.transpose(0, 1), { rtol: 1e-9, atol: 1e-11 });
    }),
    { numRuns: 25 },
  );
});

// gradcheck probes every (output, input) element pair, and a Jacobian's output has size² elements: small shapes.
const smallCases = fc.tuple(
  fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 1, maxLength: 2 }),
  fc.nat({ max: functions.length - 1 }),
  fc.integer({ min: 1, max: 1000 }),
);

it('results built with createGraph pass gradcheck: jacobian, jvp and hvp are differentiable in x', () => {
  fc.assert(
    fc.property(smallCases, ([shape, fi, seed]) => {
      const f = functions[fi] as (x: Tensor) => Tensor;
      const v = values(shape, seed + 2);
      const x = values(shape, seed, true);
      expect(gradcheck((y) => jacobian(f, y, { createGraph: true }), [x])).toBe(true);
      expect(gradcheck((y) => jvp(f, y, v, { createGraph: true })[1], [x])).toBe(true);
      const g = (y: Tensor) => f(y).square().sum();
      expect(gradcheck((y) => hvp(g, y, v, { createGraph: true })[1], [x])).toBe(true);
    }),
    { numRuns: 6 },
  );
});
