/**
 * @file Stochastic gradient descent with momentum, dampening, weight decay, Nesterov and maximize:
 * the update of torch.optim.SGD (`_single_tensor_sgd`), run for a whole param group by the backend's `sgdStep`.
 */
import { getBackend, type Tensor, type TypedArray } from '@optimgrad/core';
import { Optimizer } from './optimizer';
import { checkBoolean, checkNonNegative, withDefaults } from './options';
import { newBuffer } from './param-access';
import type { ParamBatch, ParamGroup, ParamGroupInput, ParamsInput } from './types';

/** SGD's options after defaults, as each param group holds them. */
export interface ResolvedSGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

/**
 * SGD's options as written: `lr` has no default (as in PyTorch 1.13), so it is required here unless every
 * param group gives its own; the rest default to 0 / false.
 */
export type SGDOptions = Pick<ResolvedSGDOptions, 'lr'> & Partial<ResolvedSGDOptions>;

/** A param group that carries its own `lr`, so the optimizer-wide options may leave it out. */
export type SGDParamGroupWithLr = ParamGroupInput<ResolvedSGDOptions> & Pick<ResolvedSGDOptions, 'lr'>;

const DEFAULTS: ResolvedSGDOptions = {
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
export class SGD extends Optimizer<ResolvedSGDOptions> {
  protected override readonly bufferNames = ['momentumBuffer'];
  constructor(params: ParamsInput<ResolvedSGDOptions>, options: SGDOptions);
  constructor(params: Iterable<SGDParamGroupWithLr>, options?: Partial<ResolvedSGDOptions>);
  constructor(params: ParamsInput<ResolvedSGDOptions>, options: Partial<ResolvedSGDOptions> = {}) {
    super('SGD', params, withDefaults('SGD', DEFAULTS, options));
  }

  protected validate(o: ResolvedSGDOptions): void {
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

  protected override updateGroup(batch: ParamBatch, group: ParamGroup<ResolvedSGDOptions>): void {
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
