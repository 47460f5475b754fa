/** Each layer with a module rule alone: exported as its ONNX op, run in ONNX Runtime on fresh inputs. */
import { manualSeed, randint, randn, type Tensor } from '@optimgrad/core';
import {
  AvgPool1d,
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv1d,
  Conv2d,
  Dropout,
  Embedding,
  GELU,
  Identity,
  LayerNorm,
  LeakyReLU,
  Linear,
  MaxPool1d,
  MaxPool2d,
  type Module,
  ReLU,
  Sigmoid,
  Softmax,
  Tanh,
} from '@optimgrad/nn';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../src/index';
import { expectSameInOrt } from './ort';

interface LayerCase {
  readonly name: string;
  readonly make: () => Module;
  readonly input: () => Tensor;
  /** The ONNX ops the layer must become (Identity outputs aside). */
  readonly ops: readonly string[];
  readonly opset?: number;
}

/** A BatchNorm with running statistics from one training batch, then in eval mode. */
function trainedNorm<M extends BatchNorm1d | BatchNorm2d>(norm: M, batch: Tensor): M {
  norm.call(batch);
  norm.eval();
  return norm;
}

const cases: readonly LayerCase[] = [
  { name: 'Linear on 2-D input', make: () => new Linear(5, 3), input: () => randn([4, 5]), ops: ['Gemm'] },
  {
    name: 'Linear on 3-D input without bias',
    make: () => new Linear(5, 3, { bias: false }),
    input: () => randn([2, 4, 5]),
    ops: ['Transpose', 'MatMul'],
  },
  {
    name: 'Conv2d with stride, dilation and padding',
    make: () => new Conv2d(2, 3, [3, 2], { stride: [2, 1], padding: [1, 2], dilation: [1, 2] }),
    input: () => randn([2, 2, 7, 6]),
    ops: ['Conv'],
  },
  {
    name: "Conv1d with padding 'same' and no bias",
    make: () => new Conv1d(2, 3, 4, { padding: 'same', bias: false }),
    input: () => randn([2, 2, 9]),
    ops: ['Conv'],
  },
  {
    name: 'MaxPool2d with padding and ceil mode',
    make: () => new MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }),
    input: () => randn([2, 3, 8, 7]),
    ops: ['MaxPool'],
  },
  { name: 'MaxPool1d', make: () => new MaxPool1d(2), input: () => randn([2, 3, 9]), ops: ['MaxPool'] },
  {
    name: 'AvgPool2d with padding, counting it',
    make: () => new AvgPool2d(3, { stride: 2, padding: 1 }),
    input: () => randn([2, 3, 7, 7]),
    ops: ['AveragePool'],
  },
  {
    name: 'AvgPool1d with padding, not counting it',
    make: () => new AvgPool1d(3, { stride: 1, padding: 1, countIncludePad: false }),
    input: () => randn([2, 3, 6]),
    ops: ['AveragePool'],
  },
  {
    name: 'BatchNorm2d in eval mode',
    make: () => trainedNorm(new BatchNorm2d(3), randn([4, 3, 5, 5]).mul(3).add(1)),
    input: () => randn([2, 3, 4, 4]),
    ops: ['BatchNormalization'],
  },
  {
    name: 'BatchNorm1d without affine parameters',
    make: () => trainedNorm(new BatchNorm1d(3, { affine: false }), randn([6, 3]).mul(2)),
    input: () => randn([5, 3]),
    ops: ['BatchNormalization'],
  },
  {
    name: 'LayerNorm over two dims',
    make: () => new LayerNorm([3, 4], { eps: 1e-3 }),
    input: () => randn([2, 3, 4]),
    ops: ['LayerNormalization'],
  },
  {
    name: 'LayerNorm without affine parameters',
    make: () => new LayerNorm(4, { elementwiseAffine: false }),
    input: () => randn([3, 4]),
    ops: ['LayerNormalization'],
  },
  { name: 'Embedding', make: () => new Embedding(7, 3), input: () => randint(0, 7, [2, 4]), ops: ['Cast', 'Gather'] },
  { name: 'ReLU', make: () => new ReLU(), input: () => randn([3, 4]), ops: ['Relu'] },
  { name: 'Sigmoid', make: () => new Sigmoid(), input: () => randn([3, 4]), ops: ['Sigmoid'] },
  { name: 'Tanh', make: () => new Tanh(), input: () => randn([3, 4]), ops: ['Tanh'] },
  { name: 'LeakyReLU', make: () => new LeakyReLU(0.2), input: () => randn([3, 4]), ops: ['LeakyRelu'] },
  { name: 'Softmax', make: () => new Softmax(0), input: () => randn([3, 4]), ops: ['Softmax'] },
  { name: 'GELU at opset 20', make: () => new GELU(), input: () => randn([3, 4]), ops: ['Gelu'], opset: 20 },
  {
    name: 'GELU (tanh) at opset 17, op by op',
    make: () => new GELU({ approximate: 'tanh' }),
    input: () => randn([3, 4]),
    ops: ['Tanh'],
  },
  { name: 'Dropout in eval mode', make: () => new Dropout(0.5).eval(), input: () => randn([3, 4]), ops: [] },
  { name: 'Identity', make: () => new Identity(), input: () => randn([3, 4]), ops: [] },
];

describe('each layer rule in ONNX Runtime', () => {
  for (const layer of cases) {
    it(`exports ${layer.name}`, async () => {
      manualSeed(layer.name.length);
      const model = layer.make();
      const options = layer.opset === undefined ? {} : { opset: layer.opset };
      const bytes = await expectSameInOrt(model, [layer.input()], options, [layer.input()]);
      const ops = (decodeModel(bytes).graph as { node: { op_type: string }[] }).node
        .map((n) => n.op_type)
        .filter((op) => op !== 'Identity');
      expect(ops).toEqual(expect.arrayContaining([...layer.ops]));
      if (layer.ops.length === 0) expect(ops).toEqual([]);
    });
  }
});
