import { randn, tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { chainRuleWalkthrough } from '../src/index';

describe('chainRuleWalkthrough', () => {
  it('explains the Quick Start z = x*y + x**2: dz/dx = 7 and dz/dy = 2', () => {
    const x = tensor([2], { requiresGrad: true });
    const y = tensor([3], { requiresGrad: true });
    const z = x.mul(y).add(x.pow(2));
    const w = chainRuleWalkthrough(z, { params: { x, y } });
    expect(w.steps.map((s) => s.op)).toEqual(['add', 'pow', 'mul']);
    const mul = w.steps.find((s) => s.op === 'mul');
    expect(mul?.formula).toEqual(['d(a*b)/da = b', 'd(a*b)/db = a']);
    expect(mul?.upstream).toBe(1);
    expect(mul?.local).toEqual([3, 2]);
    expect(mul?.result).toEqual([3, 2]);
    const pow = w.steps.find((s) => s.op === 'pow');
    expect(pow?.local).toEqual([4]);
    expect(w.leafGradients.get('x')?.item()).toBe(7);
    expect(w.leafGradients.get('y')?.item()).toBe(2);
    expect(w.ok).toBe(true);
    expect(w.checks.map((c) => [c.leaf, c.derived, c.ok])).toEqual([
      ['x', 7, true],
      ['y', 2, true],
    ]);
    expect(w.toString()).toContain('Check passed: all 2 leaf gradients derived here equal autograd');
    expect(w.toString()).toContain('d(a*b)/da = b');
    const md = w.toMarkdown();
    expect(md).toContain('$\\frac{\\partial (ab)}{\\partial a} = b$');
    expect(md).toContain('| `x` | `7` | `7` | yes |');
  });

  it('checks itself against .grad after backward() freed the graph', () => {
    const x = tensor([2], { requiresGrad: true });
    const z = x.mul(x).mul(x);
    z.backward();
    const w = chainRuleWalkthrough(z, { params: { x } });
    expect(w.checks[0]?.source).toBe('.grad');
    expect(w.checks[0]?.derived).toBe(12);
    expect(w.ok).toBe(true);
  });

  it('follows matmul, broadcasting and reductions to the hand-derived gradients', () => {
    // loss = mean(tanh(a·w + b)²) over the 3×2 result. By hand, with h = a·w + b and t = tanh(h):
    // dL/dh = (2t / 6)(1 − t²), dL/db = Σ_rows dL/dh, dL/dw = aᵀ·dL/dh, dL/da = dL/dh·wᵀ,
    // computed below with plain numbers, independent of optimgrad's backward rules.
    const aValues = [
      [0.5, -1, 0.25, 2],
      [-0.75, 0.3, 1.5, -0.2],
      [1.2, 0.1, -0.6, 0.4],
    ];
    const wValues = [
      [0.2, -0.5],
      [0.7, 0.1],
      [-0.3, 0.4],
      [0.05, -0.25],
    ];
    const bValues = [0.1, -0.2];
    const a = tensor(aValues, { dtype: 'float64', requiresGrad: true });
    const w = tensor(wValues, { dtype: 'float64', requiresGrad: true });
    const b = tensor(bValues, { dtype: 'float64', requiresGrad: true });
    const loss = a.matmul(w).add(b).tanh().square().mean();
    const walk = chainRuleWalkthrough(loss, { params: { a, w, b } });
    expect(walk.steps.map((s) => s.op)).toEqual(['div', 'sum', 'square', 'tanh', 'add', 'matmul']);
    const add = walk.steps.find((s) => s.op === 'add');
    expect(add?.inputs.map((i) => i.shape)).toEqual([[3, 2], [2]]);
    expect(add?.result[1]).toHaveLength(2);

    const rows = [0, 1, 2];
    const cols = [0, 1];
    const inner = [0, 1, 2, 3];
    const at = (m: number[][], i: number, j: number) => (m[i] as number[])[j] as number;
    const dh = rows.map((i) =>
      cols.map((j) => {
        const t = Math.tanh(
          inner.reduce((acc, k) => acc + at(aValues, i, k) * at(wValues, k, j), 0) + (bValues[j] as number),
        );
        return ((2 * t) / 6) * (1 - t * t);
      }),
    );
    const expected = {
      a: rows.flatMap((i) => inner.map((k) => cols.reduce((acc, j) => acc + at(dh, i, j) * at(wValues, k, j), 0))),
      w: inner.flatMap((k) => cols.map((j) => rows.reduce((acc, i) => acc + at(aValues, i, k) * at(dh, i, j), 0))),
      b: cols.map((j) => rows.reduce((acc, i) => acc + at(dh, i, j), 0)),
    };
    for (const [name, values] of Object.entries(expected)) {
      const derived = [...(walk.leafGradients.get(name)?.data ?? [])];
      expect(derived).toHaveLength(values.length);
      for (const [i, v] of derived.entries()) expect(v, `${name}[${i}]`).toBeCloseTo(values[i] as number, 12);
    }
    expect(walk.ok).toBe(true);
    expect(walk.checks).toHaveLength(3);
  });

  it('summarizes big tensors instead of printing them', () => {
    const x = randn([10, 10]);
    x.requiresGrad = true;
    const walk = chainRuleWalkthrough(x.exp().sum(), { limit: 16 });
    const exp = walk.steps.find((s) => s.op === 'exp');
    expect(exp?.upstream).toMatchObject({ shape: [10, 10], mean: 1, min: 1, max: 1 });
    expect(walk.ok).toBe(true);
  });

  it('walks a max reduction and a where with a zero branch', () => {
    const x = tensor([1, 5, 3], { requiresGrad: true, dtype: 'float64' });
    const y = x.where(x.gt(2), 0).max();
    const walk = chainRuleWalkthrough(y, { params: { x } });
    expect([...(walk.leafGradients.get('x')?.data ?? [])]).toEqual([0, 1, 0]);
    expect(walk.ok).toBe(true);
  });

  it('explains a leaf output as zero steps whose gradient is the seed, and passes its check', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const w = chainRuleWalkthrough(x, { gradient: tensor([4, 5, 6]) });
    expect(w.steps).toHaveLength(0);
    expect(w.checks.map((c) => [c.leaf, c.reference, c.ok])).toEqual([['output', [4, 5, 6], true]]);
    expect(w.ok).toBe(true);
  });

  it('prints and checks non-finite gradients exactly (sqrt at 0 and below 0)', () => {
    const x = tensor([0, 1, -1], { requiresGrad: true });
    const w = chainRuleWalkthrough(x.sqrt().sum());
    expect(w.ok).toBe(true);
    expect(w.toString()).toContain('dL/dx0 += [Infinity,0.5,NaN]');
    expect(w.toString()).toContain('Check passed');
  });

  it('throws a clear error for a non-scalar output without a gradient', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => chainRuleWalkthrough(x.mul(2))).toThrow(/chainRuleWalkthrough: the output has shape \[2\]/);
    expect(() => chainRuleWalkthrough(tensor([1]))).toThrow(/does not require grad/);
  });
});

describe('chainRuleWalkthrough after an in-place change', () => {
  it('refuses to explain a graph whose saved tensors were changed, naming itself', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const x = tensor([3, 4]);
    const loss = w.mul(x).sum();
    loss.backward();
    x.mul_(2);
    expect(() => chainRuleWalkthrough(loss)).toThrow(
      /^chainRuleWalkthrough: the graph was changed after it was recorded/,
    );
  });
});

describe('chainRuleWalkthrough with in-place ops on views', () => {
  it('follows the edges recorded when each op ran and matches autograd', () => {
    const x = tensor([1, 2, 3, 4], { dtype: 'float64', requiresGrad: true });
    const y = x.mul(1);
    y.slice(0, 1, 3).mul_(x.slice(0, 0, 2).sin());
    const walk = chainRuleWalkthrough(y.sum(), { params: { x } });
    expect(walk.ok).toBe(true);
    const expected = [1 + 2 * Math.cos(1), Math.sin(1) + 3 * Math.cos(2), Math.sin(2), 1];
    [...(walk.leafGradients.get('x')?.data ?? [])].forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] as number, 12);
    });
    expect(walk.steps.map((s) => s.op)).toContain('viewScatter');
  });
});
