import { grad, type Tensor, tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { explainGradientPaths } from '../src/index';

const scalar = (v: number) => tensor(v, { dtype: 'float64', requiresGrad: true });

function expectTotalIsGradient(out: Tensor, leaf: Tensor): void {
  const result = explainGradientPaths(out, leaf);
  const [g] = grad(out, [leaf], { retainGraph: true });
  expect(result.total).not.toBeNull();
  expect(Math.abs((result.total as number) - (g?.item() as number))).toBeLessThanOrEqual(
    1e-12 * (1 + Math.abs(g?.item() as number)),
  );
}

describe('explainGradientPaths', () => {
  it('lists the two paths of the Quick Start to x (through mul and through pow), whose values sum to 7', () => {
    const x = tensor([2], { requiresGrad: true });
    const y = tensor([3], { requiresGrad: true });
    const z = x.mul(y).add(x.pow(2));
    const result = explainGradientPaths(z, x);
    expect(result.paths.map((p) => p.ops)).toEqual([
      ['add', 'mul'],
      ['add', 'pow'],
    ]);
    expect(result.paths.map((p) => p.value)).toEqual([3, 4]);
    expect(result.total).toBe(7);
    expect(explainGradientPaths(z, y).total).toBe(2);
    expect(result.toString()).toContain('2 paths from the output to the leaf. Their values sum to 7');
  });

  it('sums path products to the gradient on graphs with reused subexpressions', () => {
    const x = scalar(0.7);
    const y = scalar(-1.3);
    const u = x.mul(y).sin(); // reused three times
    const v = u.mul(u).add(u.exp()).mul(x);
    const w = v.div(y.square().add(1)).add(u.tanh());
    for (const out of [u, v, w]) {
      expectTotalIsGradient(out, x);
      expectTotalIsGradient(out, y);
    }
    // Paths w → x, counted by hand: through v's own factor x (1), through u·u (2) and exp(u) (1) inside v,
    // and through tanh(u) (1); every u reaches x once, through sin(x·y). 5 in all.
    const paths = explainGradientPaths(w, x);
    expect(paths.count).toBe(5);
    expect(paths.paths).toHaveLength(5);
  });

  it('counts each use of a tensor in x*x as its own path', () => {
    const x = scalar(3);
    const r = explainGradientPaths(x.mul(x), x);
    expect(r.paths.map((p) => p.inputs)).toEqual([[0], [1]]);
    expect(r.total).toBe(6);
  });

  it('caps exponentially many paths, reports the true count and still gives the exact total', () => {
    const x = scalar(1.01);
    let t: Tensor = x;
    for (let i = 0; i < 30; i++) t = t.add(t.mul(0.5)); // 2^30 paths
    const r = explainGradientPaths(t, x, { maxPaths: 100 });
    expect(r.count).toBe(2 ** 30);
    expect(r.paths).toHaveLength(100);
    expect(r.truncated).toBe(true);
    expect(r.message).toContain('1073741824 paths');
    const [g] = grad(t, [x], { retainGraph: true });
    expect(r.total).toBeCloseTo(g?.item() as number, 6);
  });

  it('lists ops without values for non-scalar graphs', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const r = explainGradientPaths(x.exp().sum(), x);
    expect(r.paths).toEqual([{ ops: ['sum', 'exp'], inputs: [0, 0], factors: null, value: null }]);
    expect(r.total).toBeNull();
  });

  it('reports no paths for a leaf the output does not use', () => {
    const x = scalar(1);
    const y = scalar(2);
    const r = explainGradientPaths(x.exp(), y);
    expect(r.count).toBe(0);
    expect(r.total).toBe(0);
    expect(() => explainGradientPaths(x.exp(), x.exp())).toThrow(/must be a leaf/);
    const constant = tensor(2, { dtype: 'float64' });
    expect(() => explainGradientPaths(x.mul(constant), constant)).toThrow(
      /explainGradientPaths: the leaf \(shape \[\]\) does not require grad/,
    );
  });
});

describe('explainGradientPaths with in-place ops on views', () => {
  it('sums paths to the gradient when a view is changed in place after being read', () => {
    const s = tensor(2, { dtype: 'float64', requiresGrad: true });
    const t = s.mul(3).reshape(1);
    t.slice(0, 0, 1).mul_(s.square());
    // t = 3s * s^2 = 3s^3, dt/ds = 9 s^2 = 36.
    const r = explainGradientPaths(t.sum(), s);
    expect(r.total).toBeCloseTo(36, 12);
    expect(r.count).toBe(r.paths.length);
  });
});
