/**
 * @file The reverse-mode engine: seed, walk the graph in topological order, apply each op's rule,
 * sum gradients back to input shapes, accumulate. Rules run with grad enabled only under
 * `createGraph`, which is all higher-order derivatives need.
 */

import { apply, computedSoFar } from '../apply';
import type { DType } from '../dtype';
import { shapesEqual } from '../shape';
import type { Tensor } from '../tensor';
import { AnomalyError, firstNonFinite, isAnomalyEnabled, runRule } from './anomaly';
import type { GradFn } from './grad-fn';
import { enableGrad, noGrad } from './grad-mode';
import { topologicalOrder } from './graph';

export interface BackwardOptions {
  readonly retainGraph: boolean;
  readonly createGraph: boolean;
  /** When given (for `grad()`), gradients are returned for these tensors instead of accumulated into `.grad`. */
  readonly capture?: readonly Tensor[];
}

/** Sums a broadcast gradient back to `shape`: the engine's job, so no rule repeats it. */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  if (g.ndim < shape.length) return g.expand(...shape);
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  // Only leading dims to sum (a bias broadcast over a batch): one sum gives the shape, with no reshape view,
  // so the result is a fresh buffer a leaf can take as its .grad without a copy.
  if (dims.length === lead) return g.sum(dims, false);
  const summed = dims.length > 0 ? g.sum(dims, true) : g;
  return lead > 0 || !shapesEqual(summed.shape, shape) ? summed.reshape(shape) : summed;
}

function add(into: Map<unknown, Tensor>, key: unknown, g: Tensor): void {
  const previous = into.get(key);
  into.set(key, previous === undefined ? g : previous.add(g));
}

function runHooks(t: Tensor, g: Tensor): Tensor {
  if (t._hooks === null) return g;
  let current = g;
  for (const hook of t._hooks) {
    const replaced = hook(current);
    if (replaced !== undefined && replaced !== null) {
      if (!shapesEqual(replaced.shape, current.shape)) {
        throw new Error(
          `registerHook: a hook returned a gradient of shape [${replaced.shape.join(', ')}] for a tensor of shape [${t.shape.join(', ')}]; return a tensor of the same shape or nothing`,
        );
      }
      current = replaced;
    }
  }
  return current;
}

function checkAnomaly(node: GradFn, grads: readonly (Tensor | null)[], upstream: Tensor): void {
  if (firstNonFinite(upstream.contiguousData()) !== -1) return; // NaN came from further up; that op was named there
  grads.forEach((g, i) => {
    if (g === null) return;
    const at = firstNonFinite(g.contiguousData());
    if (at !== -1) {
      const value = g.contiguousData()[at] as number;
      throw new AnomalyError(
        node.name,
        'backward',
        at,
        value,
        `anomaly: the backward of '${node.name}' produced ${value} in the gradient of input ${i} (element ${at}) from a finite upstream gradient; rule: ${node.formula[i] ?? ''}`,
      );
    }
  });
}

/** A tensor of `shape` and `dtype` without a buffer of that size: what a rule that reads no values is given. */
function standIn(like: Tensor, shape: readonly number[], dtype: DType): Tensor {
  const zero = like.newZeros([]);
  return (zero.dtype === dtype ? zero : zero.to(dtype)).expand(...shape);
}

/**
 * Which gradients backward made itself and handed to exactly one place: those a leaf may keep as its
 * `.grad` without the copy `accumulateGrad` otherwise makes (PyTorch's AccumulateGrad steals a gradient
 * nobody else holds in the same way). A gradient is fresh when a compute op made it during this walk
 * (its `_serial` is newer than the walk) and it is no view; it stops being exclusive the second time it
 * is routed (`add` passes one tensor to both inputs) or when any hook could have kept a reference.
 */
class Ownership {
  private readonly start = computedSoFar();
  private readonly routed = new Set<Tensor>();
  private readonly shared = new Set<Tensor>();
  /** Set when a hook ran: it may have kept any gradient it saw, so nothing is taken without a copy. */
  hooked = false;

  route(g: Tensor): void {
    if (g._serial <= this.start) return;
    if (this.routed.has(g)) this.shared.add(g);
    else this.routed.add(g);
  }

  exclusive(g: Tensor): boolean {
    return (
      !this.hooked &&
      g._serial > this.start &&
      g._base === null &&
      g._gradFn === null &&
      !g._requiresGrad &&
      !this.shared.has(g)
    );
  }
}

