/**
 * @file Recognises core's softmax and logSoftmax in the graph and exports them as ONNX Softmax and
 * LogSoftmax, one fused and stable op each, instead of their primitives:
 * softmax(x) = e / sum(e, d, keepdim) with e = exp(x - shift), and
 * logSoftmax(x) = x - (log(sum(exp(x - shift), d, keepdim)) + shift), where shift is the stable maximum
 * that `stable-shift.ts` recovers.
 */
import type { GradFn, Tensor } from '@optimgrad/core';
import type { StableShift } from './stable-shift';

export interface SoftmaxMatch {
  readonly opType: 'Softmax' | 'LogSoftmax';
  readonly x: Tensor;
  readonly axis: number;
}

/** The node that made `t` when it ran op `id`, else null. */
function producer(t: Tensor | undefined, id: string): GradFn | null {
  const node = t?.gradFn ?? null;
  return node !== null && node.op.id === id ? node : null;
}

/** `sum(exp(x - shift), [d], keepdim)` with `shift` the stable maximum of x over [d]: x and d, else null. */
function sumOfShiftedExp(
  total: Tensor | undefined,
  shifts: ReadonlyMap<Tensor, StableShift>,
): { x: Tensor; axis: number; e: Tensor; shift: Tensor } | null {
  const sum = producer(total, 'sum');
  const params = sum?.params as { dims: readonly number[]; keepdim: boolean } | undefined;
  if (sum === null || params === undefined || params.dims.length !== 1 || !params.keepdim) return null;
  const e = sum.inputs[0] as Tensor;
  const shifted = producer(producer(e, 'exp')?.inputs[0], 'sub');
  if (shifted === null) return null;
  const [x, c] = shifted.inputs as [Tensor, Tensor];
  const shift = shifts.get(c);
  const axis = params.dims[0] as number;
  if (shift === undefined || shift.x !== x || shift.dims.join() !== String(axis)) {
    return null;
  }
  return { x, axis, e, shift: c };
}

/** Softmax or LogSoftmax computed by `node`, or null. */
export function matchSoftmax(node: GradFn, shifts: ReadonlyMap<Tensor, StableShift>): SoftmaxMatch | null {
  const [a, b] = node.inputs;
  if (node.op.id === 'div') {
    const match = sumOfShiftedExp(b, shifts);
    return match !== null && match.e === a ? { opType: 'Softmax', x: match.x, axis: match.axis } : null;
  }
  if (node.op.id === 'sub') {
    const lse = producer(b, 'add');
    if (lse === null) return null;
    const [logged, shift] = lse.inputs as [Tensor, Tensor];
    const match = sumOfShiftedExp(producer(logged, 'log')?.inputs[0], shifts);
    return match !== null && match.x === a && match.shift === shift
      ? { opType: 'LogSoftmax', x: match.x, axis: match.axis }
      : null;
  }
  return null;
}
