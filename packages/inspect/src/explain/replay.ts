/**
 * @file Re-running one node's backward rule outside the engine: the op's own rule from core (so the
 * explanation cannot drift from what backward does), un-broadcast with core's `sumToShape`, exactly
 * as the engine does it.
 */
import { apply, type GradFn, noGrad, sumToShape, type Tensor } from '@optimgrad/core';

/**
 * True when the node's op is element-wise, so its local derivative is a diagonal (a tensor of the output's shape).
 * @example isElementwise(x.exp().gradFn!) // true
 */
export function isElementwise(node: GradFn): boolean {
  return node.op.elementwise === true;
}

/** Throws (naming `caller`) when a tensor the node saved was changed in place since the forward pass. */
function checkSaved(node: GradFn, caller: string): void {
  try {
    node.checkSaved();
  } catch (error) {
    throw new Error(
      `${caller}: the graph was changed after it was recorded (e.g. optimizer.step() updated the weights in place), so re-running its rules would explain different numbers; run ${caller} before changing tensors in place, or recompute the forward pass. Details: ${(error as Error).message}`,
    );
  }
}

/**
 * The node's rule applied to upstream gradient `g`: one gradient per input in the input's shape
 * (null where none flows or the input does not require grad).
 * @example const [dx] = runRule(z.gradFn!, onesLike(z), 'chainRuleWalkthrough');
 */
export function runRule(node: GradFn, g: Tensor, caller: string): (Tensor | null)[] {
  checkSaved(node, caller);
  return noGrad(() =>
    node.op.backward(g, { inputs: node.inputs, output: node.output, params: node.params, apply }).map((gi, i) => {
      const input = node.inputs[i] as Tensor;
      if (gi === null || gi === undefined || !node.needsGrad[i]) return null;
      const shaped = sumToShape(gi, input.shape);
      return shaped.dtype === input.dtype ? shaped : shaped.to(input.dtype);
    }),
  );
}

/**
 * The local derivative d(output)/d(input i) for element-wise ops (in the output's shape) and for ops whose
 * input and output are single elements; null otherwise (there it is a Jacobian, not a value per element).
 * @example localDerivatives(x.mul(y).gradFn!, 'explainGradientPaths') // [y, x]
 */
export function localDerivatives(node: GradFn, caller: string): (Tensor | null)[] {
  checkSaved(node, caller);
  const out = node.output;
  const elementwise = isElementwise(node);
  const ones = noGrad(() => out.newOnes(out.shape));
  return noGrad(() => {
    const raw = node.op.backward(ones, { inputs: node.inputs, output: out, params: node.params, apply });
    return raw.map((gi, i) => {
      const input = node.inputs[i] as Tensor;
      if (gi === null || gi === undefined || !node.needsGrad[i]) return null;
      if (elementwise) return gi.shape.length === out.shape.length ? gi : gi.expand(...out.shape);
      if (out.size === 1 && input.size === 1) return sumToShape(gi, input.shape);
      return null;
    });
  });
}
