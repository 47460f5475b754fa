/**
 * @file Adam and AdamW: the updates of torch.optim.Adam / AdamW (`_single_tensor_adam(w)`), with L2
 * weight decay folded into the gradient (Adam) or decoupled decay of the weights (AdamW), amsgrad and
 * maximize. Bias corrections use the per-parameter step count, as PyTorch does. A whole param group is
 * updated by one call to the backend's fused `adamStep`.
 */
import { getBackend, type Tensor, type TypedArray } from '@optimgrad/core';
import { Optimizer } from './optimizer';
import { checkBetas, checkBoolean, checkNonNegative, withDefaults } from './options';
import { newBuffer } from './param-access';
import type { ParamBatch, ParamGroup, ParamsInput } from './types';

/** Adam's and AdamW's options after defaults, as each param group holds them. */
export interface ResolvedAdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

/** Adam's options as written: every one has PyTorch's default (`lr` 1e-3). */
export type AdamOptions = Partial<ResolvedAdamOptions>;

/** AdamW's options after defaults: Adam's (its `weightDecay` defaults to 1e-2). */
export type ResolvedAdamWOptions = ResolvedAdamOptions;

/** AdamW's options as written: every one has PyTorch's default (`lr` 1e-3, `weightDecay` 1e-2). */
export type AdamWOptions = Partial<ResolvedAdamWOptions>;

/** The shared update; `decoupled` selects AdamW's weight decay. */
abstract class AdamBase extends Optimizer<ResolvedAdamOptions> {
  protected abstract readonly decoupled: boolean;
  protected override readonly bufferNames = ['expAvg', 'expAvgSq', 'maxExpAvgSq'];

  protected validate(o: ResolvedAdamOptions): void {
    checkNonNegative(this.name, 'learning rate', o.lr);
    checkNonNegative(this.name, 'epsilon', o.eps);
    checkBetas(this.name, o.betas);
    checkNonNegative(this.name, 'weightDecay', o.weightDecay);
    checkBoolean(this.name, 'amsgrad', o.amsgrad);
    checkBoolean(this.name, 'maximize', o.maximize);
  }

  protected override updateGroup(batch: ParamBatch, group: ParamGroup<ResolvedAdamOptions>): void {
    const { lr, eps, weightDecay, amsgrad, maximize } = group;
    const [beta1, beta2] = group.betas;
    const expAvgs: TypedArray[] = [];
    const expAvgSqs: TypedArray[] = [];
    const maxExpAvgSqs: TypedArray[] | null = amsgrad ? [] : null;
    const steps: number[] = [];
    batch.states.forEach((state, i) => {
      const tensor = batch.tensors[i] as Tensor;
      const buffers = state.buffers;
      buffers.expAvg ??= newBuffer(tensor);
      buffers.expAvgSq ??= newBuffer(tensor);
      expAvgs.push(buffers.expAvg);
      expAvgSqs.push(buffers.expAvgSq);
      if (maxExpAvgSqs !== null) {
        buffers.maxExpAvgSq ??= newBuffer(tensor);
        maxExpAvgSqs.push(buffers.maxExpAvgSq);
      }
      state.step += 1;
      steps.push(state.step);
    });
    getBackend().adamStep(
      { params: batch.params, grads: batch.grads, steps, expAvgs, expAvgSqs, maxExpAvgSqs },
      { lr, beta1, beta2, eps, weightDecay, decoupled: this.decoupled, amsgrad, maximize },
    );
  }
}

/**
 * Adam (Kingma and Ba), step for step as torch.optim.Adam; `weightDecay` adds `weightDecay * p` to the gradient.
 * @example const opt = new Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends AdamBase {
  protected readonly decoupled = false;
  constructor(params: ParamsInput<ResolvedAdamOptions>, options: AdamOptions = {}) {
    super(
      'Adam',
      params,
      withDefaults(
        'Adam',
        { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false },
        options,
      ),
    );
  }
}

/**
 * AdamW (Loshchilov and Hutter), step for step as torch.optim.AdamW: `p *= 1 - lr * weightDecay` before the Adam step.
 * @example const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
 */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;
  constructor(params: ParamsInput<ResolvedAdamWOptions>, options: AdamWOptions = {}) {
    super(
      'AdamW',
      params,
      withDefaults(
        'AdamW',
        { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false },
        options,
      ),
    );
  }
}
