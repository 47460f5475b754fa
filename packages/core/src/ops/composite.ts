/**
 * @file Tensor operations that are compositions of primitives rather than one op: statistics,
 * softmax and friends, matmul's 1-D cases, and reshapes and slices under other names. They record no
 * node of their own; autograd sees the primitives. Kept as free functions so the Tensor class only
 * names them and the primitives in `ops/` stay the complete list of what backward must handle.
 */

import { apply } from '../apply';
import { noGrad } from '../autograd/grad-mode';
import { isTensor } from '../brand';
import { broadcastShapes, formatShape, normalizeDim, normalizeDims } from '../shape';
import type { Tensor } from '../tensor';
import { checkExtremumDims, reductionDims } from '../tensor-args';
import { ops } from './index';

/** Options of `var` and `std`: `correction` (default 1, or 0 when `unbiased` is false) is subtracted from n. */
export interface VarianceOptions {
  readonly unbiased?: boolean;
  readonly keepdim?: boolean;
  readonly correction?: number;
}

/**
 * Element-wise choice: `a` where `condition` is non-zero, else `b` (all broadcast).
 * @example where(x.gt(0), x, 0)
 */
export function where(condition: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  const like = isTensor(a) ? a : isTensor(b) ? b : condition;
  const ta = isTensor(a) ? a : like.newFull([], a);
  const tb = isTensor(b) ? b : like.newFull([], b);
  broadcastShapes('where', broadcastShapes('where', condition.shape, ta.shape), tb.shape);
  return ta.where(condition, tb);
}

/** 1 / sqrt(x). */
export function rsqrt(t: Tensor): Tensor {
  return t.sqrt().reciprocal();
}

/** The sum divided by the number of elements summed. */
export function mean(t: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean): Tensor {
  const dims = reductionDims(dim, t.ndim, 'mean');
  const count = dims.reduce((n, d) => n * (t.shape[d] as number), 1);
  return t.sum(dims, keepdim).div(count);
}

/** Variance: the squared deviations from the mean, summed and divided by n - correction (at least 0). */
export function variance(t: Tensor, dim: number | readonly number[] | undefined, options: VarianceOptions): Tensor {
  const dims = reductionDims(dim, t.ndim, 'var');
  const count = dims.reduce((n, d) => n * (t.shape[d] as number), 1);
  const correction = options.correction ?? ((options.unbiased ?? true) ? 1 : 0);
  const centered = t.sub(t.mean(dims, true));
  const squares = centered.square().sum(dims, options.keepdim ?? false);
  const dof = count - correction;
  if (dof >= 0) return squares.div(dof);
  // PyTorch divides the value by max(0, n - correction) (so it is Infinity or NaN) but its gradient by
  // n - correction itself: 2 (x - mean) / (n - correction). Value and gradient take those two paths here.
  const gradientPath = squares.div(dof);
  return gradientPath.add(noGrad(() => squares.div(0).sub(gradientPath)));
}

/** The square root of `variance`; where it is 0 the gradient is 0, as in PyTorch (not 0/0). */
export function std(t: Tensor, dim: number | readonly number[] | undefined, options: VarianceOptions): Tensor {
  const v = variance(t, dim, options);
  const zero = v.eq(0);
  // sqrt's own gradient at 0 is infinite; its input is kept away from 0 where the other branch is taken.
  return v.mul(0).where(zero, v.newFull([], 1).where(zero, v).sqrt());
}

/**
 * The maximum along `dims` (kept; with `finiteOnly`, 0 where it is infinite): subtracted before exp so it cannot overflow.
 * An empty tensor has no maximum to take, and needs none (as PyTorch, softmax over or beside an empty dim
 * is empty and logsumexp over one is log(0) = -inf), so the shift is then 0.
 */
function stableShift(t: Tensor, dims: readonly number[], finiteOnly: boolean): Tensor {
  return noGrad(() => {
    if (t.size === 0) return t.newZeros(t.shape.map((n, i) => (dims.includes(i) ? 1 : n)));
    const m = t.detach().max(dims, true);
    return finiteOnly ? m.where(m.isfinite(), 0) : m;
  });
}

