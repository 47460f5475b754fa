/**
 * @file The `LRScheduler` base class, after torch.optim.lr_scheduler._LRScheduler: it records each
 * group's `initialLr`, counts epochs from -1, takes its first step on construction and writes the
 * learning rates computed by the subclass's `getLr()` (PyTorch's chainable, recursive form) into the
 * optimizer's param groups.
 */
import type { SchedulerGroupFields } from './types';

/** The slice of a param group the schedulers read and write. */
export interface SchedulerGroup extends SchedulerGroupFields {
  lr: number;
  momentum?: number;
  betas?: [number, number];
}

/** What a scheduler needs from an optimizer: its defaults (to detect momentum or betas) and groups. */
export interface SchedulableOptimizer {
  readonly name: string;
  readonly defaults: object;
  readonly paramGroups: SchedulerGroup[];
}

/** A scheduler's state as JSON-safe data; restore it into a scheduler built with the same options. */
export interface LRSchedulerStateDict {
  lastEpoch: number;
  stepCount: number;
  baseLrs: number[];
  lastLr: number[];
}

/**
 * Base class of the epoch-driven schedulers; subclasses compute the next learning rates in `getLr()`.
 * @example class Constant extends LRScheduler { protected getLr() { return this.groupLrs(); } }
 */
export abstract class LRScheduler {
  /** The epoch counter: -1 before the constructor's initial step, then 0, 1, 2, ... */
  lastEpoch = -1;
  /** Each group's `initialLr`, the base the closed-form schedules start from. */
  baseLrs: number[] = [];
  protected stepCount = 0;
  protected lastLr: number[] = [];

  protected constructor(
    readonly optimizer: SchedulableOptimizer,
    /** The class name used in error messages. */
    readonly name: string,
  ) {
    if (optimizer === null || typeof optimizer !== 'object' || !Array.isArray(optimizer.paramGroups)) {
      throw new Error(
        `${name}: the first argument must be an optimizer (such as new SGD(...)), got ${String(optimizer)}`,
      );
    }
  }

  /** The next learning rate of each param group, called by `step()` after `lastEpoch` is advanced. */
  protected abstract getLr(): number[];

  /** Records `initialLr` in each group and takes the initial step; subclasses call it last in their constructor. */
  protected initialize(): void {
    for (const group of this.optimizer.paramGroups) group.initialLr ??= group.lr;
    this.baseLrs = this.optimizer.paramGroups.map((group) => group.initialLr as number);
    this.step();
  }

  /** The current learning rate of each group. */
  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((group) => group.lr);
  }

  /**
   * Advances one epoch and sets each group's learning rate; call it after `optimizer.step()`.
   * @example for (const batch of data) { ...; opt.step(); } scheduler.step();
   */
  step(): void {
    this.stepCount += 1;
    this.lastEpoch += 1;
    const lrs = this.getLr();
    for (const [i, group] of this.optimizer.paramGroups.entries()) group.lr = lrs[i] as number;
    this.lastLr = this.groupLrs();
  }

  /**
   * The learning rates the last `step()` set, one per param group.
   * @example scheduler.getLastLr(); // [0.1]
   */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The scheduler's progress as JSON-safe data.
   * @example const saved = JSON.stringify(scheduler.stateDict());
   */
  stateDict(): LRSchedulerStateDict {
    return {
      lastEpoch: this.lastEpoch,
      stepCount: this.stepCount,
      baseLrs: [...this.baseLrs],
      lastLr: [...this.lastLr],
    };
  }

  /**
   * Restores progress saved by `stateDict()` into a scheduler built with the same options (load the
   * optimizer's state first, then the scheduler's).
   * @example scheduler.loadStateDict(JSON.parse(saved));
   */
  loadStateDict(dict: LRSchedulerStateDict): void {
    const groups = this.optimizer.paramGroups.length;
    if (
      dict === null ||
      typeof dict !== 'object' ||
      typeof dict.lastEpoch !== 'number' ||
      !Array.isArray(dict.baseLrs) ||
      dict.baseLrs.length !== groups
    ) {
      throw new Error(
        `${this.name}.loadStateDict: expected { lastEpoch, stepCount, baseLrs, lastLr } with one base lr per param group (${groups}), as returned by stateDict()`,
      );
    }
    this.lastEpoch = dict.lastEpoch;
    this.stepCount = dict.stepCount;
    this.baseLrs = [...dict.baseLrs];
    this.lastLr = [...dict.lastLr];
  }
}
