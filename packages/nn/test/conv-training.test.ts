import { manualSeed, noGrad, randn, type Tensor, tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { DataLoader, TensorDataset } from '../src/data';
import { Conv2d } from '../src/layers/conv';
import { MaxPool2d } from '../src/layers/pool';

/** 6×6 images with a bright vertical (class 0) or horizontal (class 1) bar at a random position, plus noise. */
function bars(n: number): { images: Tensor; labels: Tensor } {
  const images = new Float32Array(n * 36);
  const labels = new Float32Array(n);
  const noise = randn([n * 36]).data;
  for (let s = 0; s < n; s++) {
    const label = s % 2;
    const at = (s >> 1) % 6;
    labels[s] = label;
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 6; c++) {
        const onBar = label === 0 ? c === at : r === at;
        images[s * 36 + r * 6 + c] = (onBar ? 1 : 0) + 0.1 * (noise[s * 36 + r * 6 + c] as number);
      }
    }
  }
  return { images: tensor(images, { shape: [n, 1, 6, 6] }), labels: tensor(labels) };
}

describe('a tiny CNN', () => {
  it('learns to tell vertical from horizontal bars with Conv2d, MaxPool2d and a DataLoader', () => {
    manualSeed(0);
    const { images, labels } = bars(64);
    const conv = new Conv2d(1, 4, 3, { padding: 1 });
    const pool = new MaxPool2d(2);
    const head = randn([4 * 3 * 3, 2])
      .mul(0.1)
      .detach();
    head.requiresGrad = true;
    const parameters = [...conv.parameters(), head];
    const logits = (x: Tensor) => pool.call(conv.call(x).relu()).flatten(1).matmul(head);
    const loss = (x: Tensor, y: Tensor) => {
      const logProbs = logits(x).logSoftmax(1);
      return logProbs.gather(1, y.reshape(-1, 1)).mean().neg();
    };
    const initial = loss(images, labels).item();
    const loader = new DataLoader(new TensorDataset(images, labels), { batchSize: 16, shuffle: true });
    for (let epoch = 0; epoch < 15; epoch++) {
      for (const [x, y] of loader) {
        for (const p of parameters) p.grad = null;
        loss(x as Tensor, y as Tensor).backward();
        noGrad(() => {
          for (const p of parameters) p.sub_((p.grad as Tensor).mul(0.5));
        });
      }
    }
    const final = loss(images, labels).item();
    const predictions = logits(images).argmax(1);
    const accuracy = predictions.eq(labels).mean().item();
    expect(final).toBeLessThan(initial / 4);
    expect(accuracy).toBe(1);
  });
});
