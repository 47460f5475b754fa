/**
 * @file Adagrad with learning-rate decay, weight decay, an initial accumulator and maximize: the update
 * of torch.optim.Adagrad (`_single_tensor_adagrad`, dense gradients), run for a whole param group by the
 * backend's `adagradStep`.
 */
import { getBackend, type Tensor, type TypedArray } from '@optimgrad/core';
import { Optimizer } from './optimizer';
import { checkBoolean, checkNonNegative, withDefaults } from './options';
import { newBuffer } from './param-access';
import type { ParamBatch, ParamGroup, ParamsInput } from './types';

/** Adagrad's options after defaults, as each param group holds them. */
export interface ResolvedAdagradOptions {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

/** Adagrad's options as written: every one has PyTorch's default. */
export type AdagradOptions = Partial<ResolvedAdagradOptions>;

const DEFAULTS: ResolvedAdagradOptions = {
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
export class Adagrad extends Optimizer<ResolvedAdagradOptions> {
  protected override readonly bufferNames = ['sum'];
  constructor(params: ParamsInput<ResolvedAdagradOptions>, options: AdagradOptions = {}) {
    super('Adagrad', params, withDefaults('Adagrad', DEFAULTS, options));
  }

  protected validate(o: ResolvedAdagradOptions): void {
    checkNonNegative('Adagrad', 'learning rate', o.lr);
    checkNonNegative('Adagrad', 'lrDecay', o.lrDecay);
    checkNonNegative('Adagrad', 'weightDecay', o.weightDecay);
    checkNonNegative('Adagrad', 'initialAccumulatorValue', o.initialAccumulatorValue);
    checkNonNegative('Adagrad', 'epsilon', o.eps);
    checkBoolean('Adagrad', 'maximize', o.maximize);
  }

  protected override updateGroup(batch: ParamBatch, group: ParamGroup<ResolvedAdagradOptions>): void {
    const { lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize } = group;
    const sums: TypedArray[] = [];
    const steps: number[] = [];
    batch.states.forEach((state, i) => {
      state.buffers.sum ??= newBuffer(batch.tensors[i] as Tensor, initialAccumulatorValue);
      sums.push(state.buffers.sum);
      state.step += 1;
      steps.push(state.step);
    });
    getBackend().adagradStep(
      { params: batch.params, grads: batch.grads, steps, sums },
      { lr, lrDecay, weightDecay, eps, maximize },
    );
  }
}
