/** @file Deterministic test inputs: seeded values in a range, kept away from kinks, as float64 tensors. */
import { type Tensor, tensor } from '../../src/index';

/** A small seeded generator (mulberry32), independent of the engine's own random source. */
export function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

let counter = 1;

export interface SampleOptions {
  /** Lower bound of the values (default -1). */
  readonly lo?: number;
  /** Upper bound of the values (default 1). */
  readonly hi?: number;
  /** Points (kinks) every value keeps at least 0.05 away from. */
  readonly avoid?: readonly number[];
  readonly requiresGrad?: boolean;
  readonly dtype?: 'float32' | 'float64';
}

/** Plain numbers drawn from `options`' range, each 0.05 or more from every `avoid` point. */
export function sampleValues(count: number, options: SampleOptions = {}, seed = counter++): number[] {
  const next = generator(seed * 7919);
  const lo = options.lo ?? -1;
  const hi = options.hi ?? 1;
  const avoid = options.avoid ?? [];
  const out: number[] = [];
  while (out.length < count) {
    const v = lo + (hi - lo) * next();
    if (avoid.every((p) => Math.abs(v - p) >= 0.05)) out.push(v);
  }
  return out;
}

/** A float64 tensor (requiring grad unless told otherwise) with sampled values. */
export function sample(shape: readonly number[], options: SampleOptions = {}): Tensor {
  const size = shape.reduce((p, d) => p * d, 1);
  return tensor(sampleValues(size, options), {
    shape,
    dtype: options.dtype ?? 'float64',
    requiresGrad: options.requiresGrad ?? true,
  });
}

/** A float64 tensor of integer indices (no grad). */
export function indices(values: readonly number[], shape: readonly number[] = [values.length]): Tensor {
  return tensor([...values], { shape, dtype: 'float64' });
}
