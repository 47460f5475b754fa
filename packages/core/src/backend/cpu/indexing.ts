/** @file Index kernels: indexSelect/indexAdd (embeddings, im2col) and gather/scatterAdd. */
import type { TypedArray } from '../../dtype';
import type { Shape } from '../../shape';
import { contiguousStrides } from '../../shape';

export function indexSelect(
  x: TypedArray,
  index: TypedArray,
  outer: number,
  size: number,
  inner: number,
  out: TypedArray,
): void {
  const count = index.length;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < count; i++) {
      const from = (o * size + (index[i] as number)) * inner;
      const to = (o * count + i) * inner;
      if (inner === 1) out[to] = x[from] as number;
      else out.set(x.subarray(from, from + inner), to);
    }
  }
}

export function indexAdd(
  source: TypedArray,
  index: TypedArray,
  outer: number,
  size: number,
  inner: number,
  out: TypedArray,
): void {
  const count = index.length;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < count; i++) {
      const to = (o * size + (index[i] as number)) * inner;
      const from = (o * count + i) * inner;
      for (let r = 0; r < inner; r++) out[to + r] = (out[to + r] as number) + (source[from + r] as number);
    }
  }
}

/** Offset into a contiguous tensor of `shape` of the element at `position` with `dim` replaced by `value`. */
function gatherPlan(xShape: Shape, indexShape: Shape, dim: number) {
  const xStrides = contiguousStrides(xShape);
  const total = indexShape.reduce((p, d) => p * d, 1);
  return { xStrides, total, ndim: indexShape.length, dimStride: xStrides[dim] ?? 0 }; // 0-d: no stride
}

export function gather(
  x: TypedArray,
  xShape: Shape,
  index: TypedArray,
  indexShape: Shape,
  dim: number,
  out: TypedArray,
): void {
  const { xStrides, total, ndim, dimStride } = gatherPlan(xShape, indexShape, dim);
  const counter = new Int32Array(ndim);
  let base = 0; // offset in x of the current position with the gathered dim at 0
  for (let e = 0; e < total; e++) {
    out[e] = x[base + (index[e] as number) * dimStride] as number;
    for (let d = ndim - 1; d >= 0; d--) {
      counter[d] = (counter[d] as number) + 1;
      if (d !== dim) base += xStrides[d] as number;
      if ((counter[d] as number) < (indexShape[d] as number)) break;
      if (d !== dim) base -= (xStrides[d] as number) * (indexShape[d] as number);
      counter[d] = 0;
    }
  }
}

export function scatterAdd(
  source: TypedArray,
  index: TypedArray,
  indexShape: Shape,
  dim: number,
  out: TypedArray,
  outShape: Shape,
): void {
  const { xStrides, total, ndim, dimStride } = gatherPlan(outShape, indexShape, dim);
  const counter = new Int32Array(ndim);
  let base = 0;
  for (let e = 0; e < total; e++) {
    const at = base + (index[e] as number) * dimStride;
    out[at] = (out[at] as number) + (source[e] as number);
    for (let d = ndim - 1; d >= 0; d--) {
      counter[d] = (counter[d] as number) + 1;
      if (d !== dim) base += xStrides[d] as number;
      if ((counter[d] as number) < (indexShape[d] as number)) break;
      if (d !== dim) base -= (xStrides[d] as number) * (indexShape[d] as number);
      counter[d] = 0;
    }
  }
}
