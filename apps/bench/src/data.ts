/** @file Inputs shared by every engine: drawn once from optimgrad's seeded generator and copied into each peer. */
import { manualSeed, rand, randn, type Tensor, type TypedArray } from '@optimgrad/core';

/** Standard-normal float32 values (seeded, so every run measures the same inputs). */
export function normal(seed: number, size: number): Float32Array {
  manualSeed(seed);
  return Float32Array.from(randn([size]).data);
}

/** Uniform float32 values in [lo, hi). */
export function uniform(seed: number, size: number, lo: number, hi: number): Float32Array {
  manualSeed(seed);
  return Float32Array.from(rand([size]).data, (u) => lo + (hi - lo) * u);
}

/** Integer class labels in [0, classes), stored as float32 (optimgrad's index dtype). */
export function labels(seed: number, size: number, classes: number): Float32Array {
  manualSeed(seed);
  return Float32Array.from(rand([size]).data, (u) => Math.min(classes - 1, Math.floor(u * classes)));
}

/** Row-major one-hot rows for the given labels. */
export function oneHot(indices: Float32Array, classes: number): Float32Array {
  const out = new Float32Array(indices.length * classes);
  indices.forEach((c, row) => {
    out[row * classes + c] = 1;
  });
  return out;
}

/** The transpose of a row-major [rows, cols] matrix. */
export function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c] as number;
  return out;
}

/** The values of a tensor's gradient (throws if backward did not reach it). */
export function gradData(t: Tensor): TypedArray {
  const grad = t.grad;
  if (grad === null) throw new Error('no gradient: backward did not reach this tensor');
  return grad.data;
}
