/**
 * @file The shared steps of the `torch.autograd.functional` ports in functional.ts, following
 * PyTorch's private helpers of the same purpose (`_as_tuple`, `_grad_preprocess`, `_check_requires_grad`,
 * `_autograd_grad`, `_fill_in_zeros`, `_validate_v`), with their error messages adapted.
 */
import { isTensor } from '../brand';
import { formatShape, shapesEqual } from '../shape';
import type { Tensor } from '../tensor';
import { grad } from './grad';

/** A function of tensors as the functional API takes it: one argument per input, a Tensor or an array back. */
export type TensorFunction<O> = (...inputs: Tensor[]) => O;

/** Whether `value` was an array (PyTorch's tuple), and its tensors as a list. */
export function asList(value: unknown, what: string, fnName: string): [boolean, Tensor[]] {
  if (isTensor(value)) return [false, [value]];
  if (!Array.isArray(value)) {
    throw new Error(
      `${fnName}: the ${what} must be a Tensor or an array of Tensors, but got ${describe(value)}; return or pass tensors`,
    );
  }
  value.forEach((item, i) => {
    if (!isTensor(item)) {
      throw new Error(
        `${fnName}: the ${what} must be a Tensor or an array of Tensors, but the value at index ${i} is ${describe(item)}`,
      );
    }
  });
  return [true, [...(value as Tensor[])]];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a nested array';
  return typeof value === 'object' ? `an object (${value.constructor?.name ?? 'Object'})` : `a ${typeof value}`;
}

/**
 * The tensors `f` is called with: under `createGraph`, an input that requires grad is viewed, so results
 * stay connected to the caller's graph (a third derivative is then a `grad` of a `hessian`); any other input
 * is detached, and requires grad when the function differentiates with respect to it.
 */
export function prepareInputs(inputs: readonly Tensor[], createGraph: boolean, needGraph: boolean): Tensor[] {
  return inputs.map((t) => {
    if (createGraph && t.requiresGrad) return t.view(t.shape);
    const leaf = t.detach();
    leaf.requiresGrad = needGraph;
    return leaf;
  });
}

/** Results leave the graph unless `createGraph` asked to keep it. */
export function finish(tensors: readonly Tensor[], createGraph: boolean): Tensor[] {
  return tensors.map((t) => (createGraph ? t : t.detach()));
}

/** What `checkRequiresGrad` is checking: the words of its error differ. */
export type Checked = 'outputs' | 'gradInputs' | 'jacobian' | 'hessian';

/** In strict mode, every tensor must exist and require grad (PyTorch's `_check_requires_grad`). */
export function checkRequiresGrad(
  tensors: readonly (Tensor | null)[],
  checked: Checked,
  strict: boolean,
  fnName: string,
): void {
  if (!strict) return;
  tensors.forEach((t, i) => {
    if (t === null) {
      throw new Error(
        `${fnName}: the output of the function is independent of input ${i}, which strict mode does not allow; pass { strict: false } to get zeros instead`,
      );
    }
    if (t.requiresGrad) return;
    const messages: Record<Checked, string> = {
      outputs: `output ${i} of the function does not require grad; in strict mode the outputs must be computed in a differentiable way from the inputs`,
      gradInputs: `the gradient with respect to input ${i} is independent of the function's inputs, which strict mode does not allow`,
      jacobian: `while computing the Hessian, the Jacobian with respect to input ${i} turned out independent of the inputs, which strict mode does not allow; the function must be twice differentiable with a Jacobian that depends on the inputs (a linear function is not)`,
      hessian: `the Hessian with respect to input ${i} is independent of the inputs, which strict mode does not allow; the function must be thrice differentiable with a Hessian that depends on the inputs`,
    };
    throw new Error(`${fnName}: ${messages[checked]}`);
  });
}

/**
 * `grad` as the functional API needs it (PyTorch's `_autograd_grad`): outputs that are missing or do not
 * require grad are skipped with their seeds, and inputs the rest do not reach get null.
 */
