/**
 * @file The simple epoch schedulers of torch.optim.lr_scheduler, in PyTorch's chainable (recursive)
 * form so that the learning-rate sequence matches it float for float: StepLR, MultiStepLR,
 * ExponentialLR, CosineAnnealingLR and LinearLR.
 */
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler';

/** StepLR's options: `stepSize` epochs between decays (required), `gamma` the factor (default 0.1). */
export interface StepLROptions {
  stepSize: number;
  gamma?: number;
}

/** MultiStepLR's options: the epochs at which to decay (required), `gamma` the factor (default 0.1). */
export interface MultiStepLROptions {
  milestones: readonly number[];
  gamma?: number;
}

/** ExponentialLR's options: the factor applied every epoch (required, as in PyTorch). */
export interface ExponentialLROptions {
  gamma: number;
}

/** CosineAnnealingLR's options: the half period `tMax` (required) and the floor `etaMin` (default 0). */
export interface CosineAnnealingLROptions {
  tMax: number;
  etaMin?: number;
}

/** LinearLR's options, all with PyTorch's defaults (1/3, 1, 5). */
export interface LinearLROptions {
  startFactor?: number;
  endFactor?: number;
  totalIters?: number;
}

function checkPositiveInteger(name: string, option: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name}: ${option} must be a positive integer, but got ${String(value)}`);
  }
}

function checkNumber(name: string, option: string, value: number): void {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new Error(`${name}: ${option} must be a number, but got ${String(value)}`);
  }
}

/**
 * Multiplies the learning rate by `gamma` every `stepSize` epochs.
 * @example const s = new StepLR(opt, { stepSize: 30, gamma: 0.1 });
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;
  constructor(optimizer: SchedulableOptimizer, { stepSize, gamma = 0.1 }: StepLROptions) {
    super(optimizer, 'StepLR');
    checkPositiveInteger('StepLR', 'stepSize', stepSize);
    checkNumber('StepLR', 'gamma', gamma);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialize();
  }
  protected getLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
}

/**
 * Multiplies the learning rate by `gamma` at each epoch listed in `milestones`.
 * @example const s = new MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 */
export class MultiStepLR extends LRScheduler {
  readonly milestones: ReadonlyMap<number, number>;
  readonly gamma: number;
  constructor(optimizer: SchedulableOptimizer, { milestones, gamma = 0.1 }: MultiStepLROptions) {
    super(optimizer, 'MultiStepLR');
    if (!Array.isArray(milestones) || milestones.some((m) => !Number.isInteger(m))) {
      throw new Error(`MultiStepLR: milestones must be an array of integer epochs, but got ${String(milestones)}`);
    }
    checkNumber('MultiStepLR', 'gamma', gamma);
    const counts = new Map<number, number>();
    for (const m of milestones) counts.set(m, (counts.get(m) ?? 0) + 1);
    this.milestones = counts;
    this.gamma = gamma;
    this.initialize();
  }
  protected getLr(): number[] {
    const count = this.milestones.get(this.lastEpoch);
    const lrs = this.groupLrs();
    return count === undefined ? lrs : lrs.map((lr) => lr * this.gamma ** count);
  }
}

/**
 * Multiplies the learning rate by `gamma` every epoch.
 * @example const s = new ExponentialLR(opt, { gamma: 0.95 });
 */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;
  constructor(optimizer: SchedulableOptimizer, { gamma }: ExponentialLROptions) {
    super(optimizer, 'ExponentialLR');
    checkNumber('ExponentialLR', 'gamma', gamma);
    this.gamma = gamma;
    this.initialize();
  }
  protected getLr(): number[] {
    const lrs = this.groupLrs();
    return this.lastEpoch === 0 ? lrs : lrs.map((lr) => lr * this.gamma);
  }
}

/**
 * Cosine annealing from the initial learning rate to `etaMin` over `tMax` epochs (then back up, SGDR-style
 * without restarts), in PyTorch's recursive form.
 * @example const s = new CosineAnnealingLR(opt, { tMax: 100, etaMin: 1e-5 });
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;
  constructor(optimizer: SchedulableOptimizer, { tMax, etaMin = 0 }: CosineAnnealingLROptions) {
    super(optimizer, 'CosineAnnealingLR');
    // PyTorch accepts any positive T_max, fractional ones included (the recursive form handles them).
    if (typeof tMax !== 'number' || !(tMax > 0) || !Number.isFinite(tMax)) {
      throw new Error(`CosineAnnealingLR: tMax must be a positive number of epochs, but got ${String(tMax)}`);
    }
    checkNumber('CosineAnnealingLR', 'etaMin', etaMin);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.initialize();
  }
  protected getLr(): number[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    const lrs = this.groupLrs();
    if (t === 0) return lrs;
    const period = 2 * tMax;
    if ((((t - 1 - tMax) % period) + period) % period === 0) {
      return lrs.map((lr, i) => lr + (((this.baseLrs[i] as number) - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    return lrs.map(
      (lr) =>
        ((1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax))) * (lr - etaMin) + etaMin,
    );
  }
}

/**
 * Scales the learning rate linearly from `startFactor` to `endFactor` times its initial value over `totalIters` epochs.
 * @example const s = new LinearLR(opt, { startFactor: 0.1, totalIters: 10 });
 */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;
  constructor(
    optimizer: SchedulableOptimizer,
    { startFactor = 1 / 3, endFactor = 1, totalIters = 5 }: LinearLROptions = {},
  ) {
    super(optimizer, 'LinearLR');
    if (!(startFactor > 0 && startFactor <= 1)) {
      throw new Error(`LinearLR: startFactor must lie in (0, 1], but got ${String(startFactor)}`);
    }
    if (!(endFactor >= 0 && endFactor <= 1)) {
      throw new Error(`LinearLR: endFactor must lie in [0, 1], but got ${String(endFactor)}`);
    }
    checkPositiveInteger('LinearLR', 'totalIters', totalIters);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialize();
  }
  protected getLr(): number[] {
    const { lastEpoch: t, startFactor: a, endFactor: b, totalIters: n } = this;
    const lrs = this.groupLrs();
    if (t === 0) return lrs.map((lr) => lr * a);
    if (t > n) return lrs;
    return lrs.map((lr) => lr * (1 + (b - a) / (n * a + (t - 1) * (b - a))));
  }
}
