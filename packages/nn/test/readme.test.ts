import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

describe('README: weights to and from PyTorch', () => {
  // The TypeScript blocks run in apps/demo/test/readme.test.ts; this checks the PyTorch side is there beside them.
  const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md'), 'utf8');

  it('saves and loads safetensors in optimgrad', () => {
    expect(readme).toMatch(
      /```ts\n[^`]*saveSafetensorsFile\(path, model\.stateDict\(\)\)[^`]*loadStateDict\(loadSafetensorsFile\(path\)\)/,
    );
  });

  it('shows the PyTorch code for both directions', () => {
    const python = /```python\n([^`]*)```/.exec(readme)?.[1] ?? '';
    expect(python).toContain('from safetensors.torch import load_file, save_file');
    expect(python).toContain('model.load_state_dict(load_file("model.safetensors"))');
    expect(python).toContain('save_file(model.state_dict(), "from-torch.safetensors")');
  });
});

describe('README: PyTorch both ways', () => {
  const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## PyTorch both ways'));

  it('builds the CNN and the sequence model with the same keys in optimgrad and PyTorch', () => {
    const ts = /```ts\n([^`]*)```/.exec(section)?.[1] ?? '';
    const python = /```python\n([^`]*)```/.exec(section)?.[1] ?? '';
    expect(ts).toContain('new BatchNorm2d(4)');
    expect(python).toContain('nn.BatchNorm2d(4)');
    for (const key of ['embed', 'norm', 'head']) {
      expect(ts).toContain(`registerModule('${key}'`);
      expect(python).toContain(`self.${key}`);
    }
  });

  it('shows the PyTorch code for both directions', () => {
    const python = /```python\n([^`]*)```/.exec(section)?.[1] ?? '';
    expect(python).toContain('cnn.load_state_dict(load_file("cnn.safetensors"))');
    expect(python).toContain('save_file(sequence.state_dict(), "sequence-from-torch.safetensors")');
  });
});
