/**
 * @file Activation functions (`torch.nn.functional` names in camelCase), each a composition of core
 * ops so every derivative order comes from the engine. Branches that could overflow in the unused
 * side of a `where` are clamped first, so their zero gradient never becomes `0 * inf = NaN`.
 */
import type { Tensor } from '@optimgrad/core';

/**
 * max(0, x).
 * @example relu(tensor([-1, 2])); // [0, 2]
 */
export function relu(x: Tensor): Tensor {
  return x.relu();
}

/**
 * x for x > 0, else `negativeSlope * x`.
 * @example leakyRelu(tensor([-1, 2]), 0.1); // [-0.1, 2]
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  if (!Number.isFinite(negativeSlope)) {
    throw new Error(`leakyRelu: negativeSlope must be a finite number, got ${negativeSlope}`);
  }
  return x.where(x.gt(0), x.mul(negativeSlope));
}

/**
 * 1 / (1 + exp(-x)).
 * @example sigmoid(tensor([0])); // [0.5]
 */
export function sigmoid(x: Tensor): Tensor {
  return x.sigmoid();
}

/**
 * Hyperbolic tangent.
 * @example tanh(tensor([0])); // [0]
 */
export function tanh(x: Tensor): Tensor {
  return x.tanh();
}

/**
 * Options of `gelu` and `GELU`.
 * @example gelu(x, { approximate: 'tanh' });
 */
export interface GeluOptions {
  /** `'none'` (default): the exact x·Φ(x) with erf; `'tanh'`: the tanh approximation. */
  readonly approximate?: 'none' | 'tanh';
}

const SQRT_HALF = Math.SQRT1_2;
const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * Gaussian error linear unit: 0.5·x·(1 + erf(x/√2)), or 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))).
 * @example gelu(tensor([1]), { approximate: 'tanh' });
 */
export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  const approximate = options.approximate ?? 'none';
  if (approximate === 'none') return x.mul(x.mul(SQRT_HALF).erf().add(1)).mul(0.5);
  if (approximate === 'tanh') {
    const inner = x.add(x.pow(3).mul(0.044715)).mul(SQRT_TWO_OVER_PI);
    return x.mul(inner.tanh().add(1)).mul(0.5);
  }
  throw new Error(`gelu: approximate must be 'none' or 'tanh', got '${String(approximate)}'`);
}

/**
 * x · sigmoid(x) (also called swish).
 * @example silu(tensor([1]));
 */
export function silu(x: Tensor): Tensor {
  return x.mul(x.sigmoid());
}

/**
 * Options of `softplus`.
 * @example softplus(x, { beta: 2, threshold: 10 });
 */
export interface SoftplusOptions {
  /** Sharpness (default 1). */
  readonly beta?: number;
  /** Above `beta * x > threshold` the result is x itself (default 20). */
  readonly threshold?: number;
}

/**
 * log(1 + exp(beta·x)) / beta, linear above the threshold like PyTorch.
 * @example softplus(tensor([0])); // [log 2]
 */
export function softplus(x: Tensor, options: SoftplusOptions = {}): Tensor {
  const beta = options.beta ?? 1;
  const threshold = options.threshold ?? 20;
  if (!Number.isFinite(beta) || beta === 0)
    throw new Error(`softplus: beta must be a finite non-zero number, got ${beta}`);
  const scaled = x.mul(beta);
  const smooth = scaled.clamp(null, threshold).exp().log1p().div(beta);
  return x.where(scaled.gt(threshold), smooth);
}

/**
 * x for x > 0, else alpha·(exp(x) − 1).
 * @example elu(tensor([-1, 1])); // [-0.632, 1]
 */
export function elu(x: Tensor, alpha = 1): Tensor {
  if (!Number.isFinite(alpha)) throw new Error(`elu: alpha must be a finite number, got ${alpha}`);
  return x.where(x.gt(0), x.clamp(null, 0).expm1().mul(alpha));
}

/**
 * exp(x) / sum(exp(x)) along `dim` (computed stably).
 * @example softmax(tensor([[1, 2, 3]]), 1);
 */
export function softmax(x: Tensor, dim: number): Tensor {
  return x.softmax(dim);
}

/**
 * x − logsumexp(x) along `dim` (computed stably).
 * @example logSoftmax(tensor([[1, 2, 3]]), -1);
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  return x.logSoftmax(dim);
}
