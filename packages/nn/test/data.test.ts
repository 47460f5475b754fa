import { arange, manualSeed, randn, type Tensor, tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { DataLoader, type Dataset, TensorDataset } from '../src/data';

const rows = (t: Tensor): number[] => Array.from(t.data);

describe('TensorDataset', () => {
  it('indexes rows of every tensor and reports its length', () => {
    const x = arange(12).reshape(6, 2);
    const y = arange(6).mul(10);
    const ds = new TensorDataset(x, y);
    expect(ds.length).toBe(6);
    const [xi, yi] = ds.get(2);
    expect(xi?.toArray()).toEqual([4, 5]);
    expect(yi?.item()).toBe(20);
    expect(ds.get(-1)[1]?.item()).toBe(50);
  });

  it('rejects tensors with different first dims, no tensors and bad indices', () => {
    expect(() => new TensorDataset(randn([5, 2]), randn([4]))).toThrow(
      /TensorDataset: size mismatch between tensors: tensor 0 has 5 samples .* tensor 1 has 4/,
    );
    expect(() => new TensorDataset()).toThrow(/at least one tensor/);
    expect(() => new TensorDataset(tensor(3))).toThrow(/tensor 0 is 0-d/);
    expect(() => new TensorDataset(randn([3])).get(3)).toThrow(/index 3 is out of range for a dataset of 3 samples/);
  });
});

describe('DataLoader', () => {
  const x = arange(20).reshape(10, 2);
  const y = arange(10);
  const ds = new TensorDataset(x, y);

  it('yields batches in order, stacked along dim 0, with a smaller last batch', () => {
    const loader = new DataLoader(ds, { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches.map(([xb]) => xb?.shape)).toEqual([
      [4, 2],
      [4, 2],
      [2, 2],
    ]);
    expect(batches.map(([, yb]) => rows(yb as Tensor))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(rows(batches[2]?.[0] as Tensor)).toEqual([16, 17, 18, 19]);
  });

  it('drops the incomplete last batch with dropLast', () => {
    const loader = new DataLoader(ds, { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect([...loader].length).toBe(2);
    expect(new DataLoader(ds, { batchSize: 5, dropLast: true }).length).toBe(2);
  });

  it('defaults to batches of one sample', () => {
    const loader = new DataLoader(ds);
    expect(loader.length).toBe(10);
    const first = [...loader][0] as Tensor[];
    expect(first[0]?.shape).toEqual([1, 2]);
  });

  it('shuffles into a permutation that keeps inputs and targets paired, differently each epoch', () => {
    manualSeed(0);
    const loader = new DataLoader(ds, { batchSize: 3, shuffle: true });
    const epoch = () =>
      [...loader].flatMap(([xb, yb]) => {
        const xs = rows(xb as Tensor);
        return rows(yb as Tensor).map((label, i) => {
          expect(xs.slice(2 * i, 2 * i + 2)).toEqual([2 * label, 2 * label + 1]);
          return label;
        });
      });
    const first = epoch();
    const second = epoch();
    expect([...first].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...second].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(first).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(second).not.toEqual(first);
  });

  it('reproduces the same shuffled order after manualSeed', () => {
    const order = () =>
      [...new DataLoader(ds, { batchSize: 4, shuffle: true })].flatMap(([, yb]) => rows(yb as Tensor));
    manualSeed(42);
    const a = order();
    manualSeed(42);
    const b = order();
    expect(a).toEqual(b);
  });

  it('keeps a private, reproducible stream with the seed option', () => {
    const labels = (loader: DataLoader) => [...loader].flatMap(([, yb]) => rows(yb as Tensor));
    const a = new DataLoader(ds, { batchSize: 4, shuffle: true, seed: 7 });
    const b = new DataLoader(ds, { batchSize: 4, shuffle: true, seed: 7 });
    const firstA = labels(a);
    manualSeed(1);
    randn([100]);
    expect(labels(b)).toEqual(firstA);
    expect(labels(a)).toEqual(labels(b));
  });

  it('stacks the samples of any dataset with a get method', () => {
    const squares: Dataset = {
      length: 5,
      get: (i: number) => [tensor([i, i * i]), tensor(i % 2)],
    };
    const batches = [...new DataLoader(squares, { batchSize: 2 })];
    expect(batches.length).toBe(3);
    expect(batches[1]?.[0]?.toArray()).toEqual([
      [2, 4],
      [3, 9],
    ]);
    expect(batches[2]?.[1]?.shape).toEqual([1]);
  });

  it('passes gradients back to dataset tensors that require them', () => {
    const features = randn([4, 3], { requiresGrad: true });
    const [[xb] = []] = [...new DataLoader(new TensorDataset(features), { batchSize: 4, shuffle: true })];
    (xb as Tensor).sum().backward();
    expect(rows(features.grad as Tensor)).toEqual(new Array(12).fill(1));
  });

  it('rejects a non-positive batch size', () => {
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow(/batchSize must be a positive integer, got 0/);
  });
});
