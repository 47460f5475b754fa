import { tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { chainRuleWalkthrough, explainGradientPaths, toDot, toMermaid, toSvg } from '../src/index';

/** The README's example with the leaves named through the constructor option, not by assigning `t.name`. */
function named() {
  const x = tensor(2, { requiresGrad: true, name: 'x' });
  const y = tensor(3, { requiresGrad: true, name: 'y' });
  const z = x.mul(y).add(x.pow(2));
  return { x, y, z };
}

describe('tensor names given with tensor(data, { name })', () => {
  it('are the labels of the chain-rule walkthrough', () => {
    const { z } = named();
    z.backward();
    const text = chainRuleWalkthrough(z).toString();
    expect(text).toContain('t1 = mul(x, y)');
    expect(text).toContain('dL/dx += 3');
    expect(text).toContain('check y: derived 2, .grad gave 2 OK');
    expect(text).not.toMatch(/\bx0\b/);
  });

  it('name the leaf of the gradient paths', () => {
    const { x, z } = named();
    const paths = explainGradientPaths(z, x);
    expect(paths.toString()).toContain('path 1: output -> add -> mul -> x');
    expect(paths.message).toBe("2 paths from the output to x. Their values sum to 7, x's gradient.");
  });

  it('are shown in DOT, Mermaid and SVG pictures', async () => {
    const { z } = named();
    for (const text of [toDot(z), toMermaid(z), await toSvg(z)]) {
      expect(text).toMatch(/\bx\b/);
      expect(text).toMatch(/\by\b/);
    }
    expect(toDot(z)).toMatch(/label="x\b/);
  });
});
