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
