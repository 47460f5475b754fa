/**
 * @file Memory: 10,000 training steps of a small MLP (matmul, add, tanh, mean squared error,
 * SGD in noGrad) keep the heap flat, i.e. graphs, saved tensors and gradients are released.
 * Runs with --expose-gc (vitest.config.ts); without it, falls back to a generous bound.
 */
import { expect, it } from 'vitest';
import { manualSeed, noGrad, randn, type Tensor } from '../src/index';

type Gc = () => void;
const gc = (globalThis as { gc?: Gc }).gc;

function heapAfterGc(): number {
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

it('keeps the heap flat over 10,000 training steps of a small MLP', () => {
  manualSeed(1);
  const x = randn([16, 4]);
  const y = x.sum(1, true).tanh();
  const params: Tensor[] = [randn([4, 16]).mul(0.5), randn([16]).mul(0.1), randn([16, 1]).mul(0.5), randn([1])];
  for (const p of params) p.requiresGrad = true;
  const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];

  const step = (): number => {
    const hidden = x.matmul(w1).add(b1).tanh();
    const loss = hidden.matmul(w2).add(b2).sub(y).square().mean();
    loss.backward();
    noGrad(() => {
      for (const p of params) {
        p.sub_((p.grad as Tensor).mul(0.05));
        p.grad = null;
      }
    });
    return loss.item();
  };

  const first = step();
  for (let i = 1; i < 2_000; i++) step();
  const warm = heapAfterGc();
  let last = 0;
  for (let i = 2_000; i < 10_000; i++) last = step();
  const end = heapAfterGc();

  expect(last).toBeLessThan(first); // it trained
  const growth = end - warm;
  // A leak of one 16x16 float32 tensor per step would be > 8 MB here.
  expect(growth).toBeLessThan(gc ? 2_000_000 : 20_000_000);
});
