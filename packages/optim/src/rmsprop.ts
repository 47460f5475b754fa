/**
 * @file RMSprop with momentum, centering, weight decay and maximize: the update of
 * torch.optim.RMSprop (`_single_tensor_rmsprop`), run for a whole param group by the backend's `rmspropStep`.
 */
import { getBackend, type Tensor, type TypedArray } from '@optimgrad/core';
import { Optimizer } from './optimizer';
import { checkBoolean, checkNonNegative, withDefaults } from './options';
import { newBuffer } from './param-access';
import type { ParamBatch, ParamGroup, ParamsInput } from './types';

/** RMSprop's options after defaults, as each param group holds them. */
export interface ResolvedRMSpropOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

/** RMSprop's options as written: every one has PyTorch's default. */
export type RMSpropOptions = Partial<ResolvedRMSpropOptions>;

const DEFAULTS: ResolvedRMSpropOptions = {
  lr: 1e-2,
  alpha: 0.99,
  eps: 1e-8,
  weightDecay: 0,
  momentum: 0,
  centered: false,
  maximize: false,
};

/**
 * RMSprop (Hinton), step for step as torch.optim.RMSprop: `p -= lr * g / (sqrt(avg(g²) [- avg(g)²]) + eps)`.
 * @example const opt = new RMSprop(model.parameters(), { lr: 1e-3, momentum: 0.9, centered: true });
 */
export class RMSprop extends Optimizer<ResolvedRMSpropOptions> {
  protected override readonly bufferNames = ['squareAvg', 'momentumBuffer', 'gradAvg'];
  constructor(params: ParamsInput<ResolvedRMSpropOptions>, options: RMSpropOptions = {}) {
    super('RMSprop', params, withDefaults('RMSprop', DEFAULTS, options));
  }

  protected validate(o: ResolvedRMSpropOptions): void {
    checkNonNegative('RMSprop', 'learning rate', o.lr);
    checkNonNegative('RMSprop', 'epsilon', o.eps);
    checkNonNegative('RMSprop', 'momentum', o.momentum);
    checkNonNegative('RMSprop', 'weightDecay', o.weightDecay);
    checkNonNegative('RMSprop', 'alpha', o.alpha);
    checkBoolean('RMSprop', 'centered', o.centered);
    checkBoolean('RMSprop', 'maximize', o.maximize);
  }

  protected override updateGroup(batch: ParamBatch, group: ParamGroup<ResolvedRMSpropOptions>): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    const squareAvgs: TypedArray[] = [];
    const momentumBuffers: TypedArray[] | null = momentum > 0 ? [] : null;
    const gradAvgs: TypedArray[] | null = centered ? [] : null;
    const steps: number[] = [];
    batch.states.forEach((state, i) => {
      const tensor = batch.tensors[i] as Tensor;
      const buffers = state.buffers;
      buffers.squareAvg ??= newBuffer(tensor);
      squareAvgs.push(buffers.squareAvg);
      if (momentumBuffers !== null) {
        buffers.momentumBuffer ??= newBuffer(tensor);
        momentumBuffers.push(buffers.momentumBuffer);
      }
      if (gradAvgs !== null) {
        buffers.gradAvg ??= newBuffer(tensor);
        gradAvgs.push(buffers.gradAvg);
      }
      state.step += 1;
      steps.push(state.step);
    });
    getBackend().rmspropStep(
      { params: batch.params, grads: batch.grads, steps, squareAvgs, momentumBuffers, gradAvgs },
      { lr, alpha, eps, weightDecay, momentum, centered, maximize },
    );
  }
}