/** log(sum(exp(x))) along `dim`, computed stably (the maximum is subtracted first). */
export function logsumexp(t: Tensor, dim: number | readonly number[], keepdim: boolean): Tensor {
  const dims = reductionDims(dim, t.ndim, 'logsumexp');
  // The shift is a constant for autograd: the result's gradient does not depend on it.
  const shift = stableShift(t, dims, true);
  const out = t.sub(shift).exp().sum(dims, true).log().add(shift);
  return keepdim ? out : squeezeDims(out, dims);
}

/** exp(x) / sum(exp(x)) along `dim`, with the maximum subtracted first so exp cannot overflow. */
export function softmax(t: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, t.ndim, 'softmax');
  const shift = stableShift(t, [d], false);
  const e = t.sub(shift).exp();
  return e.div(e.sum(d, true));
}

/** x - logsumexp(x) along `dim`. */
export function logSoftmax(t: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, t.ndim, 'logSoftmax');
  return t.sub(logsumexp(t, d, true));
}

/** argmax/argmin: along `dim`, or over the flattened tensor (shaped all-ones with `keepdim`). */
export function argReduce(
  t: Tensor,
  op: typeof ops.argmax | typeof ops.argmin,
  dim: number | undefined,
  keepdim: boolean,
): Tensor {
  if (dim === undefined) {
    checkExtremumDims(t, dim, [], op.name);
    const flat = apply(op, [t.reshape(-1)], { dims: [0], keepdim: false });
    return keepdim ? flat.reshape(t.shape.map(() => 1)) : flat;
  }
  const d = normalizeDim(dim, t.ndim, op.name);
  checkExtremumDims(t, dim, [d], op.name);
  return apply(op, [t], { dims: [d], keepdim });
}

