/**
 * @file Adagrad with learning-rate decay, weight decay, an initial accumulator and maximize: the update
 * of torch.optim.Adagrad (`_single_tensor_adagrad`, dense gradients), element by element.
 */
import type { Tensor } from '@optimgrad/core';
import { Optimizer } from './optimizer';
import { checkBoolean, checkNonNegative, withDefaults } from './options';
import { newBuffer } from './param-access';
import type { ParamGroup, ParamState, ParamsInput } from './types';

/** Adagrad's options. */
export interface AdagradOptions {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

const DEFAULTS: AdagradOptions = {
  lr: 1e-2,
  lrDecay: 0,
  weightDecay: 0,
  initialAccumulatorValue: 0,
  eps: 1e-10,
  maximize: false,
};

/**
 * Adagrad (Duchi et al.), step for step as torch.optim.Adagrad: `sum += g²; p -= clr * g / (sqrt(sum) + eps)`.
 * @example const opt = new Adagrad(model.parameters(), { lr: 0.1 });
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: ParamsInput<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super('Adagrad', params, withDefaults('Adagrad', DEFAULTS, options));
  }

  protected validate(o: AdagradOptions): void {
    checkNonNegative('Adagrad', 'learning rate', o.lr);
    checkNonNegative('Adagrad', 'lrDecay', o.lrDecay);
    checkNonNegative('Adagrad', 'weightDecay', o.weightDecay);
    checkNonNegative('Adagrad', 'initialAccumulatorValue', o.initialAccumulatorValue);
    checkNonNegative('Adagrad', 'epsilon', o.eps);
    checkBoolean('Adagrad', 'maximize', o.maximize);
  }

  protected update(
    p: Float32Array | Float64Array,
    g: Float32Array | Float64Array,
    state: ParamState,
    group: ParamGroup<AdagradOptions>,
    tensor: Tensor,
  ): void {
    const { lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize } = group;
    state.buffers.sum ??= newBuffer(tensor, initialAccumulatorValue);
    const sum = state.buffers.sum;
    state.step += 1;
    const clr = lr / (1 + (state.step - 1) * lrDecay);
    const sign = maximize ? -1 : 1;
    const n = p.length;
    for (let i = 0; i < n; i++) {
      let gi = sign * g[i];
      if (weightDecay !== 0) gi += weightDecay * p[i];
      sum[i] += gi * gi;
      p[i] += (-clr * gi) / (Math.sqrt(sum[i]) + eps);
    }
  }
}
