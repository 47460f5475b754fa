/**
 * @file A tensor's gradient bookkeeping behind its methods: the seed `backward()` starts from, how a
 * gradient accumulates into `.grad`, and hook registration. Here rather than in the class so the
 * rules about gradients (shapes, dtypes, aliasing) read together.
 */

import { apply } from '../apply';
import { isTensor } from '../brand';
import { ops } from '../ops/index';
import { formatShape, shapesEqual } from '../shape';
import { type GradHook, type RemovableHandle, Tensor } from '../tensor';
import type { NestedArray } from '../tensor-data';
import { noGrad } from './grad-mode';

/** The gradient `output.backward(gradient)` starts from: ones for a single element, else `gradient` checked. */
export function backwardSeed(output: Tensor, gradient: Tensor | NestedArray | undefined): Tensor {
  if (!output._requiresGrad) {
    throw new Error(
      'backward: this tensor does not require grad and has no gradFn; create the inputs with { requiresGrad: true } and make sure the computation is not inside noGrad()',
    );
  }
  let seed: Tensor;
  if (gradient === undefined) {
    if (output.size !== 1) {
      throw new Error(
        `backward: a gradient can be created implicitly only for a single-element output, but this one has shape ${formatShape(output.shape)}; call .sum() or .mean() first, or pass a gradient of shape ${formatShape(output.shape)}`,
      );
    }
    seed = output.newOnes(output.shape);
  } else {
    seed = isTensor(gradient) ? gradient : new Tensor(gradient, { dtype: output.dtype });
    if (!shapesEqual(seed.shape, output.shape)) {
      throw new Error(
        `backward: gradient has shape ${formatShape(seed.shape)} but the output has shape ${formatShape(output.shape)}; they must match`,
      );
    }
  }
  // As torch: a gradient of another dtype is cast to the output's (also when the output is itself a leaf).
  return seed.dtype !== output.dtype ? seed.to(output.dtype) : seed;
}

/** Adds `g` into `t.grad` (in place when no graph is being built). */
export function accumulateGrad(t: Tensor, g: Tensor, createGraph: boolean): void {
  if (createGraph) {
    t._grad = t._grad === null ? g : t._grad.add(g);
  } else if (t._grad === null) {
    // A private copy: g may be a broadcast view or shared with another tensor's gradient.
    t._grad = noGrad(() => apply(ops.clone, [g.detach()], undefined));
  } else if (t._grad.requiresGrad) {
    t._grad = noGrad(() => (t._grad as Tensor).add(g));
  } else {
    noGrad(() => (t._grad as Tensor).add_(g));
  }
}

/** Registers `hook` on `t`; the handle removes it again. */
export function addHook(t: Tensor, hook: GradHook): RemovableHandle {
  if (!t._requiresGrad) throw new Error("registerHook: can't register a hook on a tensor that does not require grad");
  t._hooks ??= [];
  t._hooks.push(hook);
  return {
    remove: () => {
      t._hooks = t._hooks?.filter((h) => h !== hook) ?? null;
      if (t._hooks?.length === 0) t._hooks = null;
    },
  };
}
