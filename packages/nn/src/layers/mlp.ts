/**
 * @file `MLP`: a `Sequential` of `Linear` layers with an activation between them (none after the
 * last), so its state-dict keys are those of the same `nn.Sequential` in PyTorch
 * (`'0.weight'`, `'2.weight'`, ...).
 */

import type { DType } from '@optimgrad/core';
import { formatShape } from '@optimgrad/core';
import type { Module } from '../module';
import { GELU, LeakyReLU, ReLU, Sigmoid, SiLU, Tanh } from './activations';
import { Linear } from './linear';
import { Sequential } from './sequential';

/** A named activation, or a factory making a fresh activation module per hidden layer. */
export type MLPActivation = 'relu' | 'tanh' | 'sigmoid' | 'gelu' | 'silu' | 'leakyRelu' | (() => Module);

/**
 * Options of `MLP`.
 * @example new MLP([2, 8, 1], { activation: 'tanh' });
 */
export interface MLPOptions {
  /** Between hidden layers (default `'relu'`). */
  readonly activation?: MLPActivation;
  /** Biases in every Linear (default `true`). */
  readonly bias?: boolean;
  /** Parameter dtype (default `'float32'`). */
  readonly dtype?: DType;
}

function makeActivation(activation: MLPActivation): Module {
  if (typeof activation === 'function') return activation();
  switch (activation) {
    case 'relu':
      return new ReLU();
    case 'tanh':
      return new Tanh();
    case 'sigmoid':
      return new Sigmoid();
    case 'gelu':
      return new GELU();
    case 'silu':
      return new SiLU();
    case 'leakyRelu':
      return new LeakyReLU();
    default:
      throw new Error(
        `MLP: unknown activation '${String(activation)}'; use 'relu', 'tanh', 'sigmoid', 'gelu', 'silu', 'leakyRelu' or a factory () => Module`,
      );
  }
}

/**
 * Multi-layer perceptron `sizes[0] → sizes[1] → ... → sizes[n−1]`.
 * @example const net = new MLP([2, 16, 16, 1], { activation: 'tanh' });
 */
export class MLP extends Sequential {
  constructor(
    readonly sizes: readonly number[],
    options: MLPOptions = {},
  ) {
    super();
    if (sizes.length < 2)
      throw new Error(`MLP: sizes needs at least an input and an output size, got ${formatShape(sizes)}`);
    const activation = options.activation ?? 'relu';
    for (let i = 0; i + 1 < sizes.length; i++) {
      this.append(
        new Linear(sizes[i] as number, sizes[i + 1] as number, { bias: options.bias ?? true, dtype: options.dtype }),
      );
      if (i + 2 < sizes.length) this.append(makeActivation(activation));
    }
  }
}
