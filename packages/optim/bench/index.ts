/**
 * @file Optimizer step time for 1M float32 parameters, @optimgrad/optim next to TensorFlow.js's
 * optimizers (cpu backend) on the same workload, printed as a table. Run with `pnpm bench`.
 */
import { manualSeed, randn, type Tensor } from '@optimgrad/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Adam, type Optimizer, SGD } from '../src/index';

const SHAPE = [1000, 1000];
const WARMUP = 5;
const ROUNDS = 5;
const STEPS = 6;

const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Mean ms per step over the fastest of ROUNDS rounds of STEPS steps (robust to a busy machine). */
function timeIt(step: () => void): number {
  for (let i = 0; i < WARMUP; i++) step();
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    collect();
    const start = performance.now();
    for (let i = 0; i < STEPS; i++) step();
    best = Math.min(best, (performance.now() - start) / STEPS);
  }
  return best;
}

function ours(make: (p: Tensor) => Optimizer): number {
  manualSeed(0);
  const p = randn(SHAPE, { requiresGrad: true });
  p.grad = randn(SHAPE).mul(1e-3);
  const opt = make(p);
  return timeIt(() => opt.step());
}

function theirs(make: () => tf.Optimizer): number {
  const w = tf.variable(tf.randomNormal(SHAPE, 0, 1, 'float32', 0), true, 'w');
  const g = tf.randomNormal(SHAPE, 0, 1e-3, 'float32', 1);
  const opt = make();
  const ms = timeIt(() => opt.applyGradients({ w: g }));
  opt.dispose();
  w.dispose();
  g.dispose();
  return ms;
}

await tf.setBackend('cpu');
const rows = [
  {
    name: 'SGD, momentum 0.9',
    ours: ours((p) => new SGD([p], { lr: 0.01, momentum: 0.9 })),
    tfjs: theirs(() => tf.train.momentum(0.01, 0.9)),
  },
  {
    name: 'Adam',
    ours: ours((p) => new Adam([p], { lr: 1e-3 })),
    tfjs: theirs(() => tf.train.adam(1e-3)),
  },
];

console.log(
  `optimizer step, ${SHAPE[0]! * SHAPE[1]!} float32 parameters, best of ${ROUNDS} rounds of ${STEPS} steps (node ${process.version})`,
);
console.log('| optimizer | @optimgrad/optim ms/step | tfjs (cpu) ms/step | tfjs / optimgrad |');
console.log('|---|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.name} | ${r.ours.toFixed(2)} | ${r.tfjs.toFixed(2)} | ${(r.tfjs / r.ours).toFixed(2)}x |`);
}
