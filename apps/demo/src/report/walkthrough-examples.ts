/**
 * @file Small worked examples for the report's chain-rule page: the original engine's Quick Start
 * (z = x·y + x², so dz/dx = y + 2x = 7 and dz/dy = x = 2) and one tanh neuron with a squared error.
 */
import { tensor } from '@optimgrad/core';
import { chainRuleWalkthrough, explainGradientPaths } from '@optimgrad/inspect';

/** Moves every Markdown heading one level down, to nest a generated section under ours. */
function nested(markdown: string): string {
  return markdown.replace(/^(#+) /gm, '$1# ');
}

/**
 * Markdown with the step-by-step backward pass of both examples and their gradient paths.
 * @example writeFileSync('chain-rule.md', chainRuleMarkdown());
 */
export function chainRuleMarkdown(): string {
  const parts: string[] = ['# The chain rule, step by step', ''];
  const x = tensor(2, { dtype: 'float64', requiresGrad: true });
  const y = tensor(3, { dtype: 'float64', requiresGrad: true });
  const z = x.mul(y).add(x.pow(2));
  const quickStart = chainRuleWalkthrough(z, { params: { x, y } });
  const pathsX = explainGradientPaths(z, x);
  parts.push(
    '## 1. The Quick Start: z = x·y + x² at x = 2, y = 3',
    '',
    'Expected from calculus: dz/dx = y + 2x = 7 and dz/dy = x = 2.',
    '',
    nested(quickStart.toMarkdown()),
    '',
    '### Gradient paths from z to x',
    '',
    '```',
    pathsX.toString(),
    '```',
    '',
  );
  const w = tensor(0.8, { dtype: 'float64', requiresGrad: true });
  const b = tensor(-0.3, { dtype: 'float64', requiresGrad: true });
  const input = tensor(1.5, { dtype: 'float64' });
  const target = tensor(0.5, { dtype: 'float64' });
  const loss = w.mul(input).add(b).tanh().sub(target).pow(2);
  const neuron = chainRuleWalkthrough(loss, { params: { w, b } });
  parts.push(
    '## 2. One neuron: loss = (tanh(w·x + b) − t)² with w = 0.8, b = −0.3, x = 1.5, t = 0.5',
    '',
    nested(neuron.toMarkdown()),
    '',
  );
  return parts.join('\n');
}
