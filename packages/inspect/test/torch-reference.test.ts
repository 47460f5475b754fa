/**
 * @file The inspect tools against PyTorch 1.13 (fixtures from scripts/fixtures/inspect_tools.py, regenerated with
 * `/usr/bin/python3 scripts/torch-fixtures.py inspect_tools`): walkthrough leaf gradients, path totals, Taylor coefficients.
 */
import { arange, type NestedArray, tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { chainRuleWalkthrough, explainGradientPaths, taylor } from '../src/index';
import reference from './fixtures/torch/inspect.json';

function close(actual: NestedArray, expected: NestedArray, tolerance = 1e-10): void {
  const a = [actual].flat(4) as number[];
  const e = [expected].flat(4) as number[];
  expect(a).toHaveLength(e.length);
  a.forEach((v, i) => {
    const want = e[i] as number;
    expect(Math.abs(v - want)).toBeLessThanOrEqual(tolerance * (1 + Math.abs(want)));
  });
}

describe('against PyTorch', () => {
  it('derives the leaf gradients torch computes for a matmul/broadcast/logsumexp/max graph', () => {
    const a = arange(12, undefined, 1, { dtype: 'float64' }).sin().reshape(3, 4);
    const w = arange(8, undefined, 1, { dtype: 'float64' }).cos().mul(0.5).reshape(4, 2);
    const b = tensor([0.1, -0.2], { dtype: 'float64' });
    for (const t of [a, w, b]) t.requiresGrad = true;
    const h = a.matmul(w).add(b);
    const loss = h.tanh().square().mean().add(h.logsumexp(1).sum()).add(a.max(1).sum());
    expect(loss.item()).toBeCloseTo(reference.network.loss, 12);
    const walk = chainRuleWalkthrough(loss, { params: { a, w, b } });
    expect(walk.ok).toBe(true);
    close(walk.leafGradients.get('a')?.toArray() ?? [], reference.network.a);
    close(walk.leafGradients.get('w')?.toArray() ?? [], reference.network.w);
    close(walk.leafGradients.get('b')?.toArray() ?? [], reference.network.b);
  });

  it('sums gradient paths to the gradients torch computes on a graph with reused subexpressions', () => {
    const x = tensor(0.7, { dtype: 'float64', requiresGrad: true });
    const y = tensor(-1.3, { dtype: 'float64', requiresGrad: true });
    const u = x.mul(y).sin();
    const out = u.mul(u).add(u.exp()).mul(x).div(y.square().add(1)).add(u.tanh());
    expect(explainGradientPaths(out, x).total).toBeCloseTo(reference.scalar.x, 12);
    expect(explainGradientPaths(out, y).total).toBeCloseTo(reference.scalar.y, 12);
  });

  it('gives the Taylor coefficients torch gets from its own higher-order derivatives', () => {
    close(
      taylor((t) => t.sin().mul(t.exp()), 0.3, 6),
      reference.taylor.sinExp,
      1e-11,
    );
    close(
      taylor((t) => t.tanh(), 0.5, 6),
      reference.taylor.tanh,
      1e-11,
    );
    close(
      taylor((t) => t.sigmoid(), -0.4, 5),
      reference.taylor.sigmoid,
      1e-11,
    );
  });
});
