/**
 * @file Generates the pictures and the sample walkthrough that the README shows (`pnpm docs`), so
 * the README's images always come from the current code. Deterministic: seeded, no timestamps.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manualSeed, noGrad, randn, type Tensor, tensor } from '@optimgrad/core';
import {
  chainRuleWalkthrough,
  explainGradientPaths,
  GradientTracker,
  gradientFieldSvg,
  taylorSvg,
  toSvg,
} from '../src/index';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs');
mkdirSync(docs, { recursive: true });
const write = (name: string, text: string) => {
  writeFileSync(join(docs, name), text.endsWith('\n') ? text : `${text}\n`);
  console.log(`wrote docs/${name}`);
};

function param(shape: number[], scale: number): Tensor {
  const p = noGrad(() => randn(shape, { dtype: 'float64' }).mul(scale));
  p.requiresGrad = true;
  return p;
}

// 1. The graph of a small two-layer network's loss, after backward (grad norms on every parameter).
manualSeed(0);
const w1 = param([4, 3], 0.5);
const b1 = param([4], 0.1);
const w2 = param([1, 4], 0.5);
const x = randn([5, 3], { dtype: 'float64' });
const target = randn([5, 1], { dtype: 'float64' });
const loss = x.matmul(w1.T).add(b1).relu().matmul(w2.T).sub(target).square().mean();
loss.backward();
write('graph.svg', await toSvg(loss, { params: { 'fc1.weight': w1, 'fc1.bias': b1, 'fc2.weight': w2 } }));

// 2. The Quick Start, explained: chain-rule walkthrough and gradient paths.
const a = tensor([2], { requiresGrad: true });
const b = tensor([3], { requiresGrad: true });
const z = a.mul(b).add(a.pow(2));
const walkthrough = chainRuleWalkthrough(z, { params: { x: a, y: b } });
const paths = explainGradientPaths(z, a);
write(
  'quick-start-walkthrough.md',
  `${walkthrough.toMarkdown()}\n## Gradient paths from z to x\n\n\`\`\`text\n${paths.toString()}\n\`\`\`\n`,
);

// 3. Gradient flow in a deep sigmoid network: the first layers' gradients are orders of magnitude smaller.
manualSeed(1);
const layers = Array.from({ length: 6 }, () => ({ w: param([16, 16], 0.25), b: param([16], 0.0) }));
const model = { namedParameters: () => layers.map((l, i): [string, Tensor] => [`layer${i + 1}.weight`, l.w]) };
const tracker = new GradientTracker(model);
const inputs = randn([32, 16], { dtype: 'float64' });
const labels = randn([32, 16], { dtype: 'float64' });
for (let step = 0; step < 40; step++) {
  for (const l of layers) {
    l.w.zeroGrad();
    l.b.zeroGrad();
  }
  const out = layers.reduce((h, l) => h.matmul(l.w.T).add(l.b).sigmoid(), inputs);
  out.sub(labels).square().mean().backward();
  tracker.record();
  noGrad(() => {
    for (const l of layers) {
      l.w.sub_((l.w.grad as Tensor).mul(2));
      l.b.sub_((l.b.grad as Tensor).mul(2));
    }
  });
}
write(
  'gradient-flow.svg',
  tracker.toSvg({ title: 'Gradient norms in a 6-layer sigmoid network (vanishing toward the input)' }),
);
write('gradient-flow.txt', tracker.toString());

// 4. Taylor polynomials of sin around 0.
write(
  'taylor.svg',
  taylorSvg((t) => t.sin(), 0, 9, {
    range: [-7, 7],
    degrees: [1, 3, 5, 7, 9],
    title: 'sin(x) and its Taylor polynomials around 0',
  }),
);

// 5. The descent directions of f(x, y) = sin(x)·cos(y).
write(
  'gradient-field.svg',
  gradientFieldSvg((u, v) => u.sin().mul(v.cos()), {
    xRange: [-3, 3],
    yRange: [-3, 3],
    n: 17,
    descent: true,
    title: '−∇f for f(x, y) = sin(x)·cos(y)',
  }),
);
