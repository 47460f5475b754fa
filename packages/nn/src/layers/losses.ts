/**
 * @file Loss modules (`nn.MSELoss`, `nn.CrossEntropyLoss`, ...): the functional losses with their
 * options fixed at construction, called as `criterion.call(input, target)`. Class weights and
 * `posWeight` are registered as buffers (`'weight'`, `'pos_weight'`) as PyTorch does.
 */
import type { Tensor } from '@optimgrad/core';
import {
  type BceOptions,
  type BceWithLogitsOptions,
  bceLoss,
  bceWithLogitsLoss,
  type CrossEntropyOptions,
  crossEntropyLoss,
  type HuberOptions,
  huberLoss,
  l1Loss,
  mseLoss,
  type NllOptions,
  nllLoss,
  type ReductionOptions,
  type SmoothL1Options,
  smoothL1Loss,
} from '../functional/losses';
import { Module } from '../module';

/** A loss layer: options fixed at construction; `weight`/`posWeight` tensors become buffers. */
abstract class Loss<O extends ReductionOptions & { weight?: Tensor; posWeight?: Tensor }> extends Module {
  constructor(private readonly settings: O) {
    super();
    if (settings.weight !== undefined) this.registerBuffer('weight', settings.weight);
    if (settings.posWeight !== undefined) this.registerBuffer('pos_weight', settings.posWeight);
  }

  /** The options with the current buffers (so `loadStateDict` and `to(dtype)` take effect). */
  protected options(): O {
    const buffers = Object.fromEntries(this.namedBuffers());
    return { ...this.settings, weight: buffers.weight, posWeight: buffers.pos_weight };
  }

  abstract override forward(input: Tensor, target: Tensor): Tensor;

  override extraRepr(): string {
    return `reduction='${this.settings.reduction ?? 'mean'}'`;
  }
}

/**
 * Mean squared error as a module.
 * @example new MSELoss().call(prediction, target);
 */
export class MSELoss extends Loss<ReductionOptions> {
  constructor(options: ReductionOptions = {}) {
    super(options);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, this.options());
  }
}

/**
 * Mean absolute error as a module.
 * @example new L1Loss({ reduction: 'sum' });
 */
export class L1Loss extends Loss<ReductionOptions> {
  constructor(options: ReductionOptions = {}) {
    super(options);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, this.options());
  }
}

/**
 * Huber loss as a module.
 * @example new HuberLoss({ delta: 0.5 });
 */
export class HuberLoss extends Loss<HuberOptions> {
  constructor(options: HuberOptions = {}) {
    super(options);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, this.options());
  }
}

/**
 * Smooth L1 loss as a module.
 * @example new SmoothL1Loss({ beta: 0.1 });
 */
export class SmoothL1Loss extends Loss<SmoothL1Options> {
  constructor(options: SmoothL1Options = {}) {
    super(options);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, this.options());
  }
}

/**
 * Binary cross-entropy on probabilities as a module.
 * @example new BCELoss().call(sigmoid(logits), labels);
 */
export class BCELoss extends Loss<BceOptions> {
  constructor(options: BceOptions = {}) {
    super(options);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return bceLoss(input, target, this.options());
  }
}

/**
 * Binary cross-entropy on logits as a module.
 * @example new BCEWithLogitsLoss({ posWeight: tensor([3]) });
 */
export class BCEWithLogitsLoss extends Loss<BceWithLogitsOptions> {
  constructor(options: BceWithLogitsOptions = {}) {
    super(options);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return bceWithLogitsLoss(input, target, this.options());
  }
}

/**
 * Cross-entropy of logits as a module.
 * @example new CrossEntropyLoss({ labelSmoothing: 0.1 }).call(logits, labels);
 */
export class CrossEntropyLoss extends Loss<CrossEntropyOptions> {
  constructor(options: CrossEntropyOptions = {}) {
    super(options);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropyLoss(input, target, this.options());
  }
}

/**
 * Negative log-likelihood as a module.
 * @example new NLLLoss().call(logSoftmax(logits, 1), labels);
 */
export class NLLLoss extends Loss<NllOptions> {
  constructor(options: NllOptions = {}) {
    super(options);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, this.options());
  }
}
