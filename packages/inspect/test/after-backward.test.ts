/**
 * @file The tools explain a graph after `backward()` freed it: core then holds only the graph's structure
 * and leaves, and the values the tools replay are recomputed from the leaves. The explanation must be the
 * one given before backward, and a graph whose leaves changed since (an optimizer step) is refused.
 */
import { manualSeed, noGrad, randn, type Tensor, tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { chainRuleWalkthrough, explainGradientPaths, toDot, toGraphJson, toMermaid } from '../src/index';

/** A two-layer network's loss; the activations are only reachable through the graph. */
function mlp() {
  manualSeed(7);
  const x = randn([4, 3], { dtype: 'float64' });
  const w1 = randn([3, 5], { dtype: 'float64' });
  const b1 = randn([5], { dtype: 'float64' });
  const w2 = randn([5, 1], { dtype: 'float64' });
  for (const p of [w1, b1, w2]) p.requiresGrad = true;
  const hidden = x.matmul(w1).add(b1).tanh();
  hidden.name = 'hidden';
  const loss = hidden.matmul(w2).sigmoid().square().mean();
  return { loss, params: { x, w1, b1, w2 } };
}

/** What optimizer.step() does: an update in place, under noGrad. */
function step(params: readonly Tensor[]): void {
  noGrad(() => {
    for (const p of params) p.sub_((p.grad as Tensor).mul(0.1));
  });
}

/** The text up to the checks, which name their reference (grad() before backward, .grad after). */
const stepsOf = (text: string) => text.split('\n').filter((line) => !/^check |^Check /.test(line));

describe('explaining a graph after backward()', () => {
  it('walks through the same steps with the same numbers as before backward', () => {
    const { loss, params } = mlp();
    const before = chainRuleWalkthrough(loss, { params });
    const graphBefore = toGraphJson(loss, { params });
    loss.backward();
    expect(loss.gradFn?.freed).toBe(true);
    const after = chainRuleWalkthrough(loss, { params });
    expect(stepsOf(after.toString())).toEqual(stepsOf(before.toString()));
    expect(after.toString()).toContain('hidden'); // the intermediate's name survives its release
    expect(after.toMarkdown().split('### Check')[0]).toBe(before.toMarkdown().split('### Check')[0]);
    expect(after.steps).toEqual(before.steps);
    expect(after.checks.map((c) => c.derived)).toEqual(before.checks.map((c) => c.derived));
    expect(after.checks.every((c) => c.source === '.grad')).toBe(true);
    expect(after.ok).toBe(true);
    // The drawn graph is the same apart from the gradient norms backward added to the leaves.
    const strip = (g: typeof graphBefore) => g.nodes.map(({ gradNorm: _, ...rest }) => rest);
    expect(strip(toGraphJson(loss, { params }))).toEqual(strip(graphBefore));
  });

  it('lists the same gradient paths with the same values as before backward', () => {
    const x = tensor([2], { requiresGrad: true });
    const y = tensor([3], { requiresGrad: true });
    const z = x.mul(y).add(x.pow(2)).exp().log();
    const before = explainGradientPaths(z, x).toString();
    z.backward();
    expect(explainGradientPaths(z, x).toString()).toBe(before);
  });

  it('refuses to explain numbers after an optimizer step changed a leaf, but still draws the graph', () => {
    const { loss, params } = mlp();
    const dot = toDot(loss, { params });
    const mermaid = toMermaid(loss, { params });
    loss.backward();
    step([params.w1, params.b1, params.w2]);
    expect(() => chainRuleWalkthrough(loss, { params })).toThrow(
      /^chainRuleWalkthrough: the graph was changed after it was recorded \(e\.g\. optimizer\.step\(\) updated the weights in place\).*was changed in place since the forward pass/,
    );
    const x = tensor([2], { requiresGrad: true });
    const z = x.mul(3).exp();
    z.backward();
    step([x]);
    expect(() => explainGradientPaths(z, x)).toThrow(
      /^explainGradientPaths: the graph was changed after it was recorded/,
    );
    // Structure needs no values: the drawings do not depend on the leaves' values.
    expect(toDot(loss, { params }).replace(/\\ngrad norm [^"]*/g, '')).toBe(dot);
    expect(toMermaid(loss, { params }).replace(/<br\/>grad norm [^"]*/g, '')).toBe(mermaid);
  });
});
