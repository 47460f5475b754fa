import type { NestedArray, Tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { Adagrad, Adam, AdamW, type Optimizer, type OptimizerStateDict, RMSprop, SGD } from '../src/index';
import { fixture, makeParams, objective } from './helpers';

const { initial } = fixture<{ initial: Record<'a' | 'b' | 'c', NestedArray> }>('optimizers');

type Build = (params: Tensor[]) => Optimizer;
const builders: [string, Build][] = [
  ['SGD with Nesterov momentum', (p) => new SGD(p, { lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
  ['Adam with amsgrad', (p) => new Adam(p, { lr: 0.05, amsgrad: true })],
  [
    'AdamW in two groups',
    (p) => new AdamW([{ params: [p[0] as Tensor] }, { params: p.slice(1), lr: 0.01 }], { lr: 0.05 }),
  ],
  ['centered RMSprop with momentum', (p) => new RMSprop(p, { lr: 0.01, momentum: 0.9, centered: true })],
  ['Adagrad with lr decay', (p) => new Adagrad(p, { lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1 })],
];

function train(params: Record<'a' | 'b' | 'c', Tensor>, opt: Optimizer, steps: number): void {
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    objective(params.a, params.b, params.c).backward();
    opt.step();
  }
}

describe('stateDict and loadStateDict', () => {
  for (const [label, build] of builders) {
    it(`resumes ${label} bit for bit after a JSON round trip`, () => {
      const straight = makeParams(initial);
      train(straight, build([straight.a, straight.b, straight.c]), 10);

      const first = makeParams(initial);
      const opt = build([first.a, first.b, first.c]);
      train(first, opt, 5);
      const saved = JSON.stringify({
        opt: opt.stateDict(),
        params: [first.a, first.b, first.c].map((p) => p.toArray()),
      });

      const loaded = JSON.parse(saved) as { opt: OptimizerStateDict; params: NestedArray[] };
      const resumed = makeParams({ a: loaded.params[0], b: loaded.params[1], c: loaded.params[2] } as Record<
        'a' | 'b' | 'c',
        NestedArray
      >);
      const fresh = build([resumed.a, resumed.b, resumed.c]);
      fresh.loadStateDict(loaded.opt);
      train(resumed, fresh, 5);
      for (const name of ['a', 'b', 'c'] as const) expect(resumed[name].toArray()).toEqual(straight[name].toArray());
    });
  }

  it('stores buffers as plain arrays keyed by parameter index, with groups listing indices', () => {
    const p = makeParams(initial);
    const opt = new Adam([{ params: [p.a] }, { params: [p.b, p.c], lr: 0.1 }], { lr: 0.01 });
    objective(p.a, p.b, p.c).backward();
    opt.step();
    const dict = opt.stateDict();
    expect(Object.keys(dict.state)).toEqual(['0', '1', '2']);
    expect(dict.state['2']?.step).toBe(1);
    expect(dict.state['2']?.expAvg).toHaveLength(3);
    expect(dict.paramGroups.map((g) => g.params)).toEqual([[0], [1, 2]]);
    expect(dict.paramGroups[1]?.lr).toBe(0.1);
    expect(dict.paramGroups[0]?.betas).toEqual([0.9, 0.999]);
  });

  it('restores group options such as a learning rate a scheduler had changed', () => {
    const p = makeParams(initial);
    const opt = new SGD([p.a], { lr: 0.1 });
    (opt.paramGroups[0] as { lr: number }).lr = 0.025;
    const fresh = new SGD([p.a], { lr: 0.1 });
    fresh.loadStateDict(JSON.parse(JSON.stringify(opt.stateDict())));
    expect(fresh.paramGroups[0]?.lr).toBe(0.025);
    expect(fresh.paramGroups[0]?.params[0]).toBe(p.a);
  });

  it('rejects a state dict whose groups or buffers do not fit this optimizer', () => {
    const p = makeParams(initial);
    const opt = new Adam([p.a, p.b], { lr: 0.1 });
    objective(p.a, p.b, p.c).backward();
    opt.step();
    const dict = opt.stateDict();
    expect(() => new Adam([p.a], { lr: 0.1 }).loadStateDict(dict)).toThrow(
      /Adam.loadStateDict: saved param group 0 has 2 parameters but this optimizer's group 0 has 1/,
    );
    expect(() => new Adam([{ params: [p.a] }, { params: [p.b] }]).loadStateDict(dict)).toThrow(
      /the saved state has 1 param groups but this optimizer has 2/,
    );
    // A NaN in a buffer comes back from JSON as null; loading it must not silently become 0.
    const nonFinite = JSON.parse(JSON.stringify(dict)) as typeof dict;
    (nonFinite.state['0'] as unknown as { expAvg: (number | null)[] }).expAvg[0] = null;
    expect(() => new Adam([p.a, p.b], { lr: 0.1 }).loadStateDict(nonFinite)).toThrow(
      /Adam.loadStateDict: buffer 'expAvg' of parameter 0 holds null at index 0, not a number \(JSON.stringify turns NaN and Infinity into null\)/,
    );
    expect(() => new Adam([p.c, p.b], { lr: 0.1 }).loadStateDict(dict)).toThrow(
      /buffer 'expAvg' of parameter 0 has 6 elements but the parameter has 3 \(shape \[3\]\)/,
    );
  });
});

describe('loadStateDict validates what the constructor validates, and changes nothing when it throws', () => {
  function trained(): { p: Record<'a' | 'b' | 'c', Tensor>; sgd: OptimizerStateDict; adam: OptimizerStateDict } {
    const p = makeParams(initial);
    const sgd = new SGD([p.a, p.b], { lr: 0.1, momentum: 0.9 });
    const adam = new Adam([p.a, p.b], { lr: 0.1 });
    objective(p.a, p.b, p.c).backward();
    sgd.step();
    adam.step();
    return { p, sgd: JSON.parse(JSON.stringify(sgd.stateDict())), adam: JSON.parse(JSON.stringify(adam.stateDict())) };
  }
  type Edit = (dict: Record<string, unknown> & OptimizerStateDict) => void;
  const group = (d: OptimizerStateDict) => d.paramGroups[0] as unknown as Record<string, unknown>;
  const param = (d: OptimizerStateDict) => d.state['0'] as unknown as Record<string, unknown>;

  it('records the optimizer kind and rejects a state dict of another kind, naming both', () => {
    const { p, sgd, adam } = trained();
    expect(sgd.optimizer).toBe('SGD');
    expect(adam.optimizer).toBe('Adam');
    expect(() => new Adam([p.a, p.b]).loadStateDict(sgd)).toThrow(
      /Adam.loadStateDict: this state dict was saved by SGD, not Adam/,
    );
    expect(() => new AdamW([p.a, p.b]).loadStateDict(adam)).toThrow(/saved by Adam, not AdamW/);
  });

  it('rejects a state dict of another kind saved before the kind was recorded, by its option names', () => {
    const { p, sgd } = trained();
    delete sgd.optimizer;
    expect(() => new Adam([p.a, p.b]).loadStateDict(sgd)).toThrow(
      /Adam.loadStateDict: saved param group 0: unknown option 'momentum'; valid options are lr, betas/,
    );
  });

  it('still loads a state dict saved before the kind was recorded', () => {
    const { p, adam } = trained();
    delete adam.optimizer;
    const opt = new Adam([p.a, p.b]);
    opt.loadStateDict(adam);
    expect(opt.state.get(p.a)?.step).toBe(1);
  });

  const bad: [string, 'sgd' | 'adam', Edit, RegExp][] = [
    [
      'a negative lr',
      'sgd',
      (d) => {
        group(d).lr = -1;
      },
      /SGD.loadStateDict: saved param group 0: invalid learning rate value -1/,
    ],
    [
      'a learning rate that is not a number',
      'sgd',
      (d) => {
        group(d).lr = 'x';
      },
      /invalid learning rate value x/,
    ],
    [
      'a negative momentum',
      'sgd',
      (d) => {
        group(d).momentum = -0.5;
      },
      /saved param group 0: invalid momentum value -0.5/,
    ],
    [
      'a negative weight decay',
      'adam',
      (d) => {
        group(d).weightDecay = -1;
      },
      /Adam.loadStateDict: saved param group 0: invalid weightDecay value -1; weightDecay must be a number >= 0/,
    ],
    [
      'a beta of 1',
      'adam',
      (d) => {
        group(d).betas = [0.9, 1];
      },
      /saved param group 0: invalid beta parameter at index 1: 1; betas must lie in \[0, 1\)/,
    ],
    [
      'a negative eps',
      'adam',
      (d) => {
        group(d).eps = -1e-8;
      },
      /saved param group 0: invalid epsilon value -1e-8/,
    ],
    [
      'a non-boolean amsgrad',
      'adam',
      (d) => {
        group(d).amsgrad = 1;
      },
      /saved param group 0: option amsgrad must be true or false/,
    ],
    [
      'an unknown group option',
      'adam',
      (d) => {
        group(d).learningRate = 0.1;
      },
      /saved param group 0: unknown option 'learningRate'/,
    ],
    [
      'a negative step',
      'adam',
      (d) => {
        param(d).step = -1;
      },
      /parameter 0 has step -1; a step count must be an integer >= 0/,
    ],
    [
      'a fractional step',
      'adam',
      (d) => {
        param(d).step = 1.5;
      },
      /parameter 0 has step 1.5; a step count must be an integer >= 0/,
    ],
    [
      'an unknown state buffer',
      'adam',
      (d) => {
        param(d).expAvgg = param(d).expAvg;
      },
      /Adam.loadStateDict: parameter 0 has unknown state 'expAvgg'; Adam keeps step, expAvg, expAvgSq, maxExpAvgSq/,
    ],
    [
      'a misspelled SGD buffer',
      'sgd',
      (d) => {
        param(d).momentumBufer = param(d).momentumBuffer;
      },
      /SGD.loadStateDict: parameter 0 has unknown state 'momentumBufer'/,
    ],
    [
      'a buffer of the wrong size',
      'adam',
      (d) => {
        param(d).expAvgSq = [1, 2];
      },
      /buffer 'expAvgSq' of parameter 0 has 2 elements but the parameter has/,
    ],
  ];
  for (const [what, kind, edit, message] of bad) {
    it(`rejects ${what} and leaves the optimizer unchanged`, () => {
      const { p, sgd, adam } = trained();
      const dict = kind === 'sgd' ? sgd : adam;
      const opt = kind === 'sgd' ? new SGD([p.a, p.b], { lr: 0.5 }) : new Adam([p.a, p.b], { lr: 0.5 });
      objective(p.a, p.b, p.c).backward();
      opt.step();
      const before = JSON.stringify(opt.stateDict());
      // A later group change must not be applied when an earlier check passes and a later one fails.
      group(dict).lr = 0.01;
      edit(dict as Record<string, unknown> & OptimizerStateDict);
      expect(() => opt.loadStateDict(dict)).toThrow(message);
      expect(JSON.stringify(opt.stateDict())).toBe(before);
    });
  }
});
