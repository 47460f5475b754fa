/** @file Matrix product of (batched) matrices; 1-D operands are handled by Tensor.matmul around it. */
import { broadcastShapes, broadcastStrides, contiguousStrides, formatShape, type Shape, sizeOf } from '../shape';
import type { Tensor } from '../tensor';
import { defineOp } from './op';

function batchOffsets(shape: Shape, batch: Shape, matrixSize: number): Int32Array {
  const own = shape.slice(0, -2);
  const strides = broadcastStrides(
    own,
    contiguousStrides(own).map((s) => s * matrixSize),
    batch,
  );
  const count = sizeOf(batch);
  const offsets = new Int32Array(count);
  const counter = new Array<number>(batch.length).fill(0);
  for (let i = 0; i < count; i++) {
    let offset = 0;
    for (let d = 0; d < batch.length; d++) offset += (counter[d] as number) * (strides[d] as number);
    offsets[i] = offset;
    for (let d = batch.length - 1; d >= 0; d--) {
      counter[d] = (counter[d] as number) + 1;
      if ((counter[d] as number) < (batch[d] as number)) break;
      counter[d] = 0;
    }
  }
  return offsets;
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
    k.matmul(
      x.contiguousData(),
      y.contiguousData(),
      out,
      batchOffsets(x.shape, batch, n * inner),
      batchOffsets(y.shape, batch, inner * m),
      n,
      inner,
      m,
    );
  },
  // An input that needs no gradient (a network's data) costs no product.
  backward: (g, { inputs: [a, b], needsGrad }) => [
    needsGrad?.[0] === false ? null : g.matmul((b as Tensor).mT),
    needsGrad?.[1] === false ? null : (a as Tensor).mT.matmul(g),
  ],
});
