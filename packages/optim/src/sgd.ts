/**
 * @file Stochastic gradient descent with momentum, dampening, weight decay, Nesterov and maximize:
 * the update of torch.optim.SGD (`_single_tensor_sgd`), element by element.
 */
import type { Tensor } from '@optimgrad/core';
import { Optimizer } from './optimizer';
import { checkBoolean, checkNonNegative, withDefaults } from './options';
import { newBuffer } from './param-access';
import type { ParamGroup, ParamState, ParamsInput } from './types';

/** SGD's options; `lr` has no default and must be given here or in every param group. */
export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

const DEFAULTS: SGDOptions = {
  lr: Number.NaN,
  momentum: 0,
  dampening: 0,
  weightDecay: 0,
  nesterov: false,
  maximize: false,
};

/**
 * SGD, step for step as torch.optim.SGD: `buf = momentum * buf + (1 - dampening) * g; p -= lr * buf`.
 * @example const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: ParamsInput<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super('SGD', params, withDefaults('SGD', DEFAULTS, options));
  }

  protected validate(o: SGDOptions): void {
    if (Number.isNaN(o.lr)) throw new Error('SGD: lr is required; pass { lr: 0.01 } or give every param group an lr');
    checkNonNegative('SGD', 'learning rate', o.lr);
    checkNonNegative('SGD', 'momentum', o.momentum);
    checkNonNegative('SGD', 'weightDecay', o.weightDecay);
    if (typeof o.dampening !== 'number' || Number.isNaN(o.dampening)) {
      throw new Error(`SGD: invalid dampening value ${String(o.dampening)}; dampening must be a number`);
    }
    checkBoolean('SGD', 'nesterov', o.nesterov);
    checkBoolean('SGD', 'maximize', o.maximize);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new Error(
        `SGD: Nesterov momentum requires a momentum and zero dampening (got momentum ${o.momentum}, dampening ${o.dampening}); set momentum > 0 and dampening: 0`,
      );
    }
  }

  protected update(
    p: Float32Array | Float64Array,
    g: Float32Array | Float64Array,
    state: ParamState,
    group: ParamGroup<SGDOptions>,
    tensor: Tensor,
  ): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    state.step += 1;
    const n = p.length;
    const sign = maximize ? -1 : 1;
    if (momentum === 0) {
      for (let i = 0; i < n; i++) {
        let d = sign * g[i];
        if (weightDecay !== 0) d += weightDecay * p[i];
        p[i] = p[i] - lr * d;
      }
      return;
    }
    let buf = state.buffers.momentumBuffer;
    const first = buf === undefined;
    if (buf === undefined) {
      buf = newBuffer(tensor);
      state.buffers.momentumBuffer = buf;
    }
    const keep = 1 - dampening;
    if (!first && !nesterov && weightDecay === 0) {
      // The common case: the arithmetic of the loop below without its per-element branches (about 2x faster).
      for (let i = 0; i < n; i++) {
        buf[i] = buf[i] * momentum + keep * (sign * g[i]);
        p[i] = p[i] - lr * buf[i];
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      let d = sign * g[i];
      if (weightDecay !== 0) d += weightDecay * p[i];
      // The first step copies the gradient into the buffer (no dampening), as PyTorch does.
      buf[i] = first ? d : buf[i] * momentum + keep * d;
      d = nesterov ? d + momentum * buf[i] : buf[i];
      p[i] = p[i] - lr * d;
    }
  }
}
