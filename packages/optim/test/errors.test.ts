import { tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { Adagrad, Adam, AdamW, RMSprop, SGD } from '../src/index';

const leaf = () => tensor([1, 2, 3], { requiresGrad: true });

describe('bad optimizer options throw like PyTorch, naming the option and value', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['a negative learning rate', () => new SGD([leaf()], { lr: -1 }), /SGD: invalid learning rate value -1/],
    // SGD's types require lr; the runtime check is for JavaScript callers.
    ['a missing SGD learning rate', () => new SGD([leaf()] as never), /SGD: lr is required/],
    ['a negative momentum', () => new SGD([leaf()], { lr: 0.1, momentum: -0.5 }), /SGD: invalid momentum value -0.5/],
    [
      'a negative weight decay',
      () => new Adam([leaf()], { weightDecay: -1 }),
      /Adam: invalid weightDecay value -1; weightDecay must be a number >= 0/,
    ],
    [
      'nesterov without momentum',
      () => new SGD([leaf()], { lr: 0.1, nesterov: true }),
      /SGD: Nesterov momentum requires a momentum and zero dampening/,
    ],
    [
      'nesterov with dampening',
      () => new SGD([leaf()], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }),
      /Nesterov momentum requires a momentum and zero dampening \(got momentum 0.9, dampening 0.1\)/,
    ],
    [
      'beta1 of 1',
      () => new Adam([leaf()], { betas: [1, 0.999] }),
      /Adam: invalid beta parameter at index 0: 1; betas must lie in \[0, 1\)/,
    ],
    [
      'a negative beta2',
      () => new AdamW([leaf()], { betas: [0.9, -0.1] }),
      /AdamW: invalid beta parameter at index 1: -0.1/,
    ],
    ['a negative eps', () => new Adam([leaf()], { eps: -1e-8 }), /Adam: invalid epsilon value -1e-8/],
    ['a negative alpha', () => new RMSprop([leaf()], { alpha: -0.1 }), /RMSprop: invalid alpha value -0.1/],
    ['a negative lr decay', () => new Adagrad([leaf()], { lrDecay: -1 }), /Adagrad: invalid lrDecay value -1/],
    [
      'a negative initial accumulator',
      () => new Adagrad([leaf()], { initialAccumulatorValue: -1 }),
      /Adagrad: invalid initialAccumulatorValue value -1/,
    ],
    [
      'an unknown option name',
      () => new Adam([leaf()], { learningRate: 0.1 } as never),
      /Adam: unknown option 'learningRate'; valid options are lr, betas, eps, weightDecay, amsgrad, maximize/,
    ],
    [
      'an unknown option in a param group',
      () => new SGD([{ params: [leaf()], momentom: 0.9 } as never], { lr: 0.1 }),
      /SGD: unknown option 'momentom'/,
    ],
    [
      'an invalid option in a param group',
      () => new SGD([{ params: [leaf()], lr: -0.1 }], { lr: 0.1 }),
      /SGD: invalid learning rate value -0.1/,
    ],
  ];
  for (const [what, make, message] of cases) {
    it(`rejects ${what}`, () => {
      expect(make).toThrow(message);
    });
  }
});

describe('bad parameter lists throw', () => {
  it('rejects a parameter given twice, in one group or across groups', () => {
    const p = leaf();
    expect(() => new SGD([p, p], { lr: 0.1 })).toThrow(/SGD: params\[1\] \(shape \[3\]\) appears more than once/);
    expect(() => new SGD([{ params: [p] }, { params: [p] }], { lr: 0.1 })).toThrow(/appears more than once/);
  });

  it('rejects a non-leaf parameter', () => {
    const p = leaf().mul(2);
    expect(() => new Adam([p])).toThrow(/Adam: can't optimize a non-leaf Tensor \(params\[0\] was computed by 'mul'\)/);
  });

  it('rejects a single tensor and an empty list', () => {
    expect(() => new Adam(leaf() as never)).toThrow(
      /Adam: params must be an array .* wrap a single tensor as \[tensor\]/,
    );
    expect(() => new Adam([])).toThrow(/Adam: got an empty parameter list/);
  });

  it('rejects things that are not tensors', () => {
    expect(() => new SGD([1 as never], { lr: 0.1 })).toThrow(/SGD: a param group must be an object/);
    expect(() => new SGD([{ params: [leaf(), 3 as never] }], { lr: 0.1 })).toThrow(
      /SGD: params\[1\] is number, but optimizers can only optimize Tensors/,
    );
  });
});
