/** @file Matrix product of (batched) matrices; 1-D operands are handled by Tensor.matmul around it. */

import type { MatrixStrides } from '../backend/backend';
import type { TypedArray } from '../dtype';
import { broadcastShapes, broadcastStrides, contiguousStrides, formatShape, type Shape, sizeOf } from '../shape';
import type { Tensor } from '../tensor';
import { defineOp } from './op';

/** Where each batch's matrix starts in `data`: the batch dims' own strides, 0 along broadcast ones. */
function batchOffsets(shape: Shape, strides: readonly number[], offset: number, batch: Shape): Int32Array {
  const own = shape.slice(0, -2);
  const batchStrides = broadcastStrides(own, strides.slice(0, -2), batch);
  const count = sizeOf(batch);
  const offsets = new Int32Array(count);
  const counter = new Array<number>(batch.length).fill(0);
  for (let i = 0; i < count; i++) {
    let at = offset;
    for (let d = 0; d < batch.length; d++) at += (counter[d] as number) * (batchStrides[d] as number);
    offsets[i] = at;
    for (let d = batch.length - 1; d >= 0; d--) {
      counter[d] = (counter[d] as number) + 1;
      if ((counter[d] as number) < (batch[d] as number)) break;
      counter[d] = 0;
    }
  }
  return offsets;
}

/** A matmul operand as the kernel reads it: a buffer, each batch's offset and the matrix strides. */
interface Operand {
  readonly data: TypedArray;
  readonly offsets: Int32Array;
  readonly strides: MatrixStrides;
}

/**
 * The tensor's own storage when its last two dims form a plain matrix, row-major or transposed (one of its
 * strides is 1), so `x @ w.mT` and backward's `a.mT @ g` reach the kernel with no copy; other layouts (a
 * matrix sliced with steps) are made contiguous first, which the kernels' packing would gain nothing from.
 */
function operand(t: Tensor, batch: Shape): Operand {
  const rows = t.shape[t.ndim - 2] as number;
  const cols = t.shape[t.ndim - 1] as number;
  // A size-1 dim's stride is arbitrary; give it the value a row-major matrix would have.
  const rowStride = rows === 1 ? cols : (t.strides[t.ndim - 2] as number);
  const colStride = cols === 1 ? 1 : (t.strides[t.ndim - 1] as number);
  if (colStride === 1 || rowStride === 1) {
    return {
      data: t._storage.data,
      offsets: batchOffsets(t.shape, t.strides, t.offset, batch),
      strides: [rowStride, colStride],
    };
  }
  return {
    data: t.contiguousData(),
    offsets: batchOffsets(t.shape, contiguousStrides(t.shape), 0, batch),
    strides: [cols, 1],
  };
}

export const matmul = defineOp({
  kind: 'compute',
  id: 'matmul',
  name: 'matmul',
  elementwise: false,
  formula: ['d(A@B)/dA: G @ B^T', 'd(A@B)/dB: A^T @ G'],
  latex: ['\\frac{\\partial L}{\\partial A} = G B^{\\top}', '\\frac{\\partial L}{\\partial B} = A^{\\top} G'],
  saves: [0, 1],
  // dA = G·Bᵀ reads B; dB = Aᵀ·G reads A.
  savesFor: [[1], [0]],
  differentiable: true,
  shape: ([a, b]) => {
    const sa = a as Shape;
    const sb = b as Shape;
    if (sa.length < 2 || sb.length < 2) {
      throw new Error(`matmul: expected operands with at least 2 dims, got ${formatShape(sa)} and ${formatShape(sb)}`);
    }
    const k = sa[sa.length - 1];
    if (k !== sb[sb.length - 2]) {
      throw new Error(
        `matmul: shapes ${formatShape(sa)} and ${formatShape(sb)} cannot be multiplied ` +
          `(${sa[sa.length - 2]}x${k} and ${sb[sb.length - 2]}x${sb[sb.length - 1]}): the last dim of the first ` +
          `(${k}) must equal the second-to-last dim of the second (${sb[sb.length - 2]}); transpose or reshape one operand`,
      );
    }
    const batch = broadcastShapes('matmul', sa.slice(0, -2), sb.slice(0, -2));
    return [...batch, sa[sa.length - 2] as number, sb[sb.length - 1] as number];
  },
  forward: (k, [a, b], out, _params, shape) => {
    const x = a as Tensor;
    const y = b as Tensor;
    const n = x.shape[x.ndim - 2] as number;
    const inner = x.shape[x.ndim - 1] as number;
    const m = y.shape[y.ndim - 1] as number;
    const batch = shape.slice(0, -2);
    const left = operand(x, batch);
    const right = operand(y, batch);
    k.matmul(left.data, right.data, out, left.offsets, right.offsets, n, inner, m, left.strides, right.strides);
  },
  // An input that needs no gradient (a network's data) costs no product.
  backward: (g, { inputs: [a, b], needsGrad }) => [
    needsGrad?.[0] === false ? null : g.matmul((b as Tensor).mT),
    needsGrad?.[1] === false ? null : (a as Tensor).mT.matmul(g),
  ],
});
