/**
 * @file `TensorDataset` and `DataLoader`, as in `torch.utils.data`: a dataset indexes samples, a loader
 * batches them (stacking along a new dim 0), optionally reshuffled every epoch with core's seeded
 * random source. Batches of a `TensorDataset` are gathered with one `indexSelect` per tensor
 * (or a `slice` view when not shuffling) instead of stacking samples one by one.
 */
import {
  formatShape,
  getRngState,
  manualSeed,
  randperm,
  setRngState,
  stack,
  type Tensor,
  tensor,
} from '@optimgrad/core';

/** A map-style dataset: `length` samples, each a tuple of tensors. */
export interface Dataset<T extends readonly Tensor[] = Tensor[]> {
  readonly length: number;
  get(index: number): T;
}

/**
 * Samples are the rows (dim 0) of the given tensors, which must share their first dim.
 * @example const ds = new TensorDataset(x, y); const [xi, yi] = ds.get(0);
 */
export class TensorDataset implements Dataset<Tensor[]> {
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0)
      throw new Error('TensorDataset: expected at least one tensor, e.g. new TensorDataset(x, y)');
    tensors.forEach((t, i) => {
      if (t.ndim === 0) throw new Error(`TensorDataset: tensor ${i} is 0-d; every tensor needs a first dim of samples`);
    });
    const n = tensors[0]?.shape[0] as number;
    tensors.forEach((t, i) => {
      if (t.shape[0] !== n) {
        throw new Error(
          `TensorDataset: size mismatch between tensors: tensor 0 has ${n} samples (shape ${formatShape(tensors[0]?.shape ?? [])}) but tensor ${i} has ${t.shape[0]} (shape ${formatShape(t.shape)}); all tensors must have the same first dim`,
        );
      }
    });
    this.tensors = tensors;
  }

  /** The number of samples. */
  get length(): number {
    return this.tensors[0]?.shape[0] as number;
  }

  /** Sample `index` (negative counts from the end): one row of every tensor. */
  get(index: number): Tensor[] {
    const n = this.length;
    if (!Number.isInteger(index) || index < -n || index >= n) {
      throw new Error(`TensorDataset.get: index ${index} is out of range for a dataset of ${n} samples`);
    }
    const i = index < 0 ? index + n : index;
    return this.tensors.map((t) => t.select(0, i));
  }
}

/** Options of `DataLoader`. */
export interface DataLoaderOptions {
  /** Samples per batch (default 1). */
  readonly batchSize?: number;
  /** Reshuffle the samples at the start of every epoch (default false). */
  readonly shuffle?: boolean;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  readonly dropLast?: boolean;
  /**
   * Seed of the loader's own shuffling stream. Without it, shuffling draws from core's global random
   * source (reproducible with `manualSeed`).
   */
  readonly seed?: number;
}

/**
 * Iterates over a dataset in batches: `for (const [x, y] of loader)`; each element is stacked along dim 0.
 * @example for (const [x, y] of new DataLoader(new TensorDataset(xs, ys), { batchSize: 32, shuffle: true })) train(x, y);
 */
export class DataLoader<T extends readonly Tensor[] = Tensor[]> implements Iterable<Tensor[]> {
  readonly dataset: Dataset<T>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  /** The private random state when a `seed` was given. */
  private rngState: number[] | null = null;

  constructor(dataset: Dataset<T>, options: DataLoaderOptions = {}) {
    const { batchSize = 1, shuffle = false, dropLast = false, seed } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new Error(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    }
    if (!Number.isInteger(dataset?.length) || dataset.length < 0 || typeof dataset.get !== 'function') {
      throw new Error('DataLoader: dataset must have an integer length and a get(index) method, e.g. a TensorDataset');
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    if (seed !== undefined) {
      const saved = getRngState();
      manualSeed(seed);
      this.rngState = getRngState();
      setRngState(saved);
    }
  }

  /** The number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The sample order of a new epoch (a fresh permutation when shuffling). */
  private order(): Tensor | null {
    if (!this.shuffle) return null;
    if (this.rngState === null) return randperm(this.dataset.length);
    const saved = getRngState();
    setRngState(this.rngState);
    try {
      return randperm(this.dataset.length);
    } finally {
      this.rngState = getRngState();
      setRngState(saved);
    }
  }

  *[Symbol.iterator](): Iterator<Tensor[]> {
    const n = this.dataset.length;
    const order = this.order();
    const indices = order === null ? null : order.data;
    for (let b = 0; b < this.length; b++) {
      const start = b * this.batchSize;
      const end = Math.min(start + this.batchSize, n);
      yield this.batch(start, end, indices);
    }
  }

  private batch(start: number, end: number, order: ArrayLike<number> | null): Tensor[] {
    const dataset = this.dataset;
    if (dataset instanceof TensorDataset) {
      if (order === null) return dataset.tensors.map((t) => t.slice(0, start, end));
      const index = tensor(Array.prototype.slice.call(order, start, end) as number[]);
      return dataset.tensors.map((t) => t.indexSelect(0, index));
    }
    const samples: (readonly Tensor[])[] = [];
    for (let i = start; i < end; i++) samples.push(dataset.get(order === null ? i : (order[i] as number)));
    const width = samples[0]?.length ?? 0;
    return Array.from({ length: width }, (_, k) =>
      stack(
        samples.map((s, i) => {
          const t = s[k];
          if (t === undefined) {
            throw new Error(`DataLoader: sample ${start + i} has ${s.length} tensors but the first has ${width}`);
          }
          return t;
        }),
        0,
      ),
    );
  }
}