/** Runs backward from `roots` seeded with `seeds`; returns captured gradients when `capture` is given. */
export function runBackward(
  roots: readonly Tensor[],
  seeds: readonly Tensor[],
  { retainGraph, createGraph, capture }: BackwardOptions,
): (Tensor | null)[] {
  const pending = new Map<unknown, Tensor>(); // GradFn -> gradient of its output
  const leaves = new Map<unknown, Tensor>(); // leaf Tensor -> gradient
  const captured = new Map<unknown, Tensor>();
  const wanted = new Set<Tensor>(capture ?? []);
  const wantedByNode = new Map<GradFn, Tensor>();
  for (const t of wanted) if (t._gradFn !== null) wantedByNode.set(t._gradFn, t);
  const ownership = new Ownership();
  const rootNodes: GradFn[] = [];
  roots.forEach((root, i) => {
    const seed = seeds[i] as Tensor;
    if (root._gradFn !== null) {
      add(pending, root._gradFn, seed);
      rootNodes.push(root._gradFn);
    } else add(leaves, root, seed);
  });
  const order = topologicalOrder(rootNodes);
  const walk = () => {
    for (const node of order) {
      const upstream = pending.get(node);
      if (upstream === undefined) continue;
      pending.delete(node);
      // As in PyTorch, only a node that saved tensors needs them again (add and sum can run twice).
      if (node.freed && node.op.saves.length > 0) {
        throw new Error(
          `backward: trying to backward through the graph a second time: the saved values of '${node.name}' were freed by an earlier backward. ` +
            'Pass { retainGraph: true } to the first backward() (or grad()) if you need to backward twice, or recompute the forward pass.',
        );
      }
      // A freed node holds its output only when it has hooks or retains its gradient; a tensor
      // passed to grad() is then found through its gradFn.
      const owner = node.freed ? (wantedByNode.get(node) ?? node.heldOutput) : node.heldOutput;
      if (owner !== null && owner._hooks !== null) ownership.hooked = true;
      const g = owner === null ? upstream : runHooks(owner, upstream);
      if (owner !== null && wanted.has(owner)) add(captured, owner, g);
      else if (owner?._retainsGrad && capture === undefined) owner._accumulateGrad(g, createGraph);
      node.checkSaved();
      const needsGrad = node.needsGrad;
      // Past the check above a freed node saved nothing, so its rule reads only shapes and dtypes.
      const context = node.freed
        ? {
            inputs: node.next.map((_, i) => standIn(g, node.inputShape(i), node.inputDType(i))),
            output: owner ?? standIn(g, node.outputShape, node.outputDType),
            params: node.params,
            needsGrad,
            apply,
          }
        : { inputs: node.inputs, output: owner as Tensor, params: node.params, needsGrad, apply };
      const grads = isAnomalyEnabled() ? runRule(() => node.op.backward(g, context)) : node.op.backward(g, context);
      if (isAnomalyEnabled()) checkAnomaly(node, grads, g);
      for (let i = 0; i < node.next.length; i++) {
        let gi = grads[i];
        if (gi === null || gi === undefined || !needsGrad[i]) continue;
        gi = sumToShape(gi, node.inputShape(i));
        const dtype = node.inputDType(i);
        if (gi.dtype !== dtype) gi = gi.to(dtype);
        ownership.route(gi);
        const producer = node.next[i] as GradFn | null;
        if (producer !== null) add(pending, producer, gi);
        else add(leaves, node.leafInput(i) as Tensor, gi);
      }
    }
    for (const [leaf, g] of leaves) {
      const t = leaf as Tensor;
      if (t._hooks !== null) ownership.hooked = true;
      const hooked = runHooks(t, g);
      if (wanted.has(t)) add(captured, t, hooked);
      else if (capture === undefined && t.requiresGrad) {
        // A gradient this walk made and gave to this leaf alone becomes its .grad as it is (no copy).
        if (!createGraph && t._grad === null && ownership.exclusive(hooked)) t._grad = hooked;
        else t._accumulateGrad(hooked, createGraph);
      }
    }
  };
  if (createGraph) enableGrad(walk);
  else noGrad(walk);
  // Drops the graph's references to intermediate values (see "Graph memory after backward" in BACKEND.md).
  if (!retainGraph) for (const node of order) node._free();
  return (capture ?? []).map((t) => captured.get(t) ?? null);
}
