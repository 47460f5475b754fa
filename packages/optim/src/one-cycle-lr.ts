/**
 * @file OneCycleLR, after torch.optim.lr_scheduler.OneCycleLR: the 1cycle policy (Smith and Topin),
 * warming the learning rate up from `maxLr / divFactor` to `maxLr` and annealing it down to
 * `initialLr / finalDivFactor`, while cycling momentum (or Adam's beta1) the opposite way.
 */
import { LRScheduler, type SchedulableOptimizer, type SchedulerGroup } from './lr-scheduler';

/** OneCycleLR's options; give `totalSteps`, or `epochs` and `stepsPerEpoch`. */
export interface OneCycleLROptions {
  maxLr: number | readonly number[];
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  cycleMomentum?: boolean;
  baseMomentum?: number | readonly number[];
  maxMomentum?: number | readonly number[];
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
}

type LrKey = 'initialLr' | 'maxLr' | 'minLr';
type MomentumKey = 'maxMomentum' | 'baseMomentum';

interface Phase {
  endStep: number;
  startLr: LrKey;
  endLr: LrKey;
  startMomentum: MomentumKey;
  endMomentum: MomentumKey;
}

/**
 * The 1cycle learning-rate (and momentum) schedule; call `step()` after every batch, `totalSteps` times.
 * @example const s = new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 1000 });
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  readonly cycleMomentum: boolean;
  readonly annealStrategy: 'cos' | 'linear';
  private readonly useBeta1: boolean;
  private readonly phases: Phase[];

  constructor(optimizer: SchedulableOptimizer, options: OneCycleLROptions) {
    super(optimizer, 'OneCycleLR');
    const {
      maxLr,
      totalSteps,
      epochs,
      stepsPerEpoch,
      pctStart = 0.3,
      annealStrategy = 'cos',
      cycleMomentum = true,
      baseMomentum = 0.85,
      maxMomentum = 0.95,
      divFactor = 25,
      finalDivFactor = 1e4,
      threePhase = false,
    } = options;
    if (totalSteps !== undefined) {
      if (!Number.isInteger(totalSteps) || totalSteps <= 0) {
        throw new Error(`OneCycleLR: expected a positive integer totalSteps, but got ${String(totalSteps)}`);
      }
      this.totalSteps = totalSteps;
    } else if (epochs !== undefined || stepsPerEpoch !== undefined) {
      for (const [option, value] of [
        ['epochs', epochs],
        ['stepsPerEpoch', stepsPerEpoch],
      ] as const) {
        if (value === undefined || !Number.isInteger(value) || value <= 0) {
          throw new Error(`OneCycleLR: expected a positive integer ${option}, but got ${String(value)}`);
        }
      }
      this.totalSteps = (epochs as number) * (stepsPerEpoch as number);
    } else {
      throw new Error('OneCycleLR: give either totalSteps or both epochs and stepsPerEpoch');
    }
    if (!(pctStart >= 0 && pctStart <= 1)) {
      throw new Error(`OneCycleLR: pctStart must lie in [0, 1], but got ${String(pctStart)}`);
    }
    if (annealStrategy !== 'cos' && annealStrategy !== 'linear') {
      throw new Error(`OneCycleLR: annealStrategy must be 'cos' or 'linear', but got '${String(annealStrategy)}'`);
    }
    this.annealStrategy = annealStrategy;
    const n = this.totalSteps;
    this.phases = threePhase
      ? [
          phase(pctStart * n - 1, 'initialLr', 'maxLr', 'maxMomentum', 'baseMomentum'),
          phase(2 * pctStart * n - 2, 'maxLr', 'initialLr', 'baseMomentum', 'maxMomentum'),
          phase(n - 1, 'initialLr', 'minLr', 'maxMomentum', 'maxMomentum'),
        ]
      : [
          phase(pctStart * n - 1, 'initialLr', 'maxLr', 'maxMomentum', 'baseMomentum'),
          phase(n - 1, 'maxLr', 'minLr', 'baseMomentum', 'maxMomentum'),
        ];
    const groups = optimizer.paramGroups;
    const maxLrs = perGroup('maxLr', maxLr, groups.length);
    for (const [i, group] of groups.entries()) {
      group.initialLr = (maxLrs[i] as number) / divFactor;
      group.maxLr = maxLrs[i] as number;
      group.minLr = group.initialLr / finalDivFactor;
    }
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = 'betas' in optimizer.defaults;
    if (cycleMomentum) {
      if (!('momentum' in optimizer.defaults) && !this.useBeta1) {
        throw new Error(
          `OneCycleLR: cycleMomentum needs an optimizer with momentum or betas, but ${optimizer.name} has neither; pass cycleMomentum: false`,
        );
      }
      const maxMomentums = perGroup('maxMomentum', maxMomentum, groups.length);
      const baseMomentums = perGroup('baseMomentum', baseMomentum, groups.length);
      for (const [i, group] of groups.entries()) {
        this.setMomentum(group, maxMomentums[i] as number);
        group.maxMomentum = maxMomentums[i] as number;
        group.baseMomentum = baseMomentums[i] as number;
      }
    }
    this.initialize();
  }

  private setMomentum(group: SchedulerGroup, value: number): void {
    if (this.useBeta1) group.betas = [value, (group.betas as [number, number])[1]];
    else group.momentum = value;
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  protected getLr(): number[] {
    const stepNumber = this.lastEpoch;
    if (stepNumber > this.totalSteps) {
      throw new Error(
        `OneCycleLR: tried to step ${stepNumber + 1} times, but the schedule has totalSteps = ${this.totalSteps}; raise totalSteps (or epochs) to train longer`,
      );
    }
    return this.optimizer.paramGroups.map((group) => {
      let startStep = 0;
      for (const [i, p] of this.phases.entries()) {
        if (stepNumber <= p.endStep || i === this.phases.length - 1) {
          const pct = (stepNumber - startStep) / (p.endStep - startStep);
          if (this.cycleMomentum) {
            this.setMomentum(group, this.anneal(group[p.startMomentum] as number, group[p.endMomentum] as number, pct));
          }
          return this.anneal(group[p.startLr] as number, group[p.endLr] as number, pct);
        }
        startStep = p.endStep;
      }
      return group.lr;
    });
  }
}

function phase(
  endStep: number,
  startLr: LrKey,
  endLr: LrKey,
  startMomentum: MomentumKey,
  endMomentum: MomentumKey,
): Phase {
  return { endStep, startLr, endLr, startMomentum, endMomentum };
}

function perGroup(option: string, value: number | readonly number[], groups: number): number[] {
  if (typeof value === 'number') return new Array<number>(groups).fill(value);
  if (!Array.isArray(value) || value.length !== groups) {
    throw new Error(`OneCycleLR: expected ${groups} values for ${option} (one per param group), got ${String(value)}`);
  }
  return [...value];
}
