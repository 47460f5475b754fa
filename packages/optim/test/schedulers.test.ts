import { zeros } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import {
  Adam,
  CosineAnnealingLR,
  ExponentialLR,
  LinearLR,
  MultiStepLR,
  OneCycleLR,
  ReduceLROnPlateau,
  SGD,
  StepLR,
} from '../src/index';
import { expectClose, fixture } from './helpers';

interface Case {
  name: string;
  optimizer: 'SGD' | 'Adam';
  optimizerOptions: Record<string, unknown>;
  options: Record<string, unknown>;
  metrics?: number[];
  lrs: number[][];
  momenta: number[][];
}
const data = fixture<{ cases: Case[] }>('schedulers');

function makeOptimizer(c: Case): SGD | Adam {
  const groups = [
    { params: [zeros([2], { requiresGrad: true })], lr: 0.1 },
    { params: [zeros([1], { requiresGrad: true })], lr: 0.05 },
  ];
  return c.optimizer === 'SGD' ? new SGD(groups, c.optimizerOptions) : new Adam(groups, c.optimizerOptions);
}

function makeScheduler(c: Case, opt: SGD | Adam): { step(metric?: number): void; getLastLr(): number[] } {
  // The fixture's options are checked at run time by the constructors.
  const o = c.options as never;
  switch (c.name) {
    case 'StepLR':
      return new StepLR(opt, o);
    case 'MultiStepLR':
      return new MultiStepLR(opt, o);
    case 'ExponentialLR':
      return new ExponentialLR(opt, o);
    case 'CosineAnnealingLR':
      return new CosineAnnealingLR(opt, o);
    case 'LinearLR':
      return new LinearLR(opt, o);
    case 'OneCycleLR':
      return new OneCycleLR(opt, o);
    case 'Chained': {
      // Two schedulers on one optimizer, stepped together (PyTorch's chainable form composes them).
      const { linear, exponential } = c.options as { linear: never; exponential: never };
      const parts = [new LinearLR(opt, linear), new ExponentialLR(opt, exponential)];
      return {
        step: () => {
          for (const part of parts) part.step();
        },
        getLastLr: () => (parts[1] as ExponentialLR).getLastLr(),
      };
    }
    case 'ReduceLROnPlateau': {
      const s = new ReduceLROnPlateau(opt, o);
      return { step: (metric?: number) => s.step(metric as number), getLastLr: () => s.getLastLr() };
    }
    default:
      throw new Error(`unknown scheduler ${c.name}`);
  }
}

const momentumOf = (opt: SGD | Adam): number[] =>
  opt.paramGroups.map((g) => ('betas' in g ? g.betas[0] : (g as { momentum: number }).momentum));

describe('schedulers give the learning-rate sequence of torch.optim.lr_scheduler', () => {
  for (const c of data.cases) {
    it(`matches PyTorch for ${c.name} ${JSON.stringify(c.options)}`, () => {
      const opt = makeOptimizer(c);
      const scheduler = makeScheduler(c, opt);
      const lrs = [opt.paramGroups.map((g) => g.lr)];
      const momenta = [momentumOf(opt)];
      for (let i = 0; i < c.lrs.length - 1; i++) {
        opt.step();
        scheduler.step(c.metrics?.[i]);
        lrs.push(opt.paramGroups.map((g) => g.lr));
        momenta.push(momentumOf(opt));
        expect(scheduler.getLastLr()).toEqual(lrs[lrs.length - 1]);
      }
      expectClose(lrs, c.lrs, 1e-13, `${c.name} lr`);
      expectClose(momenta, c.momenta, 1e-13, `${c.name} momentum`);
    });
  }
});

describe('scheduler state', () => {
  it('resumes a cosine schedule from a saved state with the same sequence', () => {
    const run = (steps: number, from?: { opt: unknown; sched: unknown }) => {
      const opt = new SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 });
      const sched = new CosineAnnealingLR(opt, { tMax: 5, etaMin: 0.01 });
      if (from) {
        opt.loadStateDict(JSON.parse(JSON.stringify(from.opt)));
        sched.loadStateDict(JSON.parse(JSON.stringify(from.sched)));
      }
      const lrs: number[] = [];
      for (let i = 0; i < steps; i++) {
        sched.step();
        lrs.push(opt.paramGroups[0]?.lr as number);
      }
      return { lrs, opt: opt.stateDict(), sched: sched.stateDict() };
    };
    const whole = run(12).lrs;
    const first = run(5);
    const second = run(7, first);
    expect([...first.lrs, ...second.lrs]).toEqual(whole);
  });

  it('resumes OneCycleLR with Adam, restoring the cycled beta1 through the optimizer state', () => {
    const run = (steps: number, from?: { opt: unknown; sched: unknown }) => {
      const opt = new Adam([zeros([1], { requiresGrad: true })], { lr: 0.1 });
      const sched = new OneCycleLR(opt, { maxLr: 0.3, totalSteps: 20 });
      if (from) {
        opt.loadStateDict(JSON.parse(JSON.stringify(from.opt)));
        sched.loadStateDict(JSON.parse(JSON.stringify(from.sched)));
      }
      const seen: number[][] = [];
      for (let i = 0; i < steps; i++) {
        opt.step();
        sched.step();
        seen.push([opt.paramGroups[0]?.lr as number, opt.paramGroups[0]?.betas[0] as number]);
      }
      return { seen, opt: opt.stateDict(), sched: sched.stateDict() };
    };
    const whole = run(19).seen;
    const first = run(8);
    expect([...first.seen, ...run(11, first).seen]).toEqual(whole);
  });

  it('serialises ReduceLROnPlateau with an infinite best value through JSON', () => {
    const opt = new SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 });
    const fresh = new ReduceLROnPlateau(opt, { patience: 0 });
    const copy = new ReduceLROnPlateau(opt, { patience: 0 });
    copy.best = 0;
    copy.loadStateDict(JSON.parse(JSON.stringify(fresh.stateDict())));
    expect(copy.best).toBe(Number.POSITIVE_INFINITY);
    copy.step(1);
    copy.step(2);
    expect(copy.getLastLr()[0]).toBeCloseTo(0.01, 15);
  });

  it('throws for bad scheduler options with the option and its value', () => {
    const opt = new SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 });
    expect(() => new StepLR(opt, { stepSize: 0 })).toThrow(/StepLR: stepSize must be a positive integer, but got 0/);
    expect(() => new LinearLR(opt, { startFactor: 2 })).toThrow(/LinearLR: startFactor must lie in \(0, 1\]/);
    expect(() => new CosineAnnealingLR(opt, { tMax: 0 })).toThrow(
      /CosineAnnealingLR: tMax must be a positive number of epochs, but got 0/,
    );
    expect(() => new ReduceLROnPlateau(opt, { factor: 1 })).toThrow(/factor must be < 1/);
    expect(() => new OneCycleLR(opt, { maxLr: 1 })).toThrow(/give either totalSteps or both epochs and stepsPerEpoch/);
    const s = new OneCycleLR(opt, { maxLr: 1, totalSteps: 2 });
    s.step();
    s.step();
    expect(() => s.step()).toThrow(/tried to step 4 times, but the schedule has totalSteps = 2/);
  });
});