/** torch.matmul: 1-D operands are promoted to matrices and the added dim removed; batch dims broadcast. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new Error(
      `matmul: both arguments need at least 1 dimension, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}; use mul for scalars`,
    );
  }
  const left = a.ndim === 1 ? a.unsqueeze(0) : a;
  const right = b.ndim === 1 ? b.unsqueeze(1) : b;
  if (left.shape[left.ndim - 1] !== right.shape[right.ndim - 2]) {
    throw new Error(
      `matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} cannot be multiplied: ` +
        `the last dim of the first (${left.shape[left.ndim - 1]}) must equal the ${b.ndim === 1 ? 'size of the 1-D second operand' : 'second-to-last dim of the second'} (${right.shape[right.ndim - 2]})`,
    );
  }
  let out = apply(ops.matmul, [left, right], undefined);
  if (b.ndim === 1) out = out.squeeze(-1);
  if (a.ndim === 1) out = out.squeeze(b.ndim === 1 ? -1 : -2);
  return out;
}

/** Dot product of two 1-D tensors. */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1)
    throw new Error(`dot: expected two 1-D tensors, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  return matmul(a, b);
}

/** Merges dims `startDim` to `endDim` into one (a 0-d tensor becomes 1-D). */
export function flatten(t: Tensor, startDim: number, endDim: number): Tensor {
  if (t.ndim === 0) return t.reshape(1);
  const start = normalizeDim(startDim, t.ndim, 'flatten');
  const end = normalizeDim(endDim, t.ndim, 'flatten');
  if (start > end) throw new Error(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  const merged = t.shape.slice(start, end + 1).reduce((p, d) => p * d, 1);
  return t.reshape([...t.shape.slice(0, start), merged, ...t.shape.slice(end + 1)]);
}

/** Removes size-1 dims (all, or only those in `dim`). */
export function squeeze(t: Tensor, dim: number | readonly number[] | undefined): Tensor {
  const dims = dim === undefined ? t.shape.map((_, i) => i) : normalizeDims(dim, t.ndim, 'squeeze');
  return t.reshape(t.shape.filter((d, i) => !(d === 1 && dims.includes(i))));
}

/** Removes the given dims, which the caller knows have size 1. */
export function squeezeDims(t: Tensor, dims: readonly number[]): Tensor {
  return t.reshape(t.shape.filter((_, i) => !dims.includes(i)));
}

/** Inserts a size-1 dim at `dim` (negative counts from the end of the result). */
export function unsqueeze(t: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, t.ndim + 1, 'unsqueeze');
  const shape = [...t.shape];
  shape.splice(d, 0, 1);
  return t.reshape(shape);
}

/** Swaps two dims (this tensor when they are the same or it has fewer than 2 dims). */
export function transpose(t: Tensor, dim0: number, dim1: number): Tensor {
  const a = normalizeDim(dim0, t.ndim, 'transpose');
  const b = normalizeDim(dim1, t.ndim, 'transpose');
  if (t.ndim < 2 || a === b) return t;
  const dims = t.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return t.permute(dims);
}

/** All dims reversed (`T`, the transpose of a matrix). */
export function reverseDims(t: Tensor): Tensor {
  return t.ndim < 2 ? t : t.permute(t.shape.map((_, i) => t.ndim - 1 - i));
}

/** The last two dims swapped (`mT`, a batch of matrices transposed). */
export function matrixTranspose(t: Tensor): Tensor {
  if (t.ndim < 2) throw new Error(`mT: expected at least 2 dims, got shape ${formatShape(t.shape)}`);
  return transpose(t, -2, -1);
}

/** `length` elements along `dim` starting at `start` (torch.narrow). */
export function narrow(t: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim(dim, t.ndim, 'narrow');
  const size = t.shape[d] as number;
  if (!Number.isInteger(start) || !Number.isInteger(length)) {
    throw new Error(`narrow: start and length must be integers, got start ${start} and length ${length}`);
  }
  // As torch.narrow: start may count from the end; nothing is clamped, so a window past the end is an error.
  if (start < -size || start > size) {
    throw new Error(
      `narrow: start ${start} is out of range for dim ${dim} of size ${size} (expected ${-size} to ${size}) in a tensor of shape ${formatShape(t.shape)}`,
    );
  }
  const first = start < 0 ? start + size : start;
  if (length < 0 || first + length > size) {
    throw new Error(
      `narrow: start ${first} + length ${length} exceeds the size ${size} of dim ${dim} in a tensor of shape ${formatShape(t.shape)}; the length must be between 0 and ${size - first}`,
    );
  }
  return t.slice(d, first, first + length);
}

/** The `index`-th element along `dim`, with that dim removed (torch.select). */
export function select(t: Tensor, dim: number, index: number): Tensor {
  const d = normalizeDim(dim, t.ndim, 'select');
  const size = t.shape[d] as number;
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new Error(`select: index ${index} is out of range for dim ${dim} of size ${size}`);
  }
  const i = index < 0 ? index + size : index;
  return squeezeDims(t.slice(d, i, i + 1), [d]);
}

/** Pieces of `splitSize` along `dim` (the last may be smaller), or pieces of the given sizes. */
export function split(t: Tensor, splitSize: number | readonly number[], dim: number): Tensor[] {
  const d = normalizeDim(dim, t.ndim, 'split');
  const total = t.shape[d] as number;
  let sizes: number[];
  if (typeof splitSize === 'number') {
    if (!Number.isInteger(splitSize) || splitSize <= 0)
      throw new Error(`split: splitSize must be a positive integer, got ${splitSize}`);
    sizes = [];
    for (let start = 0; start < total; start += splitSize) sizes.push(Math.min(splitSize, total - start));
    if (sizes.length === 0) sizes.push(0);
  } else {
    sizes = [...splitSize];
    const sum = sizes.reduce((a, b) => a + b, 0);
    if (sum !== total)
      throw new Error(`split: sizes ${formatShape(sizes)} add up to ${sum} but dim ${dim} has size ${total}`);
  }
  let start = 0;
  return sizes.map((s) => {
    start += s;
    return t.slice(d, start - s, start);
  });
}

/** `chunks` nearly equal pieces along `dim` (torch.chunk; fewer when the dim is short). */
export function chunk(t: Tensor, chunks: number, dim: number): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0)
    throw new Error(`chunk: chunks must be a positive integer, got ${chunks}`);
  const d = normalizeDim(dim, t.ndim, 'chunk');
  return split(t, Math.max(Math.ceil((t.shape[d] as number) / chunks), 1), d);
}