export function gradOrNull(
  outputs: readonly (Tensor | null)[],
  inputs: readonly Tensor[],
  seeds: readonly (Tensor | null)[] | null,
  createGraph: boolean,
  retainGraph = createGraph,
): (Tensor | null)[] {
  const kept: Tensor[] = [];
  const keptSeeds: (Tensor | null)[] = [];
  outputs.forEach((out, i) => {
    if (out === null || !out.requiresGrad) return;
    kept.push(out);
    keptSeeds.push(seeds?.[i] ?? null);
  });
  if (kept.length === 0) return inputs.map(() => null);
  return grad(kept, inputs, { gradOutputs: keptSeeds, createGraph, retainGraph, allowUnused: true });
}

/** Where a null gradient came from, which names it in strict mode's error. */
export type Stage = 'back' | 'backTrick' | 'doubleBack' | 'doubleBackTrick';

/** Zeros for null gradients, or strict mode's errors (PyTorch's `_fill_in_zeros`). */
export function zerosForNull(
  grads: readonly (Tensor | null)[],
  refs: readonly Tensor[],
  strict: boolean,
  createGraph: boolean,
  stage: Stage,
  fnName: string,
): Tensor[] {
  return grads.map((g, i) => {
    const ref = refs[i] as Tensor;
    if (g === null) {
      if (strict) {
        const messages: Record<Stage, string> = {
          back: `the output of the function is independent of input ${i}`,
          backTrick: `the gradient with respect to the inputs is independent of entry ${i} of the outputs' seeds used by the double-backward trick for forward-mode products`,
          doubleBack: `the Jacobian of the function is independent of input ${i}`,
          doubleBackTrick: `the Hessian of the function is independent of entry ${i} of the Jacobian's seeds used by the double-backward trick`,
        };
        throw new Error(
          `${fnName}: ${messages[stage]}, which strict mode does not allow; pass { strict: false } to get zeros instead`,
        );
      }
      return ref.newZeros(ref.shape);
    }
    if (strict && createGraph && !g.requiresGrad) {
      const what = stage === 'doubleBack' || stage === 'doubleBackTrick' ? 'Hessian' : 'Jacobian';
      throw new Error(
        `${fnName}: the ${what} of the function is independent of input ${i}, which strict mode does not allow with createGraph: true (the result could not be differentiated)`,
      );
    }
    return g;
  });
}

/** `v` must hold one tensor of the right shape per tensor of `other` (PyTorch's `_validate_v`). */
export function checkV(v: readonly Tensor[], other: readonly Tensor[], otherIsList: boolean, fnName: string): void {
  if (v.length !== other.length) {
    throw new Error(
      otherIsList
        ? `${fnName}: v is an array of the wrong length: it should have ${other.length} tensors but has ${v.length}`
        : `${fnName}: v should be a single Tensor (or an array of one), but has ${v.length} tensors`,
    );
  }
  v.forEach((t, i) => {
    const want = (other[i] as Tensor).shape;
    if (!shapesEqual(t.shape, want)) {
      throw new Error(
        `${fnName}: ${otherIsList ? `entry ${i} of ` : ''}v has shape ${formatShape(t.shape)} but should have shape ${formatShape(want)}`,
      );
    }
  });
}

/** The seeds `v`, checked against `other`; omitted only when `other` is one single-element tensor. */
export function seedsFrom(
  v: Tensor | readonly Tensor[] | null | undefined,
  other: readonly Tensor[],
  otherIsList: boolean,
  createGraph: boolean,
  fnName: string,
  subject: string,
): (Tensor | null)[] {
  if (v === null || v === undefined) {
    if (other.length !== 1 || (other[0] as Tensor).size !== 1) {
      throw new Error(
        `${fnName}: v can only be omitted when ${subject} is a single Tensor with a single element; pass v shaped like ${subject}`,
      );
    }
    return [null];
  }
  const [, list] = asList(v, 'v', fnName);
  const seeds = prepareInputs(list, createGraph, false);
  checkV(seeds, other, otherIsList, fnName);
  return seeds;
}
