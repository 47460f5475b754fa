/** @file `grad()`: gradients returned rather than accumulated, differentiable again with `createGraph`. */
import { formatShape, shapesEqual } from '../shape';
import type { Tensor } from '../tensor';
import { runBackward } from './backward';

export interface GradOptions {
  /** The gradient of each output (needed for outputs with more than one element). */
  readonly gradOutputs?: readonly (Tensor | null)[];
  /** Keep the graph for another backward; defaults to `createGraph`. */
  readonly retainGraph?: boolean;
  /** Build graph for the returned gradients, so they can be differentiated again. */
  readonly createGraph?: boolean;
  /** Return null for inputs the outputs do not depend on, instead of throwing. */
  readonly allowUnused?: boolean;
}

/**
 * Gradients of `outputs` with respect to `inputs` (like `torch.autograd.grad`).
 * @example const [dx] = grad(x.pow(3), [x], { createGraph: true }); const [d2x] = grad(dx!, [x]);
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options: GradOptions = {},
): (Tensor | null)[] {
  const outs = Array.isArray(outputs) ? [...outputs] : [outputs as Tensor];
  const ins = Array.isArray(inputs) ? [...inputs] : [inputs as Tensor];
  ins.forEach((t, i) => {
    if (!t.requiresGrad)
      throw new Error(
        `grad: input ${i} (shape ${formatShape(t.shape)}) does not require grad; create it with { requiresGrad: true }`,
      );
  });
  const seeds = outs.map((out, i) => {
    if (!out.requiresGrad)
      throw new Error(`grad: output ${i} does not require grad (it does not depend on any input that requires grad)`);
    const given = options.gradOutputs?.[i] ?? null;
    if (given === null) {
      if (out.size !== 1) {
        throw new Error(
          `grad: output ${i} has shape ${formatShape(out.shape)}; pass gradOutputs for outputs with more than one element, or reduce the output first`,
        );
      }
      return out.newOnes(out.shape);
    }
    if (!shapesEqual(given.shape, out.shape)) {
      throw new Error(
        `grad: gradOutputs[${i}] has shape ${formatShape(given.shape)} but output ${i} has shape ${formatShape(out.shape)}`,
      );
    }
    return given.dtype === out.dtype ? given : given.to(out.dtype);
  });
  const createGraph = options.createGraph ?? false;
  const result = runBackward(outs, seeds, {
    retainGraph: options.retainGraph ?? createGraph,
    createGraph,
    capture: ins,
  });
  return result.map((g, i) => {
    if (g === null && !options.allowUnused) {
      throw new Error(
        `grad: input ${i} (shape ${formatShape((ins[i] as Tensor).shape)}) was not used to compute the outputs; pass { allowUnused: true } to get null for it`,
      );
    }
    return g;
  });
}
