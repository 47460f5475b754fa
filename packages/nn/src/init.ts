/**
 * @file Parameter initialisers as in `torch.nn.init` (trailing `_`: they fill the tensor in place,
 * under `noGrad`, and return it). Fan-in/fan-out and gains follow PyTorch exactly; the random
 * values come from core's seeded generator, so `manualSeed` makes them reproducible.
 */
import { formatShape, noGrad, randomNormal, randomUniform, type Tensor, tensor } from '@optimgrad/core';

/** A non-linearity name accepted by `calculateGain` (PyTorch's names, plus camelCase `leakyRelu`). */
export type Nonlinearity =
  | 'linear'
  | 'identity'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'leakyRelu'
  | 'selu';

/**
 * The recommended gain for a non-linearity (`torch.nn.init.calculate_gain`).
 * @example calculateGain('relu'); // Math.SQRT2
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'identity':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu':
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      if (!Number.isFinite(slope)) throw new Error(`calculateGain: negative slope ${slope} is not a valid number`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new Error(`calculateGain: unsupported nonlinearity '${String(nonlinearity)}'`);
  }
}

/**
 * `[fanIn, fanOut]` of a weight: `[out, in, ...kernel]` gives in·k and out·k.
 * @example calculateFanInAndFanOut(zeros([4, 3])); // [3, 4]
 */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.ndim < 2) {
    throw new Error(
      `init: fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions (shape ${formatShape(t.shape)})`,
    );
  }
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [(t.shape[1] as number) * receptive, (t.shape[0] as number) * receptive];
}

function fill(t: Tensor, sample: () => number): Tensor {
  const values = new Array<number>(t.size);
  for (let i = 0; i < values.length; i++) values[i] = sample();
  const source = tensor(values, { dtype: t.dtype, shape: [...t.shape] });
  noGrad(() => t.copy_(source));
  return t;
}

/**
 * Fills with U(low, high).
 * @example uniform_(w, -0.1, 0.1);
 */
export function uniform_(t: Tensor, low = 0, high = 1): Tensor {
  if (!(low <= high)) throw new Error(`uniform_: need low <= high, got low=${low}, high=${high}`);
  return fill(t, () => low + (high - low) * randomUniform());
}

/**
 * Fills with N(mean, std²).
 * @example normal_(w, 0, 0.02);
 */
export function normal_(t: Tensor, mean = 0, std = 1): Tensor {
  if (!(std >= 0)) throw new Error(`normal_: std must be >= 0, got ${std}`);
  return fill(t, () => mean + std * randomNormal());
}

/**
 * Fills with `value`.
 * @example constant_(b, 0.1);
 */
export function constant_(t: Tensor, value: number): Tensor {
  noGrad(() => t.fill_(value));
  return t;
}

/**
 * Fills with 0.
 * @example zeros_(linear.bias!);
 */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/**
 * Fills with 1.
 * @example ones_(norm.weight);
 */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/**
 * Glorot uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)).
 * @example xavierUniform_(linear.weight);
 */
export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound);
}

/**
 * Glorot normal: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)).
 * @example xavierNormal_(linear.weight);
 */
export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}

/**
 * Options of the He initialisers.
 * @example kaimingNormal_(w, { mode: 'fan_out', nonlinearity: 'relu' });
 */
export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows (default 0). */
  readonly a?: number;
  /** Keep the variance of activations (`'fan_in'`, default) or of gradients (`'fan_out'`). */
  readonly mode?: 'fan_in' | 'fan_out';
  /** Default `'leaky_relu'`, as PyTorch. */
  readonly nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, t: Tensor, options: KaimingOptions): number {
  const mode = options.mode ?? 'fan_in';
  if (mode !== 'fan_in' && mode !== 'fan_out')
    throw new Error(`${op}: mode must be 'fan_in' or 'fan_out', got '${mode}'`);
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const fan = mode === 'fan_in' ? fanIn : fanOut;
  return calculateGain(options.nonlinearity ?? 'leaky_relu', options.a ?? 0) / Math.sqrt(fan);
}

/**
 * He uniform: U(−b, b) with b = gain·√(3 / fan); `Linear` uses it with `a = √5`.
 * @example kaimingUniform_(w, { a: Math.sqrt(5) });
 */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd('kaimingUniform_', t, options);
  return uniform_(t, -bound, bound);
}

/**
 * He normal: N(0, std²) with std = gain/√fan.
 * @example kaimingNormal_(w, { nonlinearity: 'relu' });
 */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd('kaimingNormal_', t, options));
}
