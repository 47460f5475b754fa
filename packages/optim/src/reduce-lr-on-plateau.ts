/**
 * @file ReduceLROnPlateau, after torch.optim.lr_scheduler.ReduceLROnPlateau: lowers the learning rate
 * by `factor` when a monitored metric has stopped improving for `patience` epochs.
 */
import { isTensor, type Tensor } from '@optimgrad/core';
import type { SchedulableOptimizer } from './lr-scheduler';

/** ReduceLROnPlateau's options (PyTorch's defaults). */
export interface ReduceLROnPlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  minLr?: number | readonly number[];
  eps?: number;
}

/** ReduceLROnPlateau's progress; `best` is a string ('Infinity', '-Infinity') when not finite, for JSON. */
export interface ReduceLROnPlateauStateDict {
  best: number | string;
  numBadEpochs: number;
  cooldownCounter: number;
  lastEpoch: number;
  lastLr: number[];
}

/**
 * Reduces each group's learning rate when `step(metric)` sees no improvement for `patience` epochs.
 * @example const s = new ReduceLROnPlateau(opt, { patience: 5 }); s.step(validationLoss);
 */
export class ReduceLROnPlateau {
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLr: number[];

  constructor(
    readonly optimizer: SchedulableOptimizer,
    options: ReduceLROnPlateauOptions = {},
  ) {
    const {
      mode = 'min',
      factor = 0.1,
      patience = 10,
      threshold = 1e-4,
      thresholdMode = 'rel',
      cooldown = 0,
      minLr = 0,
      eps = 1e-8,
    } = options;
    if (!(factor < 1)) throw new Error(`ReduceLROnPlateau: factor must be < 1, but got ${String(factor)}`);
    if (mode !== 'min' && mode !== 'max') {
      throw new Error(`ReduceLROnPlateau: mode must be 'min' or 'max', but got '${String(mode)}'`);
    }
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs') {
      throw new Error(`ReduceLROnPlateau: thresholdMode must be 'rel' or 'abs', but got '${String(thresholdMode)}'`);
    }
    const groups = optimizer.paramGroups.length;
    if (typeof minLr !== 'number' && (!Array.isArray(minLr) || minLr.length !== groups)) {
      throw new Error(`ReduceLROnPlateau: expected ${groups} minLr values (one per param group), got ${String(minLr)}`);
    }
    this.mode = mode;
    this.factor = factor;
    this.patience = patience;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.cooldown = cooldown;
    this.minLrs = typeof minLr === 'number' ? new Array<number>(groups).fill(minLr) : [...minLr];
    this.eps = eps;
    this.best = mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    this.lastLr = optimizer.paramGroups.map((group) => group.lr);
  }

  private isBetter(a: number, best: number): boolean {
    if (this.mode === 'min')
      return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === 'rel' ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  /**
   * Records this epoch's metric (a number or single-element tensor) and lowers the learning rates if it plateaued.
   * @example scheduler.step(validationLoss);
   */
  step(metric: number | Tensor): void {
    const current = isTensor(metric) ? metric.item() : Number(metric);
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      for (const [i, group] of this.optimizer.paramGroups.entries()) {
        const newLr = Math.max(group.lr * this.factor, this.minLrs[i] as number);
        if (group.lr - newLr > this.eps) group.lr = newLr;
      }
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((group) => group.lr);
  }

  /**
   * The learning rates after the last `step()`, one per param group.
   * @example scheduler.getLastLr();
   */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The scheduler's progress as JSON-safe data.
   * @example const saved = JSON.stringify(scheduler.stateDict());
   */
  stateDict(): ReduceLROnPlateauStateDict {
    return {
      best: Number.isFinite(this.best) ? this.best : String(this.best),
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
      lastEpoch: this.lastEpoch,
      lastLr: [...this.lastLr],
    };
  }

  /**
   * Restores progress saved by `stateDict()` into a scheduler built with the same options.
   * @example scheduler.loadStateDict(JSON.parse(saved));
   */
  loadStateDict(dict: ReduceLROnPlateauStateDict): void {
    if (dict === null || typeof dict !== 'object' || typeof dict.numBadEpochs !== 'number') {
      throw new Error('ReduceLROnPlateau.loadStateDict: expected the object returned by stateDict()');
    }
    this.best = Number(dict.best);
    this.numBadEpochs = dict.numBadEpochs;
    this.cooldownCounter = dict.cooldownCounter;
    this.lastEpoch = dict.lastEpoch;
    this.lastLr = [...dict.lastLr];
  }
}
