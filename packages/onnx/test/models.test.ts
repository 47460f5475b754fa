import { cat, manualSeed, randint, randn, type Tensor, tensor } from '@optimgrad/core';
import {
  BatchNorm2d,
  Conv2d,
  Dropout,
  Embedding,
  Flatten,
  LayerNorm,
  Linear,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
} from '@optimgrad/nn';
import { describe, expect, it } from 'vitest';
import { decodeModel, exportOnnx } from '../src/index';
import { expectSameInOrt } from './ort';

/** The demo's classifier: Linear → ReLU → Linear → ReLU → Linear. */
function demoMlp(): Sequential {
  return new Sequential(new Linear(784, 32), new ReLU(), new Linear(32, 16), new ReLU(), new Linear(16, 10));
}

/** Conv2d + BatchNorm2d + MaxPool + Linear, with batch statistics that are not the defaults. */
function convNet(): Sequential {
  const model = new Sequential(
    new Conv2d(1, 4, 3, { padding: 1 }),
    new BatchNorm2d(4),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(4, 6, 3, { stride: 2, padding: 'valid' }),
    new ReLU(),
    new Flatten(),
    new Dropout(0.3),
    new Linear(6 * 2 * 2, 3),
  );
  // A few training steps' worth of running statistics, so eval mode reads non-trivial buffers.
  model.call(randn([8, 1, 10, 10]).mul(2).add(0.5));
  return model.eval();
}

class TextModel extends Module {
  readonly embed = this.registerModule('embed', new Embedding(20, 8));
  readonly norm = this.registerModule('norm', new LayerNorm(8));
  readonly head = this.registerModule('head', new Linear(8, 4));
  override forward(tokens: Tensor): Tensor {
    return this.head.call(this.norm.call(this.embed.call(tokens)).relu()).logSoftmax(-1);
  }
}

describe('exportOnnx in ONNX Runtime', () => {
  it('runs the demo MLP with the same outputs and state-dict names', async () => {
    manualSeed(1);
    const model = demoMlp();
    const bytes = await expectSameInOrt(model, [randn([5, 784])]);
    const graph = decodeModel(bytes).graph as { initializer: { name: string }[]; node: { op_type: string }[] };
    expect(graph.initializer.map((t) => t.name).sort()).toEqual(Object.keys(model.stateDict()).sort());
    expect(graph.node.map((n) => n.op_type)).toEqual(['Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm', 'Identity']);
  });

  it('runs a Conv2d + BatchNorm2d + MaxPool + Linear net in eval mode', async () => {
    manualSeed(2);
    const model = convNet();
    const bytes = await expectSameInOrt(model, [randn([3, 1, 10, 10])]);
    const ops = (decodeModel(bytes).graph as { node: { op_type: string }[] }).node.map((n) => n.op_type);
    expect(ops).toEqual(expect.arrayContaining(['Conv', 'BatchNormalization', 'MaxPool', 'Gemm']));
  });

  it('runs an Embedding + LayerNorm model on integer tokens', async () => {
    manualSeed(3);
    const model = new TextModel();
    await expectSameInOrt(model, [randint(0, 20, [2, 5])]);
  });

  it('accepts any batch size along a dynamic axis', async () => {
    manualSeed(4);
    const options = { dynamicAxes: { input: { 0: 'batch' } } };
    const mlp = demoMlp();
    const bytes = exportOnnx(mlp, randn([2, 784]), options);
    const output = (decodeModel(bytes).graph as { output: { type: unknown }[] }).output[0];
    expect(JSON.stringify(output)).toContain('"dim_param":"batch"');
    for (const n of [1, 7]) await expectSameInOrt(mlp, [randn([2, 784])], options, [randn([n, 784])]);
    const conv = convNet();
    for (const n of [1, 5]) await expectSameInOrt(conv, [randn([2, 1, 10, 10])], options, [randn([n, 1, 10, 10])]);
    const text = new TextModel();
    const tokens = { dynamicAxes: { input: { 0: 'batch', 1: 'sequence' } } };
    await expectSameInOrt(text, [randint(0, 20, [2, 3])], tokens, [randint(0, 20, [4, 6])]);
  });

  it('exports functional softmax and logSoftmax as ONNX Softmax and LogSoftmax', async () => {
    class Heads extends Module {
      override forward(x: Tensor): Tensor {
        return cat([x.softmax(1), x.mul(3).logSoftmax(-1)], 1);
      }
    }
    const options = { dynamicAxes: { input: { 0: 'batch' } } };
    const bytes = await expectSameInOrt(new Heads(), [randn([2, 5])], options, [randn([4, 5]).mul(20)]);
    const ops = (decodeModel(bytes).graph as { node: { op_type: string }[] }).node.map((n) => n.op_type);
    expect(ops).toEqual(expect.arrayContaining(['Softmax', 'LogSoftmax']));
    expect(ops).not.toContain('Exp');
  });

  it('exports a 6,000-op chain without overflowing the stack', () => {
    class Deep extends Module {
      override forward(x: Tensor): Tensor {
        let y = x;
        for (let i = 0; i < 3000; i++) y = y.mul(0.9999).add(0.001);
        return y;
      }
    }
    const graph = decodeModel(exportOnnx(new Deep(), randn([3]))).graph as { node: { op_type: string }[] };
    expect(graph.node).toHaveLength(6001);
    expect(graph.node.slice(0, 2).map((n) => n.op_type)).toEqual(['Mul', 'Add']);
  });

  it('exports float64 models as double', async () => {
    manualSeed(5);
    const model = demoMlp().double();
    await expectSameInOrt(model, [randn([3, 784], { dtype: 'float64' })]);
  });

  it('exports a module through its primitive ops when it has no rule', async () => {
    class Functional extends Module {
      override forward(x: Tensor): Tensor {
        const h = x.reshape(x.shape[0] as number, -1).softmax(1);
        return h.mul(tensor(2)).sum(1, true).add(h.max(1, true)).sqrt();
      }
    }
    await expectSameInOrt(new Functional(), [randn([3, 2, 4])], { dynamicAxes: { input: { 0: 'n' } } }, [
      randn([6, 2, 4]),
    ]);
  });
});
