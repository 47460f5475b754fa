/**
 * @file Adam and AdamW: the updates of torch.optim.Adam / AdamW (`_single_tensor_adam(w)`), with L2
 * weight decay folded into the gradient (Adam) or decoupled decay of the weights (AdamW), amsgrad and
 * maximize. Bias corrections use the per-parameter step count, as PyTorch does.
 */
import type { Tensor } from '@optimgrad/core';
import { Optimizer } from './optimizer';
import { checkBetas, checkBoolean, checkNonNegative, withDefaults } from './options';
import { newBuffer } from './param-access';
import type { ParamGroup, ParamState, ParamsInput } from './types';

/** Adam's and AdamW's options. */
export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

/** The shared update; `decoupled` selects AdamW's weight decay. */
abstract class AdamBase extends Optimizer<AdamOptions> {
  protected abstract readonly decoupled: boolean;

  protected validate(o: AdamOptions): void {
    checkNonNegative(this.name, 'learning rate', o.lr);
    checkNonNegative(this.name, 'epsilon', o.eps);
    checkBetas(this.name, o.betas);
    checkNonNegative(this.name, 'weightDecay', o.weightDecay);
    checkBoolean(this.name, 'amsgrad', o.amsgrad);
    checkBoolean(this.name, 'maximize', o.maximize);
  }

  protected update(
    p: Float32Array | Float64Array,
    g: Float32Array | Float64Array,
    state: ParamState,
    group: ParamGroup<AdamOptions>,
    tensor: Tensor,
  ): void {
    const { lr, eps, weightDecay, amsgrad, maximize } = group;
    const [beta1, beta2] = group.betas;
    const buffers = state.buffers;
    buffers.expAvg ??= newBuffer(tensor);
    buffers.expAvgSq ??= newBuffer(tensor);
    if (amsgrad) buffers.maxExpAvgSq ??= newBuffer(tensor);
    const m = buffers.expAvg;
    const v = buffers.expAvgSq;
    const vMax = buffers.maxExpAvgSq;
    state.step += 1;
    const stepSize = lr / (1 - beta1 ** state.step);
    const bias2Sqrt = Math.sqrt(1 - beta2 ** state.step);
    const sign = maximize ? -1 : 1;
    const decoupled = this.decoupled;
    const decay = decoupled ? 1 - lr * weightDecay : 1;
    const l2 = decoupled ? 0 : weightDecay;
    const keep1 = 1 - beta1;
    const keep2 = 1 - beta2;
    const n = p.length;
    if (!amsgrad && l2 === 0) {
      // The common case: the arithmetic of the loop below without its per-element branches; for Adam
      // `decay` is 1 and multiplying by it changes nothing.
      for (let i = 0; i < n; i++) {
        const gi = sign * g[i];
        p[i] *= decay;
        m[i] = m[i] * beta1 + keep1 * gi;
        v[i] = v[i] * beta2 + keep2 * gi * gi;
        p[i] += (-stepSize * m[i]) / (Math.sqrt(v[i]) / bias2Sqrt + eps);
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      let gi = sign * g[i];
      if (decoupled) p[i] *= decay;
      else if (l2 !== 0) gi += l2 * p[i];
      m[i] = m[i] * beta1 + keep1 * gi;
      v[i] = v[i] * beta2 + keep2 * gi * gi;
      let second = v[i];
      if (vMax !== undefined && amsgrad) {
        vMax[i] = Math.max(vMax[i], second);
        second = vMax[i];
      }
      const denom = Math.sqrt(second) / bias2Sqrt + eps;
      p[i] += (-stepSize * m[i]) / denom;
    }
  }
}

/**
 * Adam (Kingma and Ba), step for step as torch.optim.Adam; `weightDecay` adds `weightDecay * p` to the gradient.
 * @example const opt = new Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends AdamBase {
  protected readonly decoupled = false;
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
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
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
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
