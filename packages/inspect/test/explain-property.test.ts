import { grad, type Tensor, tensor } from '@optimgrad/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainRuleWalkthrough, explainGradientPaths } from '../src/index';

type Step = readonly [op: number, a: number, b: number];

const binary: ((a: Tensor, b: Tensor) => Tensor)[] = [
  (a, b) => a.add(b),
  (a, b) => a.mul(b),
  (a, b) => a.sub(b.mul(0.5)),
  (a, b) => a.div(b.square().add(1)),
  (a, b) => a.maximum(b.add(0.1)),
  (a, b) => a.tanh().mul(b.sin()),
];
const unary: ((a: Tensor) => Tensor)[] = [(a) => a.sin(), (a) => a.tanh().exp(), (a) => a.pow(3), (a) => a.sigmoid()];

/** Builds a random DAG over the leaves: each step combines earlier values, so subexpressions are reused. */
function build(leaves: Tensor[], steps: readonly Step[]): Tensor {
  const values = [...leaves];
  for (const [op, a, b] of steps) {
    const x = values[a % values.length] as Tensor;
    const y = values[b % values.length] as Tensor;
    values.push(
      op < binary.length
        ? (binary[op] as (a: Tensor, b: Tensor) => Tensor)(x, y)
        : (unary[op - binary.length] as (a: Tensor) => Tensor)(x),
    );
  }
  return values[values.length - 1] as Tensor;
}

const steps = fc.array(fc.tuple(fc.nat(binary.length + unary.length - 1), fc.nat(20), fc.nat(20)), {
  minLength: 1,
  maxLength: 9,
});

describe('explanations on random graphs (property tests)', () => {
  it('path values sum to the gradient grad() computes, for every leaf of a random scalar graph', () => {
    fc.assert(
      fc.property(
        steps,
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        (s, a, b) => {
          const x = tensor(a, { dtype: 'float64', requiresGrad: true });
          const y = tensor(b, { dtype: 'float64', requiresGrad: true });
          const out = build([x, y], s).add(x.mul(0)).add(y.mul(0)); // every leaf reaches the output
          const [gx, gy] = grad(out, [x, y], { retainGraph: true });
          for (const [leaf, g] of [
            [x, gx],
            [y, gy],
          ] as const) {
            const r = explainGradientPaths(out, leaf);
            const want = g?.item() as number;
            expect(Math.abs((r.total as number) - want)).toBeLessThanOrEqual(
              1e-9 * (1 + Math.abs(want)) * Math.max(1, r.count),
            );
          }
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  it('the walkthrough re-derives autograd on random broadcast graphs', () => {
    fc.assert(
      fc.property(
        steps,
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (s, v) => {
          const x = tensor([v.slice(0, 3), v.slice(3, 6)], { dtype: 'float64', requiresGrad: true });
          const y = tensor(v.slice(0, 3), { dtype: 'float64', requiresGrad: true });
          const w = tensor([[0.5], [-1]], { dtype: 'float64', requiresGrad: true });
          const out = build([x, y, w], s).sum().add(x.sum().mul(0)).add(y.sum().mul(0)).add(w.sum().mul(0));
          const walk = chainRuleWalkthrough(out, { params: { x, y, w } });
          expect(walk.checks).toHaveLength(3);
          expect(walk.ok).toBe(true);
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });
});
