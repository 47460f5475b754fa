/**
 * @file Gradient clipping, after torch.nn.utils.clip_grad_norm_ and clip_grad_value_: rescale all
 * gradients together so their total norm is at most `maxNorm`, or clamp each element into
 * [-clipValue, clipValue]. Gradients are changed in place; parameters without a gradient are skipped.
 */
import { isTensor, noGrad, type Tensor } from '@optimgrad/core';
import { vectorNorm } from './vector-norm';

/** Options of `clipGradNorm`. */
export interface ClipGradNormOptions {
  /** The order of the norm: 2 (default), 1, Infinity or any other p. */
  normType?: number;
  /** Throw when the total norm is NaN or infinite instead of scaling by it. */
  errorIfNonfinite?: boolean;
}

function gradients(fn: string, params: Tensor | Iterable<Tensor>): Tensor[] {
  if (!isTensor(params) && (typeof params !== 'object' || params === null || !(Symbol.iterator in params))) {
    throw new Error(
      `${fn}: params must be a Tensor or an array (or other iterable) of tensors, such as model.parameters(), but got ${params === null ? 'null' : typeof params}`,
    );
  }
  const list = isTensor(params) ? [params] : [...params];
  const grads: Tensor[] = [];
  for (const [i, p] of list.entries()) {
    if (!isTensor(p)) throw new Error(`${fn}: params[${i}] is ${typeof p}, not a Tensor`);
    if (p.grad !== null) grads.push(p.grad);
  }
  return grads;
}

function checkNumber(fn: string, option: string, value: number): void {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new Error(`${fn}: ${option} must be a number, but got ${String(value)}`);
  }
}

/**
 * Scales the gradients of `params` in place so that their joint norm is at most `maxNorm`; returns the
 * total norm before clipping (0 when no parameter has a gradient).
 * @example const norm = clipGradNorm(model.parameters(), 1.0);
 */
export function clipGradNorm(
  params: Tensor | Iterable<Tensor>,
  maxNorm: number,
  { normType = 2, errorIfNonfinite = false }: ClipGradNormOptions = {},
): number {
  checkNumber('clipGradNorm', 'maxNorm', maxNorm);
  checkNumber('clipGradNorm', 'normType', normType);
  const grads = gradients('clipGradNorm', params);
  if (grads.length === 0) return 0;
  // One norm per gradient (a backend kernel each), then the norm of those few numbers.
  const norms = grads.map((g) => vectorNorm(g.data, normType));
  const total = norms.length === 1 ? (norms[0] as number) : vectorNorm(norms, normType);
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new Error(
      `clipGradNorm: the total norm of order ${normType} of the gradients is ${total}, so they cannot be clipped; find the NaN/Infinity in the gradients, or pass { errorIfNonfinite: false } to scale by the non-finite norm anyway`,
    );
  }
  const coefficient = maxNorm / (total + 1e-6);
  // PyTorch multiplies by min(coefficient, 1) unconditionally, so a NaN norm spreads into the gradients.
  const scale = coefficient < 1 || Number.isNaN(coefficient) ? coefficient : 1;
  if (scale !== 1) {
    noGrad(() => {
      for (const g of grads) g.mul_(scale);
    });
  }
  return total;
}

/**
 * Clamps every gradient element of `params` into [-clipValue, clipValue], in place.
 * @example clipGradValue(model.parameters(), 0.5);
 */
export function clipGradValue(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  checkNumber('clipGradValue', 'clipValue', clipValue);
  const grads = gradients('clipGradValue', params);
  noGrad(() => {
    for (const g of grads) g.clamp_(-clipValue, clipValue);
  });
}
