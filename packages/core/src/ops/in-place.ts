/**
 * @file The machinery behind `add_`, `fill_`, `copy_` and the other in-place methods: write the new
 * values into the tensor's storage and, inside a graph, make the tensor's node the in-place op's
 * (on a view, through `view-update.ts`'s viewScatter/asStrided pair). Functions rather than private
 * methods, so the Tensor class keeps one line per in-place op and this logic reads in one place.
 */

import { apply } from '../apply';
import type { GradFn } from '../autograd/grad-fn';
import { isGradEnabled, noGrad } from '../autograd/grad-mode';
import { getBackend } from '../backend/index';
import { broadcastShapes, formatShape, shapesEqual } from '../shape';
import type { Tensor } from '../tensor';
import { ops } from './index';

/** Options of `inplace`. */
export interface InplaceOptions {
  /**
   * Every element gets the same value whatever it read (fill_), so several elements sharing one memory
   * location is harmless; PyTorch allows fill_ and zero_ on an expanded tensor too.
   */
  readonly idempotent?: boolean;
}

/**
 * As PyTorch, an in-place write into a tensor where several elements share one memory location (a dim of
 * stride 0 and size > 1, as `expand` makes) is refused, with or without autograd: each element would read
 * the location and write it back, so the result depends on the order of the writes.
 */
function checkNoInternalOverlap(t: Tensor, op: string): void {
  if (t.size === 0) return;
  const shared = t._strides.some((s, i) => s === 0 && (t.shape[i] as number) > 1);
  if (!shared) return;
  throw new Error(
    `${op}: unsupported operation: more than one element of the written-to tensor (shape ${formatShape(t.shape)}, strides ${formatShape(t._strides)}) refers to a single memory location; clone() the tensor before performing the operation (x.clone().${op}(...)), or use the out-of-place ${op.replace(/_$/, '')}()`,
  );
}

/**
 * Runs `compute` and writes its result into `self`'s storage. Inside a graph the new value
 * takes `self`'s place: later ops see the in-place op as its producer.
 */
export function inplace<T extends Tensor>(
  self: T,
  op: string,
  compute: (before: Tensor) => Tensor,
  options: InplaceOptions = {},
): T {
  if (!options.idempotent) checkNoInternalOverlap(self, op);
  const tracking = isGradEnabled();
  if (tracking && self._requiresGrad && self._gradFn === null) {
    throw new Error(
      `${op}: a leaf tensor that requires grad cannot be changed in place (autograd needs its value); wrap the update in noGrad(() => ...) as optimizers do, or use the out-of-place ${op.replace(/_$/, '')}()`,
    );
  }
  if (!tracking) {
    writeFrom(self, compute(self));
    return self;
  }
  // The pre-update value as its own tensor, so ops that use it in backward keep reading it.
  const before = self._requiresGrad ? snapshot(self) : noGrad(() => apply(ops.clone, [self], undefined));
  const result = compute(before);
  // A view of a tensor in the graph: the base changes too, even when the new values need no grad.
  if (self._base !== null && (result.requiresGrad || self._base._requiresGrad)) {
    inplaceOnView(self, op, result);
    return self;
  }
  if (!result.requiresGrad) {
    writeFrom(self, result);
    // The old value no longer influences this tensor (fill_, zero_ inside a graph).
    self._gradFn = null;
    self._requiresGrad = false;
    return self;
  }
  writeFrom(self, result);
  const node = result._gradFn as GradFn;
  node.output = self;
  self._gradFn = node;
  self._requiresGrad = true;
  return self;
}

/**
 * In place on a view inside the graph (PyTorch's CopySlices): the base becomes
 * viewScatter(old base, result) and the view re-reads it through asStrided.
 */
function inplaceOnView(view: Tensor, op: string, result: Tensor): void {
  const base = view._base as Tensor;
  if (base._requiresGrad && base._gradFn === null) {
    throw new Error(
      `${op}: a view of a leaf tensor that requires grad cannot be changed in place; wrap the update in noGrad(() => ...) or change a clone()`,
    );
  }
  const overlapping = view._strides.some((s, i) => s === 0 && (view.shape[i] as number) > 1);
  if (overlapping || !base.isContiguous()) {
    throw new Error(
      `${op}: in-place changes to this view (shape ${formatShape(view.shape)}, strides ${formatShape(view._strides)}) are not supported inside the autograd graph because several elements share memory; use the out-of-place ${op.replace(/_$/, '')}() or clone() first`,
    );
  }
  const window = { shape: view.shape, strides: view._strides, offset: view._offset - base._offset };
  const before = base._requiresGrad ? snapshot(base) : noGrad(() => apply(ops.clone, [base], undefined));
  writeFrom(view, result);
  const updated = apply(ops.viewScatter, [before, result], window);
  const baseNode = updated._gradFn as GradFn;
  baseNode.output = base;
  base._gradFn = baseNode;
  base._requiresGrad = true;
  const reread = apply(ops.asStrided, [base], window);
  const viewNode = reread._gradFn as GradFn;
  viewNode.output = view;
  view._gradFn = viewNode;
  view._requiresGrad = true;
}

/** A fresh copy of `t`'s values that takes its place in the graph. */
function snapshot(t: Tensor): Tensor {
  const copy = noGrad(() => apply(ops.clone, [t], undefined));
  copy._gradFn = t._gradFn;
  copy._requiresGrad = t._requiresGrad;
  if (t._gradFn !== null) t._gradFn.output = copy;
  return copy;
}

/** Copies `source` (broadcast to `target`'s shape) into `target`'s storage and bumps its version. */
function writeFrom(target: Tensor, source: Tensor): void {
  if (!shapesEqual(broadcastShapes('in-place op', source.shape, target.shape), target.shape)) {
    throw new Error(
      `in-place op: the result of shape ${formatShape(source.shape)} cannot be written into a tensor of shape ${formatShape(target.shape)}; broadcasting may not change the shape of the tensor changed in place`,
    );
  }
  getBackend().copy(
    source.stridedView(target.shape),
    { data: target._storage.data, offset: target._offset, strides: target._strides },
    target.shape,
  );
  target._storage.version++;
}
