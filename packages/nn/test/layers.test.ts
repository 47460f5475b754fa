import { gradcheck, type NestedArray, type Tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { GELU, LeakyReLU, ReLU, Sigmoid, SiLU, Softmax, Tanh } from '../src/layers/activations';
import { BatchNorm1d, BatchNorm2d } from '../src/layers/batch-norm';
import { Conv1d, Conv2d } from '../src/layers/conv';
import { Dropout } from '../src/layers/dropout';
import { Embedding } from '../src/layers/embedding';
import { Flatten } from '../src/layers/flatten';
import { LayerNorm } from '../src/layers/layer-norm';
import { Linear } from '../src/layers/linear';
import { MLP } from '../src/layers/mlp';
import { AvgPool1d, MaxPool2d } from '../src/layers/pool';
import { Sequential } from '../src/layers/sequential';
import type { Module } from '../src/module';
import { expectClose, f64, loadFixture } from './helpers';

interface LayerCase {
  name: string;
  state: Record<string, NestedArray>;
  input: NestedArray;
  out: NestedArray;
  upstream: NestedArray;
  grad: NestedArray | null;
  paramGrads: Record<string, NestedArray>;
  stateAfter: Record<string, NestedArray>;
  evalOut: NestedArray;
}

const fixture = loadFixture<{ layers: LayerCase[] }>('nn_layers');
const dtype = 'float64';

/** Our module for each fixture, built like the PyTorch one (weights come from the fixture). */
const builders: Record<string, () => Module> = {
  Linear: () => new Linear(4, 3, { dtype }),
  LinearNoBias: () => new Linear(4, 3, { bias: false, dtype }),
  BatchNorm1d: () => new BatchNorm1d(3, { dtype }),
  BatchNorm1d3d: () => new BatchNorm1d(3, { momentum: 0.3, eps: 1e-3, dtype }),
  BatchNorm2d: () => new BatchNorm2d(3, { dtype }),
  LayerNorm: () => new LayerNorm([3, 4], { dtype }),
  Embedding: () => new Embedding(6, 3, { dtype }),
  EmbeddingPadding: () => new Embedding(6, 3, { paddingIdx: 2, dtype }),
  Sequential: () =>
    new Sequential(
      new Linear(3, 5),
      new Tanh(),
      new BatchNorm1d(5),
      new GELU(),
      new Linear(5, 2),
      new Softmax(1),
    ).double(),
  Activations: () =>
    new Sequential(
      new Flatten(),
      new Linear(6, 6),
      new LeakyReLU(0.1),
      new Linear(6, 6),
      new SiLU(),
      new Linear(6, 6),
      new GELU({ approximate: 'tanh' }),
      new Linear(6, 6),
      new ReLU(),
      new Dropout(0),
      new Linear(6, 6),
      new Sigmoid(),
      new Linear(6, 4),
      new Tanh(),
      new Softmax(-1),
    ).double(),
  MLP: () => new MLP([2, 4, 4, 1], { dtype }),
};

function load(module: Module, state: Record<string, NestedArray>): void {
  const dict: Record<string, Tensor> = {};
  for (const [key, value] of Object.entries(state)) dict[key] = f64(value);
  module.loadStateDict(dict);
}

describe('layers against PyTorch (weights loaded from the torch state dict)', () => {
  for (const c of fixture.layers) {
    it(`${c.name} matches torch: output, input and parameter gradients, state after a training step, eval output`, () => {
      const module = (builders[c.name] as () => Module)();
      expect(Object.keys(module.stateDict())).toEqual(Object.keys(c.state));
      load(module, c.state);
      const x = f64(c.input, c.grad !== null);
      const y = module.call(x);
      y.backward(f64(c.upstream));
      expectClose(y, c.out, { label: `${c.name} out` });
      if (c.grad !== null) expectClose(x.grad, c.grad, { label: `${c.name} input grad` });
      const params = Object.fromEntries(module.namedParameters());
      expect(Object.keys(params)).toEqual(Object.keys(c.paramGrads));
      for (const [name, g] of Object.entries(c.paramGrads)) {
        expectClose(params[name]?.grad ?? null, g, { label: `${c.name} ${name}.grad` });
      }
      const after = module.stateDict();
      for (const [name, value] of Object.entries(c.stateAfter)) {
        expectClose(after[name] ?? null, value, { label: `${c.name} ${name} after step` });
      }
      module.eval();
      expectClose(module.call(f64(c.input)), c.evalOut, { label: `${c.name} eval out` });
    });
  }
});

describe('layer gradchecks in float64 (input and every parameter)', () => {
  const cases: [string, () => Module, number[]][] = [
    ['Linear', () => new Linear(3, 2, { dtype }), [4, 3]],
    ['BatchNorm1d (training)', () => new BatchNorm1d(3, { dtype }), [5, 3]],
    ['BatchNorm1d on [N, C, L]', () => new BatchNorm1d(2, { dtype }), [3, 2, 4]],
    ['BatchNorm2d (training)', () => new BatchNorm2d(2, { dtype }), [2, 2, 2, 2]],
    ['LayerNorm', () => new LayerNorm(4, { dtype }), [3, 4]],
    ['MLP with tanh', () => new MLP([3, 4, 2], { activation: 'tanh', dtype }), [2, 3]],
    [
      'Sequential of activations',
      () => new Sequential(new SiLU(), new Sigmoid(), new LeakyReLU(0.1), new Flatten()),
      [2, 2, 2],
    ],
    [
      'Sequential of GELU (both forms), Tanh, Softmax and an eval-mode Dropout',
      () =>
        new Sequential(
          new GELU(),
          new Tanh(),
          new GELU({ approximate: 'tanh' }),
          new Dropout(0.5),
          new Softmax(1),
        ).eval(),
      [2, 3],
    ],
    ['Conv1d with stride and padding', () => new Conv1d(2, 3, 2, { stride: 2, padding: 1, dtype }), [2, 2, 5]],
    ['Conv2d with padding, no bias', () => new Conv2d(2, 2, [2, 3], { padding: 1, bias: false, dtype }), [1, 2, 3, 3]],
    ['MaxPool2d with stride and padding', () => new MaxPool2d(2, { stride: 1, padding: 1 }), [1, 2, 3, 3]],
    ['AvgPool1d', () => new AvgPool1d(2), [2, 2, 4]],
  ];
  for (const [name, build, shape] of cases) {
    it(`${name} has correct analytic gradients`, () => {
      const module = build().double();
      const x = f64(0, false)
        .add(0)
        .expand(...shape)
        .clone();
      // Distinct, smooth-region inputs: 0.37·k − 1.1 shifted away from 0.
      const values = x.data;
      for (let i = 0; i < values.length; i++) values[i] = 0.37 * ((i * 7) % 11) - 1.9 + 0.05;
      x.requiresGrad = true;
      const params = module.parameters();
      expect(gradcheck((input) => module.call(input), [x, ...params])).toBe(true);
    });
  }

  it('Embedding has correct weight gradients', () => {
    const module = new Embedding(5, 3, { dtype });
    const indices = f64([
      [0, 4],
      [4, 1],
    ]);
    expect(gradcheck(() => module.call(indices).square(), [module.weight])).toBe(true);
  });

  it('ReLU passes gradients only where the input is positive', () => {
    const x = f64([-1, 2, -3, 4], true);
    new ReLU().call(x).sum().backward();
    expect(Array.from(x.grad?.data ?? [])).toEqual([0, 1, 0, 1]);
  });
});

describe('layer errors', () => {
  it('Linear names the expected feature size', () => {
    expect(() => new Linear(3, 2).call(f64([[1, 2]]))).toThrow(
      /Linear: input of shape \[1, 2\] must end in inFeatures = 3/,
    );
  });

  it('BatchNorm1d refuses a single value per channel while training', () => {
    expect(() => new BatchNorm1d(2).call(f64([[1, 2]]))).toThrow(/more than 1 value per channel/);
  });

  it('BatchNorm2d names the expected layout', () => {
    expect(() => new BatchNorm2d(2).call(f64([[1, 2]]))).toThrow(
      /BatchNorm2d: expected input of shape \[N, 2, H, W\], got \[1, 2\]/,
    );
  });

  it('Embedding names an out-of-range index', () => {
    expect(() => new Embedding(3, 2).call(f64([0, 3]))).toThrow(
      /Embedding: index 3 at flat position 1 is out of range/,
    );
  });

  it('LayerNorm names the expected trailing shape', () => {
    expect(() => new LayerNorm([2, 3]).call(f64([[1, 2]]))).toThrow(/must end in normalizedShape \[2, 3\]/);
  });
});
