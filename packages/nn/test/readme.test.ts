import { cat, manualSeed, noGrad, ones, randn, zeros } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { crossEntropyLoss, MLP } from '../src/index';

describe('README example', () => {
  it('trains the two-blob classifier end to end to high accuracy', () => {
    manualSeed(0);
    const x = cat([randn([100, 2]).sub(1), randn([100, 2]).add(1)]);
    const y = cat([zeros([100]), ones([100])]);
    const model = new MLP([2, 16, 2], { activation: 'relu' });
    let first = 0;
    let last = 0;
    for (let step = 0; step < 200; step++) {
      model.zeroGrad();
      const loss = crossEntropyLoss(model.call(x), y);
      loss.backward();
      noGrad(() => {
        for (const p of model.parameters()) p.sub_(p.grad!.mul(0.1));
      });
      if (step === 0) first = loss.item();
      last = loss.item();
    }
    model.eval();
    const accuracy = model.call(x).argmax(1).eq(y).mean().item();
    expect(last).toBeLessThan(first / 2);
    expect(accuracy).toBeGreaterThan(0.88);
  });
});
