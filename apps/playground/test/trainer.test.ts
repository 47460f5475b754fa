import { parseSafetensors } from '@optimgrad/nn';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../src/state/settings';
import { GRID_SIZE, Trainer } from '../src/train/trainer';

describe('Trainer', () => {
  it('learns the default moons above 90% test accuracy within 300 steps', () => {
    const trainer = new Trainer(DEFAULT_SETTINGS);
    const before = trainer.snapshot();
    for (let i = 0; i < 300; i++) trainer.step();
    const after = trainer.snapshot();
    expect(after.step).toBe(300);
    expect(after.testAccuracy).toBeGreaterThan(0.9);
    expect(after.loss).toBeLessThan(0.3);
    expect(before.testAccuracy).toBeLessThan(after.testAccuracy);
    expect(after.probabilities).toHaveLength(GRID_SIZE * GRID_SIZE * 2);
    expect(after.layerGradNorms).toHaveLength(3);
    expect(after.layerGradNorms.every((n) => Number.isFinite(n) && n >= 0)).toBe(true);
  });

  it('draws the same data and the same first steps for the same seed', () => {
    // One generator serves every trainer (as in the worker, which holds one at a time), so run them one after the other.
    const run = () => {
      const trainer = new Trainer({ ...DEFAULT_SETTINGS, dataset: 'spiral', hidden: [6] });
      return { data: trainer.data, losses: [trainer.step(), trainer.step()] };
    };
    const first = run();
    expect(run()).toEqual(first);
    expect(first.data.classes).toBe(3);
  });

  it('warns about vanishing gradients and dead ReLUs when the network is starved', () => {
    // A huge learning rate kills most ReLUs in a few SGD steps; their gradients then vanish.
    const trainer = new Trainer({ ...DEFAULT_SETTINGS, optimizer: 'sgd', lr: 1, clip: 0, hidden: [4, 4] });
    for (let i = 0; i < 40; i++) trainer.step();
    const text = trainer.snapshot().warnings.join('\n');
    expect(text).toMatch(/dead ReLUs|vanishing gradient|exploding gradient|non-finite/);
  });

  it('saves weights under PyTorch keys and loads them into a network of another shape', () => {
    const source = new Trainer({ ...DEFAULT_SETTINGS, hidden: [5, 3], activation: 'tanh' });
    for (let i = 0; i < 5; i++) source.step();
    const bytes = source.saveWeights();
    const parsed = parseSafetensors(bytes);
    expect(Object.keys(parsed.tensors).sort()).toEqual([
      '0.bias',
      '0.weight',
      '2.bias',
      '2.weight',
      '4.bias',
      '4.weight',
    ]);
    expect(parsed.tensors['0.weight']?.shape).toEqual([5, 2]);
    const target = new Trainer(DEFAULT_SETTINGS);
    expect(target.loadWeights(bytes)).toEqual({ hidden: [5, 3], activation: 'tanh' });
    expect(target.sizes).toEqual([2, 5, 3, 2]);
    expect(target.snapshot().probabilities).toEqual(source.snapshot().probabilities);
  });

  it('refuses weights whose classes do not match the dataset, naming both', () => {
    const spiral = new Trainer({ ...DEFAULT_SETTINGS, dataset: 'spiral' }).saveWeights();
    expect(() => new Trainer(DEFAULT_SETTINGS).loadWeights(spiral)).toThrow(/maps 2 inputs to 3 classes, but moons/);
  });

  it('bounds the logits over a box: interval and CROWN bounds both contain the sampled range', () => {
    const trainer = new Trainer(DEFAULT_SETTINGS);
    for (let i = 0; i < 100; i++) trainer.step();
    const report = trainer.bounds({ x0: 0, x1: 0.5, y0: 0, y1: 0.5 });
    const { interval, sampled } = report;
    const crown = report.crown;
    if (crown === null) throw new Error('a ReLU network must get CROWN bounds');
    for (let c = 0; c < 2; c++) {
      for (const bound of [interval, crown]) {
        expect(bound.lower[c]).toBeLessThanOrEqual(sampled.lower[c] as number);
        expect(bound.upper[c]).toBeGreaterThanOrEqual(sampled.upper[c] as number);
      }
      expect(sampled.lower[c]).toBeLessThan(sampled.upper[c] as number);
    }
    expect(report.samples).toBeGreaterThan(400);
  });

  it('gives no CROWN bounds for a tanh network and says why', () => {
    const report = new Trainer({ ...DEFAULT_SETTINGS, activation: 'tanh' }).bounds({ x0: 0, x1: 1, y0: 0, y1: 1 });
    expect(report.crown).toBeNull();
    expect(report.crownNote).toMatch(/tanh/);
  });
});
