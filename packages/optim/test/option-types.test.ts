/**
 * @file The option types users write. The assertions are types: `tsc --noEmit` (this package's `typecheck`)
 * fails when one breaks, including each `@ts-expect-error` line that starts to compile. Vitest runs the calls.
 */
import { tensor } from '@optimgrad/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  Adagrad,
  type AdagradOptions,
  Adam,
  type AdamOptions,
  AdamW,
  type AdamWOptions,
  CosineAnnealingLR,
  type CosineAnnealingLROptions,
  ExponentialLR,
  type ResolvedAdagradOptions,
  type ResolvedAdamOptions,
  type ResolvedAdamWOptions,
  type ResolvedRMSpropOptions,
  type ResolvedSGDOptions,
  RMSprop,
  type RMSpropOptions,
  SGD,
  type SGDOptions,
  StepLR,
  type StepLROptions,
} from '../src/index';

const params = () => [tensor([1, 2, 3], { requiresGrad: true })];

describe('option types', () => {
  it('accept partial options and no options where PyTorch has defaults for all of them', () => {
    new Adam(params(), { lr: 1e-3 });
    new Adam(params());
    new AdamW(params(), { weightDecay: 0.1 });
    new RMSprop(params(), { momentum: 0.9 });
    new Adagrad(params());
    const adam: AdamOptions = { lr: 1e-3 };
    const adamw: AdamWOptions = {};
    const rmsprop: RMSpropOptions = { centered: true };
    const adagrad: AdagradOptions = { lrDecay: 0.01 };
    new Adam(params(), adam);
    new AdamW(params(), adamw);
    new RMSprop(params(), rmsprop);
    new Adagrad(params(), adagrad);
  });

  it('require SGD’s lr (PyTorch 1.13), in the options or in every param group', () => {
    new SGD(params(), { lr: 0.1, momentum: 0.9 });
    new SGD([{ params: params(), lr: 0.1 }]);
    const sgd: SGDOptions = { lr: 0.1 };
    new SGD(params(), sgd);
    // @ts-expect-error SGD has no default learning rate
    expectTypeOf<{ momentum: number }>().toExtend<SGDOptions>();
  });

  it('reject a misspelled option name', () => {
    // @ts-expect-error 'learningRate' is not an Adam option
    expectTypeOf({ learningRate: 1e-3 }).toExtend<AdamOptions>();
    const misspelled = () => {
      // @ts-expect-error 'momentom' is not an SGD option
      new SGD(params(), { lr: 0.1, momentom: 0.9 });
      // @ts-expect-error 'betas' belongs to Adam, not RMSprop
      new RMSprop(params(), { betas: [0.9, 0.999] });
      // @ts-expect-error 'weightdecay' is spelled weightDecay
      new Adam(params(), { lr: 1e-3, weightdecay: 0 });
    };
    expectTypeOf(misspelled).toBeFunction();
  });

  it('name the resolved shapes, every field present', () => {
    expectTypeOf<ResolvedAdamOptions>().toEqualTypeOf<Required<AdamOptions>>();
    expectTypeOf<ResolvedAdamWOptions>().toEqualTypeOf<Required<AdamWOptions>>();
    expectTypeOf<ResolvedSGDOptions>().toEqualTypeOf<Required<SGDOptions>>();
    expectTypeOf<ResolvedRMSpropOptions>().toEqualTypeOf<Required<RMSpropOptions>>();
    expectTypeOf<ResolvedAdagradOptions>().toEqualTypeOf<Required<AdagradOptions>>();
    expectTypeOf(new Adam(params()).defaults).toEqualTypeOf<Readonly<ResolvedAdamOptions>>();
  });

  it('give the schedulers named option types with only the required fields required', () => {
    const opt = new SGD(params(), { lr: 0.1 });
    const step: StepLROptions = { stepSize: 10 };
    const cosine: CosineAnnealingLROptions = { tMax: 10 };
    new StepLR(opt, step);
    new CosineAnnealingLR(opt, cosine);
    new ExponentialLR(opt, { gamma: 0.9 });
    // @ts-expect-error StepLR needs stepSize
    expectTypeOf({ gamma: 0.5 }).toExtend<StepLROptions>();
  });
});
