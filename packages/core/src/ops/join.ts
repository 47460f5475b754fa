/**
 * @file Joining tensors: `cat` along an existing dim (one primitive) and `stack` along a new one
 * (unsqueeze, then cat). They take a list of tensors, so they are functions rather than methods.
 */

import { apply } from '../apply';
import { isTensor } from '../brand';
import { formatShape, normalizeDim } from '../shape';
import type { Tensor } from '../tensor';
import { ops } from './index';

function checkTensorList(tensors: readonly Tensor[], op: string): void {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new Error(`${op}: expected a non-empty array of tensors`);
  tensors.forEach((t, i) => {
    if (!isTensor(t)) throw new Error(`${op}: element ${i} is not a Tensor`);
  });
}

/**
 * Joins tensors along an existing dim.
 * @example cat([zeros([2, 3]), ones([1, 3])], 0) // shape [3, 3]
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  checkTensorList(tensors, 'cat');
  const first = tensors[0] as Tensor;
  if (first.ndim === 0) throw new Error('cat: zero-dimensional tensors cannot be concatenated; use stack()');
  const d = normalizeDim(dim, first.ndim, 'cat');
  return apply(ops.cat, tensors, { dim: d });
}

/**
 * Joins same-shape tensors along a new dim.
 * @example stack([zeros([3]), ones([3])], 0) // shape [2, 3]
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  checkTensorList(tensors, 'stack');
  const first = tensors[0] as Tensor;
  tensors.forEach((t, i) => {
    if (formatShape(t.shape) !== formatShape(first.shape)) {
      throw new Error(
        `stack: tensor ${i} has shape ${formatShape(t.shape)} but tensor 0 has shape ${formatShape(first.shape)}; stack needs equal shapes`,
      );
    }
  });
  const d = normalizeDim(dim, first.ndim + 1, 'stack');
  return cat(
    tensors.map((t) => t.unsqueeze(d)),
    d,
  );
}
