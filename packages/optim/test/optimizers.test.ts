import { type NestedArray, noGrad, type Tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { Adagrad, Adam, AdamW, type Optimizer, RMSprop, SGD } from '../src/index';
import { expectClose, fixture, makeParams, objective } from './helpers';

type Name = 'a' | 'b' | 'c';
interface Case {
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad';
  options: Record<string, unknown>;
  groups?: { names: Name[]; options: Record<string, unknown> }[];
  history: Record<Name, NestedArray>[];
  dtype: 'float32' | 'float64';
}
const data = fixture<{ steps: number; initial: Record<Name, NestedArray>; cases: Case[] }>('optimizers');
const classes = { SGD, Adam, AdamW, RMSprop, Adagrad };

function build(c: Case, params: Record<Name, Tensor>): Optimizer {
  const Class = classes[c.optimizer] as new (params: unknown, options: unknown) => Optimizer;
  const input = c.groups
    ? c.groups.map((g) => ({ params: g.names.map((n) => params[n]), ...g.options }))
    : [params.a, params.b, params.c];
  return new Class(input, c.options);
}

describe('optimizers follow torch.optim step for step', () => {
  for (const c of data.cases) {
    const label = `${c.dtype} ${c.optimizer} ${JSON.stringify(c.options)}${c.groups ? ` with groups ${JSON.stringify(c.groups)}` : ''}`;
    it(`matches PyTorch after every step: ${label}`, () => {
      const params = makeParams(data.initial, c.dtype);
      expect(params.a.dtype).toBe(c.dtype);
      const opt = build(c, params);
      // float64 runs match to 1e-10; float32 ones differ by PyTorch's float32 rounding of intermediates.
      const tolerance = c.dtype === 'float64' ? 1e-10 : 1e-6;
      const sign = c.options.maximize ? -1 : 1;
      for (const [step, expected] of c.history.entries()) {
        opt.zeroGrad();
        objective(params.a, params.b, params.c).mul(sign).backward();
        opt.step();
        for (const name of ['a', 'b', 'c'] as const) {
          expectClose(params[name].toArray(), expected[name], tolerance, `${label} step ${step + 1} ${name}`);
        }
      }
    });
  }
});

describe('optimizer mechanics', () => {
  it('skips parameters whose gradient is null', () => {
    const params = makeParams(data.initial);
    const before = params.c.toArray();
    const opt = new Adam([params.a, params.c], { lr: 0.1 });
    params.a.sum().backward();
    opt.step();
    expect(params.c.toArray()).toEqual(before);
    expect(opt.state.has(params.c)).toBe(false);
    expect(params.a.toArray()).not.toEqual(makeParams(data.initial).a.toArray());
  });

  it('updates a non-contiguous parameter exactly like its contiguous copy', () => {
    const base = makeParams(data.initial);
    const transposed = base.a.detach().T;
    transposed.requiresGrad = true;
    const copy = base.a.detach().T.contiguous().detach();
    copy.requiresGrad = true;
    expect(transposed.isContiguous()).toBe(false);
    const first = new Adam([transposed], { lr: 0.1, weightDecay: 0.1 });
    const second = new Adam([copy], { lr: 0.1, weightDecay: 0.1 });
    for (let i = 0; i < 5; i++) {
      for (const [p, opt] of [
        [transposed, first],
        [copy, second],
      ] as const) {
        opt.zeroGrad();
        p.sin().mul(p).sum().backward();
        opt.step();
      }
    }
    expect(transposed.toArray()).toEqual(copy.toArray());
  });

  it('zeroGrad sets gradients to null by default and zero-fills them when asked', () => {
    const { a, b } = makeParams(data.initial);
    const opt = new SGD([a, b], { lr: 0.1 });
    a.mul(b).sum().backward();
    opt.zeroGrad(false);
    expect(a.grad?.toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
    expect(b.grad).toBeNull();
  });

  it('lets a changed group learning rate take effect on the next step', () => {
    const { c } = makeParams(data.initial);
    const before = c.toArray() as number[];
    const opt = new SGD([c], { lr: 0.1 });
    (opt.paramGroups[0] as { lr: number }).lr = 0.5;
    c.sum().backward();
    opt.step();
    expectClose(
      c.toArray(),
      before.map((v) => v - 0.5),
      1e-15,
    );
  });

  it('makes a backward through a graph that saved an updated parameter throw', () => {
    const { c } = makeParams(data.initial);
    const opt = new SGD([c], { lr: 0.1 });
    const loss = c.mul(c).sum();
    loss.backward(undefined, { retainGraph: true });
    opt.step();
    expect(() => loss.backward()).toThrow(/modified by an in-place operation/);
    expect(c.isLeaf).toBe(true);
    expect(c.requiresGrad).toBe(true);
  });

  it('runs a closure and returns its loss', () => {
    const { c } = makeParams(data.initial);
    const opt = new SGD([c], { lr: 0.1 });
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = c.pow(2).sum();
      l.backward();
      return l.item();
    });
    expect(typeof loss).toBe('number');
    expect(noGrad(() => c.pow(2).sum().item())).toBeLessThan(loss as number);
  });
});

describe('parameter inputs', () => {
  it('accepts any iterable of tensors, such as a Set or a generator', () => {
    const { a, b } = makeParams(data.initial);
    function* both() {
      yield a;
      yield b;
    }
    expect(new SGD(new Set([a, b]), { lr: 0.1 }).paramGroups[0]?.params).toEqual([a, b]);
    expect(new Adam(both()).paramGroups[0]?.params).toEqual([a, b]);
    expect(new Adam([{ params: new Set([a]) }]).paramGroups[0]?.params).toEqual([a]);
  });
});
