/**
 * The original engine's own checks (XOR, batch-norm statistics, dropout, state-dict keys), ported as
 * real assertions.
 */
import { manualSeed, noGrad, ones, randn, type Tensor, tensor, zeros } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { dropout } from '../src/functional/dropout';
import { bceWithLogitsLoss } from '../src/functional/losses';
import { ReLU } from '../src/layers/activations';
import { BatchNorm1d } from '../src/layers/batch-norm';
import { Dropout } from '../src/layers/dropout';
import { Embedding } from '../src/layers/embedding';
import { LayerNorm } from '../src/layers/layer-norm';
import { Linear } from '../src/layers/linear';
import { MLP } from '../src/layers/mlp';
import { Sequential } from '../src/layers/sequential';
import { Module } from '../src/module';
import { loadFixture } from './helpers';

/** A minimal Adam (the optimizer package is separate): enough to train the XOR network. */
function adam(params: Tensor[], lr: number) {
  const m = params.map((p) => zeros(p.shape, { dtype: p.dtype }));
  const v = params.map((p) => zeros(p.shape, { dtype: p.dtype }));
  let t = 0;
  return () => {
    t++;
    noGrad(() => {
      params.forEach((p, i) => {
        const g = p.grad;
        if (g === null) return;
        (m[i] as Tensor).mul_(0.9).add_(g.mul(0.1));
        (v[i] as Tensor).mul_(0.999).add_(g.square().mul(0.001));
        const mHat = (m[i] as Tensor).div(1 - 0.9 ** t);
        const vHat = (v[i] as Tensor).div(1 - 0.999 ** t);
        p.sub_(mHat.mul(lr).div(vHat.sqrt().add(1e-8)));
      });
    });
  };
}

describe('ported checks of the original engine', () => {
  it('learns XOR to 100% accuracy with a small MLP', () => {
    manualSeed(0);
    const model = new MLP([2, 8, 1], { activation: 'tanh' });
    const x = tensor([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    const y = tensor([[0], [1], [1], [0]]);
    const step = adam(model.parameters(), 0.05);
    let loss = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 300; i++) {
      model.zeroGrad();
      const l = bceWithLogitsLoss(model.call(x), y);
      l.backward();
      step();
      loss = l.item();
    }
    const predictions = Array.from(model.call(x).gt(0).data);
    expect(predictions).toEqual([0, 1, 1, 0]);
    expect(loss).toBeLessThan(0.05);
  });

  it('BatchNorm1d output has per-feature mean ≈ 0 and variance ≈ 1 in training mode', () => {
    manualSeed(1);
    const bn = new BatchNorm1d(4);
    const x = randn([256, 4])
      .mul(tensor([1, 5, 0.1, 30]))
      .add(tensor([3, -7, 0, 100]));
    const y = bn.call(x);
    const mean = Array.from(y.mean(0).data);
    const variance = Array.from(y.var(0, { unbiased: false }).data);
    const inputVariance = Array.from(x.var(0, { unbiased: false }).data);
    for (const m of mean) expect(Math.abs(m)).toBeLessThan(1e-5);
    // Exactly 1 up to eps: var / (var + eps) (0.999 for the feature with variance 0.01).
    variance.forEach((v, i) => {
      const s2 = inputVariance[i] as number;
      expect(v).toBeCloseTo(s2 / (s2 + bn.eps), 4);
      expect(v).toBeGreaterThan(0.99);
    });
  });

  it('BatchNorm1d tracks running statistics and uses them in eval mode', () => {
    const bn = new BatchNorm1d(1, { momentum: 0.5 });
    bn.call(tensor([[1], [3]])); // mean 2, unbiased var 2
    expect(Array.from(bn.runningMean.data)).toEqual([1]);
    expect(Array.from(bn.runningVar.data)).toEqual([1.5]);
    expect(bn.numBatchesTracked.item()).toBe(1);
    bn.eval();
    const y = bn.call(tensor([[1]]));
    expect(y.item()).toBeCloseTo(0, 5);
    expect(bn.numBatchesTracked.item()).toBe(1);
  });

  it('BatchNorm1d with momentum null keeps a cumulative average', () => {
    const bn = new BatchNorm1d(1, { momentum: null });
    bn.call(tensor([[0], [2]]));
    bn.call(tensor([[4], [6]]));
    expect(Array.from(bn.runningMean.data)).toEqual([3]);
  });

  it('Dropout is the identity in eval mode and scales survivors by 1/(1 − p) in training', () => {
    manualSeed(2);
    const x = ones([10000]);
    const layer = new Dropout(0.25);
    const trained = Array.from(layer.call(x).data);
    const kept = trained.filter((v) => v !== 0);
    for (const v of kept) expect(v).toBeCloseTo(1 / 0.75, 6);
    expect(kept.length / trained.length).toBeGreaterThan(0.72);
    expect(kept.length / trained.length).toBeLessThan(0.78);
    layer.eval();
    expect(layer.call(x)).toBe(x);
    expect(dropout(x, 0.5, false)).toBe(x);
  });

  it('dropout sends gradients only through the kept elements, scaled', () => {
    manualSeed(3);
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8], { requiresGrad: true });
    const y = dropout(x, 0.5);
    y.sum().backward();
    const out = Array.from(y.data);
    const g = Array.from(x.grad?.data ?? []);
    out.forEach((v, i) => {
      expect(g[i]).toBe(v === 0 ? 0 : 2);
    });
    expect(() => dropout(x, 1.5)).toThrow(/dropout: p must be a probability in \[0, 1\], got 1.5/);
    expect(Array.from(dropout(x, 1).data).every((v) => v === 0)).toBe(true);
  });

  it('stateDict keys and shapes equal PyTorch for the same architecture', () => {
    const expected = loadFixture<{ net: Record<string, number[]>; params: string[] }>('nn_state_keys');
    class Net extends Module {
      constructor() {
        super();
        this.registerModule(
          'features',
          new Sequential(new Linear(4, 8), new ReLU(), new BatchNorm1d(8), new Dropout(0.1)),
        );
        this.registerModule('norm', new LayerNorm(8));
        this.registerModule('embed', new Embedding(10, 4));
        this.registerModule('head', new Linear(8, 3, { bias: false }));
      }
      override forward(x: Tensor): Tensor {
        return this.getModule('head').call(this.getModule('norm').call(this.getModule('features').call(x)));
      }
    }
    const net = new Net();
    const dict = net.stateDict();
    expect(Object.keys(dict)).toEqual(Object.keys(expected.net));
    for (const [key, shape] of Object.entries(expected.net)) expect(dict[key]?.shape).toEqual(shape);
    expect(net.namedParameters().map(([name]) => name)).toEqual(expected.params);
    expect(net.parameters().map((p) => p.name)).toEqual(expected.params);
    expect(net.call(randn([2, 4])).shape).toEqual([2, 3]);
  });
});
