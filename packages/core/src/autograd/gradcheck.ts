/**
 * @file Finite-difference checks of analytic gradients (like `torch.autograd.gradcheck` and
 * `gradgradcheck`): central differences in float64 against the Jacobian that backward computes.
 */

import { formatShape } from '../shape';
import type { Tensor } from '../tensor';
import { grad } from './grad';
import { noGrad } from './grad-mode';

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  readonly eps?: number;
  /** Absolute tolerance (default 1e-5). */
  readonly atol?: number;
  /** Relative tolerance (default 1e-3). */
  readonly rtol?: number;
}

type Fn = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

function outputsOf(fn: Fn, inputs: Tensor[]): Tensor[] {
  const out = fn(...inputs);
  return Array.isArray(out) ? [...out] : [out as Tensor];
}

/** Storage index of every element of `t`, in row-major order. */
function storageIndices(t: Tensor): number[] {
  const out: number[] = [];
  const counter = new Array<number>(t.ndim).fill(0);
  for (let e = 0; e < t.size; e++) {
    let at = t.offset;
    for (let d = 0; d < t.ndim; d++) at += (counter[d] as number) * (t.strides[d] as number);
    out.push(at);
    for (let d = t.ndim - 1; d >= 0; d--) {
      counter[d] = (counter[d] as number) + 1;
      if ((counter[d] as number) < (t.shape[d] as number)) break;
      counter[d] = 0;
    }
  }
  return out;
}

/**
 * Checks the gradient of `fn` at `inputs` (float64 tensors; those with requiresGrad are checked)
 * against central differences. Returns true, or throws naming the worst mismatch.
 * @example gradcheck((x) => x.sin().mul(x), [tensor([0.5, 1], { dtype: 'float64', requiresGrad: true })])
 */
export function gradcheck(fn: Fn, inputs: readonly Tensor[], options: GradcheckOptions = {}): true {
  return checkJacobian(fn, inputs, options, false);
}

/** The check behind gradcheck; `recordGraph` lets the probed function itself call grad() (gradgradcheck). */
function checkJacobian(fn: Fn, inputs: readonly Tensor[], options: GradcheckOptions, recordGraph: boolean): true {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  const list = [...inputs];
  list.forEach((t, i) => {
    if (t.requiresGrad && t.dtype !== 'float64') {
      throw new Error(
        `gradcheck: input ${i} is ${t.dtype}; finite differences need float64 inputs (create them with { dtype: 'float64' })`,
      );
    }
  });
  const checked = list.filter((t) => t.requiresGrad);
  if (checked.length === 0) throw new Error('gradcheck: no input requires grad; nothing to check');
  const outputs = outputsOf(fn, list);
  let worst: { message: string; excess: number } | null = null;
  outputs.forEach((out, o) => {
    for (let j = 0; j < out.size; j++) {
      const seed = out.newZeros(out.shape);
      seed.data[j] = 1;
      // An output that does not require grad has a zero analytic Jacobian; finite differences must agree.
      const analytic = out.requiresGrad
        ? grad(out, checked, { gradOutputs: [seed], retainGraph: true, allowUnused: true })
        : checked.map(() => null);
      checked.forEach((input, c) => {
        const indices = storageIndices(input);
        const buffer = input._storage.data;
        const analyticData = analytic[c]?.data ?? null;
        indices.forEach((at, e) => {
          const original = buffer[at] as number;
          const probe = (value: number) => {
            buffer[at] = value;
            const again = (recordGraph ? outputsOf(fn, list) : noGrad(() => outputsOf(fn, list)))[o] as Tensor;
            return again.data[j] as number;
          };
          const plus = probe(original + eps);
          const minus = probe(original - eps);
          buffer[at] = original;
          const numerical = (plus - minus) / (2 * eps);
          const value = analyticData === null ? 0 : (analyticData[e] as number);
          const excess = Math.abs(value - numerical) - (atol + rtol * Math.abs(numerical));
          if (!(excess <= 0) && (worst === null || excess > worst.excess || Number.isNaN(excess))) {
            worst = {
              excess: Number.isNaN(excess) ? Infinity : excess,
              message:
                `gradcheck: Jacobian mismatch for output ${o} element ${j} with respect to input ${list.indexOf(input)} ` +
                `(shape ${formatShape(input.shape)}) element ${e}: analytic ${value}, numerical ${numerical} ` +
                `(difference ${Math.abs(value - numerical)} exceeds atol ${atol} + rtol ${rtol} × |numerical|)`,
            };
          }
        });
      });
    }
  });
  if (worst !== null) throw new Error((worst as { message: string }).message);
  return true;
}

/**
 * Checks second derivatives: the gradient of (∂fn/∂inputs · v) for a fixed random-free v of ones
 * against finite differences (like `torch.autograd.gradgradcheck`).
 */
export function gradgradcheck(fn: Fn, inputs: readonly Tensor[], options: GradcheckOptions = {}): true {
  const firstOrder = (...xs: Tensor[]) => {
    const outputs = outputsOf(fn, xs).filter((t) => t.requiresGrad);
    const checked = xs.filter((t) => t.requiresGrad);
    // Weights that differ per element make every Hessian entry visible in the check.
    const weights = outputs.map((out) => {
      const w = out.newZeros(out.shape);
      for (let i = 0; i < w.size; i++) w.data[i] = 1 + 0.1 * ((i % 7) - 3);
      return w;
    });
    const grads = grad(outputs, checked, { gradOutputs: weights, createGraph: true, allowUnused: true });
    return grads.map((g, i) => g ?? (checked[i] as Tensor).mul(0));
  };
  return checkJacobian(firstOrder, inputs, options, true);
}
