/** @file Functions that make tensors: from data, constant, ranges, random. */
import { getBackend } from './backend/index';
import { checkDType, type DType } from './dtype';
import { randomInt, randomNormal, randomUniform } from './random';
import { checkShape } from './shape';
import { Tensor } from './tensor';
import type { TensorData, TensorOptions } from './tensor-data';

/** Options of functions that make a tensor from nothing but a shape. */
export interface CreationOptions {
  readonly dtype?: DType;
  readonly requiresGrad?: boolean;
}

/**
 * Creates a tensor (copying the data).
 * @example tensor([[1, 2], [3, 4]], { dtype: 'float64', requiresGrad: true })
 */
export function tensor(data: TensorData, options: TensorOptions = {}): Tensor {
  return new Tensor(data, options);
}

function shapeOf(shape: number | readonly number[], where: string): number[] {
  return checkShape(typeof shape === 'number' ? [shape] : [...shape], where);
}

function fromBuffer(
  shape: number[],
  options: CreationOptions,
  fill: (data: Float32Array | Float64Array) => void,
): Tensor {
  const dtype = options.dtype === undefined ? 'float32' : checkDType(options.dtype, 'tensor');
  const data = getBackend().allocate(
    dtype,
    shape.reduce((a, b) => a * b, 1),
  );
  fill(data);
  return new Tensor(data, { shape, requiresGrad: options.requiresGrad ?? false });
}

/** @example full([2, 3], 7) */
export function full(shape: number | readonly number[], value: number, options: CreationOptions = {}): Tensor {
  return fromBuffer(shapeOf(shape, 'full'), options, (d) => d.fill(value));
}

/** @example zeros([2, 3]) */
export function zeros(shape: number | readonly number[], options: CreationOptions = {}): Tensor {
  return fromBuffer(shapeOf(shape, 'zeros'), options, () => {});
}

/** @example ones([2, 3], { dtype: 'float64' }) */
export function ones(shape: number | readonly number[], options: CreationOptions = {}): Tensor {
  return fromBuffer(shapeOf(shape, 'ones'), options, (d) => d.fill(1));
}

/** Zeros with the shape (and, unless given, the dtype) of `t`. */
export function zerosLike(t: Tensor, options: CreationOptions = {}): Tensor {
  return zeros(t.shape, { dtype: t.dtype, ...options });
}

export function onesLike(t: Tensor, options: CreationOptions = {}): Tensor {
  return ones(t.shape, { dtype: t.dtype, ...options });
}

export function fullLike(t: Tensor, value: number, options: CreationOptions = {}): Tensor {
  return full(t.shape, value, { dtype: t.dtype, ...options });
}

/**
 * Values from `start` to `end` (exclusive) by `step`; `arange(n)` is 0..n-1.
 * @example arange(0, 1, 0.25) // [0, 0.25, 0.5, 0.75]
 */
export function arange(start: number, end?: number, step = 1, options: CreationOptions = {}): Tensor {
  const [from, to] = end === undefined ? [0, start] : [start, end];
  if (step === 0 || !Number.isFinite(step))
    throw new Error(`arange: step must be a finite non-zero number, got ${step}`);
  if (!Number.isFinite(from) || !Number.isFinite(to))
    throw new Error(`arange: start and end must be finite, got ${from} and ${to}`);
  if ((to - from) * step < 0) {
    throw new Error(
      `arange: a step of ${step} never goes from ${from} to ${to}; use a ${step > 0 ? 'negative' : 'positive'} step or swap start and end`,
    );
  }
  const n = Math.max(Math.ceil((to - from) / step), 0);
  return fromBuffer([n], options, (d) => {
    for (let i = 0; i < n; i++) d[i] = from + i * step;
  });
}

/**
 * `steps` evenly spaced values from `start` to `end` inclusive.
 * @example linspace(0, 1, 5) // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(start: number, end: number, steps: number, options: CreationOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0)
    throw new Error(`linspace: steps must be a non-negative integer, got ${steps}`);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  return fromBuffer([steps], options, (d) => {
    // Fill from both ends, as torch does, so the last value is exactly `end`.
    // With one step torch gives [start].
    const half = steps === 1 ? 1 : Math.floor(steps / 2);
    for (let i = 0; i < steps; i++) d[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
  });
}

/** The n×m identity matrix (m defaults to n). */
export function eye(n: number, m: number = n, options: CreationOptions = {}): Tensor {
  const shape = checkShape([n, m], 'eye');
  return fromBuffer(shape, options, (d) => {
    for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
  });
}

/** Uniform samples in [0, 1); reproducible with `manualSeed`. */
export function rand(shape: number | readonly number[], options: CreationOptions = {}): Tensor {
  return fromBuffer(shapeOf(shape, 'rand'), options, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = randomUniform();
  });
}

/** Standard normal samples; reproducible with `manualSeed`. */
export function randn(shape: number | readonly number[], options: CreationOptions = {}): Tensor {
  return fromBuffer(shapeOf(shape, 'randn'), options, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = randomNormal();
  });
}

/** Uniform integers in [low, high), as float values. */
export function randint(
  low: number,
  high: number,
  shape: number | readonly number[],
  options: CreationOptions = {},
): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new Error(`randint: need integers low < high, got low=${low}, high=${high}`);
  }
  return fromBuffer(shapeOf(shape, 'randint'), options, (d) => {
    for (let i = 0; i < d.length; i++) d[i] = randomInt(low, high);
  });
}

/** A random permutation of 0..n-1 (Fisher–Yates); reproducible with `manualSeed`. */
export function randperm(n: number, options: CreationOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new Error(`randperm: n must be a non-negative integer, got ${n}`);
  return fromBuffer([n], options, (d) => {
    for (let i = 0; i < n; i++) d[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = randomInt(0, i + 1);
      const t = d[i] as number;
      d[i] = d[j] as number;
      d[j] = t;
    }
  });
}
