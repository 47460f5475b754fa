/**
 * @file RMSprop with momentum, centering, weight decay and maximize: the update of
 * torch.optim.RMSprop (`_single_tensor_rmsprop`), element by element.
 */
import type { Tensor } from '@optimgrad/core';
import { Optimizer } from './optimizer';
import { checkBoolean, checkNonNegative, withDefaults } from './options';
import { newBuffer } from './param-access';
import type { ParamGroup, ParamState, ParamsInput } from './types';

/** RMSprop's options. */
export interface RMSpropOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

const DEFAULTS: RMSpropOptions = {
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
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: ParamsInput<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super('RMSprop', params, withDefaults('RMSprop', DEFAULTS, options));
  }

  protected validate(o: RMSpropOptions): void {
    checkNonNegative('RMSprop', 'learning rate', o.lr);
    checkNonNegative('RMSprop', 'epsilon', o.eps);
    checkNonNegative('RMSprop', 'momentum', o.momentum);
    checkNonNegative('RMSprop', 'weightDecay', o.weightDecay);
    checkNonNegative('RMSprop', 'alpha', o.alpha);
    checkBoolean('RMSprop', 'centered', o.centered);
    checkBoolean('RMSprop', 'maximize', o.maximize);
  }

  protected update(
    p: Float32Array | Float64Array,
    g: Float32Array | Float64Array,
    state: ParamState,
    group: ParamGroup<RMSpropOptions>,
    tensor: Tensor,
  ): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    const buffers = state.buffers;
    buffers.squareAvg ??= newBuffer(tensor);
    if (momentum > 0) buffers.momentumBuffer ??= newBuffer(tensor);
    if (centered) buffers.gradAvg ??= newBuffer(tensor);
    const sq = buffers.squareAvg;
    const buf = momentum > 0 ? buffers.momentumBuffer : undefined;
    const avgG = centered ? buffers.gradAvg : undefined;
    state.step += 1;
    const sign = maximize ? -1 : 1;
    const keep = 1 - alpha;
    const n = p.length;
    for (let i = 0; i < n; i++) {
      let gi = sign * g[i];
      if (weightDecay !== 0) gi += weightDecay * p[i];
      sq[i] = sq[i] * alpha + keep * gi * gi;
      let avg: number;
      if (avgG !== undefined) {
        avgG[i] = avgG[i] * alpha + keep * gi;
        avg = Math.sqrt(sq[i] + -1 * avgG[i] * avgG[i]);
      } else {
        avg = Math.sqrt(sq[i]);
      }
      avg += eps;
      if (buf !== undefined) {
        buf[i] = buf[i] * momentum + gi / avg;
        p[i] += -lr * buf[i];
      } else {
        p[i] += (-lr * gi) / avg;
      }
    }
  }
}
