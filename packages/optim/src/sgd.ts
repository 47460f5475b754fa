/**
 * @file Stochastic gradient descent with momentum, dampening, weight decay, Nesterov and maximize:
 * the update of torch.optim.SGD (`_single_tensor_sgd`), run for a whole param group by the backend's `sgdStep`.
 */
import { getBackend, type Tensor, type TypedArray } from '@optimgrad/core';
import { Optimizer } from './optimizer';
import { checkBoolean, checkNonNegative, withDefaults } from './options';
import { newBuffer } from './param-access';
import type { ParamBatch, ParamGroup, ParamsInput } from './types';

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
  protected override readonly bufferNames = ['momentumBuffer'];
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

  protected override updateGroup(batch: ParamBatch, group: ParamGroup<SGDOptions>): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    const buffers: TypedArray[] | null = momentum === 0 ? null : [];
    const fresh: boolean[] = [];
    const steps: number[] = [];
    batch.states.forEach((state, i) => {
      state.step += 1;
      steps.push(state.step);
      if (buffers === null) return;
      let buf = state.buffers.momentumBuffer;
      fresh.push(buf === undefined);
      if (buf === undefined) {
        buf = newBuffer(batch.tensors[i] as Tensor);
        state.buffers.momentumBuffer = buf;
      }
      buffers.push(buf);
    });
    getBackend().sgdStep(
      { params: batch.params, grads: batch.grads, steps, momentumBuffers: buffers, fresh },
      { lr, momentum, dampening, weightDecay, nesterov, maximize },
    );
  }
}
