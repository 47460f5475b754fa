/**
 * @file Random small graphs (fast-check): a broadcast binary op, a unary op, a view and a reduction
 * over random shapes, each checked with float64 gradcheck, so un-broadcasting and views compose.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { gradcheck, type Tensor, tensor } from '../src/index';
import { sampleValues } from './helpers/sample';

const binaries: ((a: Tensor, b: Tensor) => Tensor)[] = [
  (a, b) => a.add(b),
  (a, b) => a.sub(b),
  (a, b) => a.mul(b),
  (a, b) => a.div(b.square().add(1)),
  (a, b) => a.maximum(b.mul(0.5)),
  (a, b) => a.matmul(b.unsqueeze(-1)).mul(b),
];
const unaries: ((x: Tensor) => Tensor)[] = [(x) => x.tanh(), (x) => x.sin(), (x) => x.square(), (x) => x.exp()];

const leaf = (shape: readonly number[], seed: number) =>
  tensor(
    sampleValues(
      shape.reduce((p, d) => p * d, 1),
      {},
      seed,
    ),
    { shape, dtype: 'float64', requiresGrad: true },
  );

it('gradcheck passes for random broadcast graphs with views and reductions', () => {
  const shapes = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }).chain((a) =>
    fc.tuple(
      fc.constant(a),
      fc
        .array(fc.boolean(), { minLength: a.length, maxLength: a.length })
        .map((ones) => a.map((s, i) => (ones[i] ? 1 : s))),
      fc.nat({ max: a.length - 1 }),
    ),
  );
  fc.assert(
    fc.property(
      shapes,
      fc.nat({ max: binaries.length - 1 }),
      fc.nat({ max: unaries.length - 1 }),
      fc.boolean(),
      fc.integer({ min: 1, max: 1000 }),
      ([sa, sb, drop], bi, ui, transpose, seed) => {
        const b = bi === 5 ? sa.slice(-1) : sb.slice(drop);
        const fn = (x: Tensor, y: Tensor) => {
          const joined = (binaries[bi] as (a: Tensor, b: Tensor) => Tensor)(x, y);
          const viewed = transpose && joined.ndim >= 2 ? joined.transpose(0, -1) : joined;
          return (unaries[ui] as (x: Tensor) => Tensor)(viewed).sum(-1);
        };
        expect(gradcheck(fn, [leaf(sa, seed), leaf(b, seed + 1)])).toBe(true);
      },
    ),
    { numRuns: 60 },
  );
});
