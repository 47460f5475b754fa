/**
 * @file `apply`, the single place an op runs and a graph node is recorded, and the one route by which ops
 * create tensors. Written for the per-op overhead of small tensors (see "Per-op overhead" in BACKEND.md).
 *
 * This module and tensor.ts import each other; as there, every use of the other side is inside a function,
 * which runs after both modules have loaded.
 */
import { checkForwardAnomaly, isForwardCheckEnabled } from './autograd/anomaly';
import { GradFn } from './autograd/grad-fn';
import { isGradEnabled, isRecordingAllOps } from './autograd/grad-mode';
import { getBackend } from './backend/index';
import type { DType } from './dtype';
import type { Op } from './ops/op';
import { contiguousStrides, SCALAR_SHAPE, type Shape, sizeOf } from './shape';
import { Storage } from './storage';
import { Tensor } from './tensor';
import { Layout, type TensorData } from './tensor-data';

/** Output of an op or a view: the only route by which ops create tensors. */
export function tensorFromLayout(layout: Layout): Tensor {
  return new Tensor(layout as unknown as TensorData);
}

/** How many compute ops have run: the serial of the latest fresh buffer (see `Tensor._serial`). */
let computed = 0;

/** @internal The serial the next compute op's output gets is greater than this (see `Tensor._serial`). */
export function computedSoFar(): number {
  return computed;
}

/** The inputs' shapes, for an op's shape rule (a loop: `apply` runs once per op). */
function shapesOf(inputs: readonly Tensor[]): Shape[] {
  const n = inputs.length;
  const shapes = new Array<Shape>(n);
  for (let i = 0; i < n; i++) shapes[i] = (inputs[i] as Tensor).shape;
  return shapes;
}

/** float64 when any input is float64, else float32 (`promote` without building a list of dtypes). */
function promoteInputs(inputs: readonly Tensor[]): DType {
  for (const t of inputs) if (t._storage.data instanceof Float64Array) return 'float64';
  return 'float32';
}

/**
 * Row-major strides for a fresh output of `shape`. An element-wise op returns one of its inputs' shape
 * arrays (same-shape or scalar operands), and when that input is itself laid out row-major from offset 0
 * its strides array is the answer too, so the output shares both read-only arrays instead of allocating.
 */
function outputStrides(shape: Shape, inputs: readonly Tensor[]): readonly number[] {
  if (shape.length === 0) return SCALAR_SHAPE;
  for (const t of inputs) {
    if (t.shape === shape && t._offset === 0 && hasRowMajorStrides(shape, t._strides)) return t._strides;
  }
  return contiguousStrides(shape);
}

function hasRowMajorStrides(shape: Shape, strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (strides[i] !== expected) return false;
    expected *= shape[i] as number;
  }
  return true;
}

/** True when any input requires grad (a loop rather than `some`, which allocates a closure per op). */
function anyRequiresGrad(inputs: readonly Tensor[]): boolean {
  for (const t of inputs) if (t._requiresGrad) return true;
  return false;
}

/**
 * Runs `op` on `inputs` and, when grad is enabled and an input requires grad, records a graph node.
 * The single place an op is applied. Written for the per-op overhead of small tensors (see "Per-op
 * overhead" in BACKEND.md): no closures, no copies of the inputs' shapes, shared shape/stride arrays.
 */
export function apply<P>(op: Op<P>, inputs: readonly Tensor[], params: P): Tensor {
  const shape = op.shape(shapesOf(inputs), params);
  let out: Tensor;
  if (op.kind === 'view') {
    const input = inputs[0] as Tensor;
    const geometry = op.view(input, params, shape);
    out = tensorFromLayout(
      new Layout(input._storage, geometry.shape, geometry.strides, geometry.offset, input._base ?? input),
    );
  } else {
    const dtype = op.dtype ? op.dtype(inputs, params) : promoteInputs(inputs);
    const backend = getBackend();
    const data = backend.allocate(dtype, sizeOf(shape));
    op.forward(backend, inputs, data, params, shape);
    if (isForwardCheckEnabled()) checkForwardAnomaly(op.name, inputs, data);
    out = tensorFromLayout(new Layout(new Storage(data), shape, outputStrides(shape, inputs), 0, null));
    out._serial = ++computed;
  }
  if ((op.differentiable || isRecordingAllOps()) && isGradEnabled() && anyRequiresGrad(inputs)) {
    out._gradFn = new GradFn(op, inputs, out, params);
    out._requiresGrad = true;
  }
  return out;
}
