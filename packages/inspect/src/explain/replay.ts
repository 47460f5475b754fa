/**
 * @file Re-running one node's backward rule outside the engine: the op's own rule from core (so the
 * explanation cannot drift from what backward does), un-broadcast with core's `sumToShape`, exactly
 * as the engine does it. After a backward without `retainGraph`, the values a rule reads are recomputed
 * from the graph's leaves (core's `inputsWith`/`outputWith`), once per tool call.
 */
import { apply, type GradFn, noGrad, sumToShape, type Tensor } from '@optimgrad/core';

/**
 * True when the node's op is element-wise, so its local derivative is a diagonal (a tensor of the output's shape).
 * @example isElementwise(x.exp().gradFn!) // true
 */
export function isElementwise(node: GradFn): boolean {
  return node.op.elementwise === true;
}

/**
 * Re-runs rules of one graph for one tool call. After a backward without `retainGraph` the graph holds
 * no intermediate values, and core recomputes them from the leaves; the shared cache makes one walk
 * re-run each forward op once, and is dropped with the replay so the values are released again.
 */
export class Replay {
  private readonly cache = new Map<GradFn, Tensor>();

  constructor(private readonly caller: string) {}

  /** The node's inputs and output values (recomputed if the graph was freed), or a clear refusal. */
  values(node: GradFn): { readonly inputs: readonly Tensor[]; readonly output: Tensor } {
    return this.guard(() => ({
      inputs: node.freed ? node.inputsWith(this.cache) : node.inputs,
      output: node.heldOutput ?? node.outputWith(this.cache),
    }));
  }

  /** Throws (naming the caller) when a tensor the node saved was changed in place since the forward pass. */
  checkSaved(node: GradFn): void {
    this.guard(() => node.checkSaved());
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw new Error(
        `${this.caller}: the graph was changed after it was recorded (e.g. optimizer.step() updated the weights in place), so re-running its rules would explain different numbers; run ${this.caller} before changing tensors in place, or recompute the forward pass. Details: ${(error as Error).message}`,
      );
    }
  }
}

/**
 * The node's rule applied to upstream gradient `g`: one gradient per input in the input's shape
 * (null where none flows or the input does not require grad).
 * @example const [dx] = runRule(z.gradFn!, onesLike(z), new Replay('chainRuleWalkthrough'));
 */
export function runRule(node: GradFn, g: Tensor, replay: Replay): (Tensor | null)[] {
  replay.checkSaved(node);
  const { inputs, output } = replay.values(node);
  return noGrad(() =>
    node.op.backward(g, { inputs, output, params: node.params, apply }).map((gi, i) => {
      const input = inputs[i] as Tensor;
      if (gi === null || gi === undefined || !node.needsGrad[i]) return null;
      const shaped = sumToShape(gi, input.shape);
      return shaped.dtype === input.dtype ? shaped : shaped.to(input.dtype);
    }),
  );
}

/**
 * The local derivative d(output)/d(input i) for element-wise ops (in the output's shape) and for ops whose
 * input and output are single elements; null otherwise (there it is a Jacobian, not a value per element).
 * @example localDerivatives(x.mul(y).gradFn!, new Replay('explainGradientPaths')) // [y, x]
 */
export function localDerivatives(node: GradFn, replay: Replay): (Tensor | null)[] {
  replay.checkSaved(node);
  const { inputs, output: out } = replay.values(node);
  const elementwise = isElementwise(node);
  const ones = noGrad(() => out.newOnes(out.shape));
  return noGrad(() => {
    const raw = node.op.backward(ones, { inputs, output: out, params: node.params, apply });
    return raw.map((gi, i) => {
      const input = inputs[i] as Tensor;
      if (gi === null || gi === undefined || !node.needsGrad[i]) return null;
      if (elementwise) return gi.shape.length === out.shape.length ? gi : gi.expand(...out.shape);
      if (out.size === 1 && input.size === 1) return sumToShape(gi, input.shape);
      return null;
    });
  });
}
