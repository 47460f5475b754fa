/**
 * @file W2: one training step of a 784 → 256 → ReLU → 128 → ReLU → 10 MLP on a batch of 128 with softmax
 * cross-entropy on random labels: zeroGrad + forward + backward + SGD(lr 0.01), in ms/step. Every engine starts
 * from the same weights (optimgrad's default initialisation, copied), so their first losses must agree.
 */
import { blockUntilReady, jit, nn as jnn, numpy as np, tree, valueAndGrad } from '@jax-js/jax';
import { manualSeed, type Tensor, tensor } from '@optimgrad/core';
import { crossEntropyLoss, Linear, ReLU, Sequential } from '@optimgrad/nn';
import { SGD } from '@optimgrad/optim';
import type { Rank, Scalar, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import { labels, normal, oneHot, transpose } from '../data';
import type { Prepared, Workload } from '../harness';
import { type TfBackend, useTf } from '../peers';

export const BATCH = 128;
export const SIZES = [784, 256, 128, 10] as const;
const LR = 0.01;
const MODEL_SEED = 3;
/** Steps run from the initial weights by `check`: their losses compare forward, backward and the update. */
const CHECK_STEPS = 3;

/** The optimgrad model, optimizer and batch, freshly initialised (same seed, so the same weights every time). */
export function optimgradMlp() {
  manualSeed(MODEL_SEED);
  const model = new Sequential(
    new Linear(SIZES[0], SIZES[1]),
    new ReLU(),
    new Linear(SIZES[1], SIZES[2]),
    new ReLU(),
    new Linear(SIZES[2], SIZES[3]),
  );
  const optimizer = new SGD(model.parameters(), { lr: LR });
  const x = tensor(normal(4, BATCH * SIZES[0]), { shape: [BATCH, SIZES[0]] });
  const y = tensor(labels(5, BATCH, SIZES[3]));
  const step = (): number => {
    optimizer.zeroGrad();
    const loss = crossEntropyLoss(model.call(x), y);
    loss.backward();
    optimizer.step();
    return loss.item();
  };
  return { model, step };
}

/** The initial weights for the peers: weights transposed to [in, out] (their natural layout), biases as they are. */
function initialWeights(): { w: Float32Array[]; b: Float32Array[] } {
  const { model } = optimgradMlp();
  const params: Tensor[] = model.parameters();
  const w: Float32Array[] = [];
  const b: Float32Array[] = [];
  for (let layer = 0; layer < 3; layer++) {
    const weight = params[2 * layer] as Tensor;
    const bias = params[2 * layer + 1] as Tensor;
    w.push(transpose(Float32Array.from(weight.data), SIZES[layer + 1] as number, SIZES[layer] as number));
    b.push(Float32Array.from(bias.data));
  }
  return { w, b };
}

function checkSteps(step: () => number | Promise<number>): Promise<{ loss: number[] }> {
  return (async () => {
    const loss: number[] = [];
    for (let i = 0; i < CHECK_STEPS; i++) loss.push(await step());
    return { loss };
  })();
}

function optimgrad(): Prepared {
  const { step } = optimgradMlp();
  return {
    run: () => {
      step();
    },
    check: () => checkSteps(step),
    dispose: () => {},
  };
}

async function tfjs(backend: TfBackend): Promise<Prepared> {
  const tf = await useTf(backend);
  const init = initialWeights();
  const w: Variable<Rank.R2>[] = [];
  const b: Variable<Rank.R1>[] = [];
  for (let layer = 0; layer < 3; layer++) {
    const [fanIn, fanOut] = [SIZES[layer] as number, SIZES[layer + 1] as number];
    w.push(tf.variable(tf.tensor2d(init.w[layer] as Float32Array, [fanIn, fanOut])));
    b.push(tf.variable(tf.tensor1d(init.b[layer] as Float32Array)));
  }
  const x = tf.tensor2d(normal(4, BATCH * SIZES[0]), [BATCH, SIZES[0]]);
  const y = tf.tensor2d(oneHot(labels(5, BATCH, SIZES[3]), SIZES[3]), [BATCH, SIZES[3]]);
  const optimizer = tf.train.sgd(LR);
  // tf.fused.matMul (matmul + bias + activation in one kernel, with its own gradient) is what tf.layers.dense uses.
  const dense = (input: Tensor2D, layer: number, relu: boolean): Tensor2D =>
    tf.fused.matMul({
      a: input,
      b: w[layer] as Variable<Rank.R2>,
      bias: b[layer] as Variable<Rank.R1>,
      activation: relu ? 'relu' : 'linear',
    }) as Tensor2D;
  const lossFn = (): Scalar => {
    const logits = dense(dense(dense(x, 0, true), 1, true), 2, false);
    return tf.losses.softmaxCrossEntropy(y, logits) as Scalar;
  };
  const step = (): number => {
    const loss = optimizer.minimize(lossFn, true, [...w, ...b]);
    if (loss === null) throw new Error('minimize returned no loss');
    const value = loss.dataSync()[0] as number;
    loss.dispose();
    return value;
  };
  return {
    run: () => {
      step();
    },
    check: () => checkSteps(step),
    dispose: () => {
      optimizer.dispose();
      tf.dispose([...w, ...b, x, y]);
    },
  };
}

type Params = { w1: np.Array; b1: np.Array; w2: np.Array; b2: np.Array; w3: np.Array; b3: np.Array };

/** Mean softmax cross-entropy of the MLP; consumes its arguments (jax-js ownership rules). */
function jaxLoss(p: Params, x: np.Array, y: np.Array): np.Array {
  const h1 = jnn.relu(np.matmul(x, p.w1).add(p.b1));
  const h2 = jnn.relu(np.matmul(h1, p.w2).add(p.b2));
  const logits = np.matmul(h2, p.w3).add(p.b3);
  return jnn
    .logSoftmax(logits, -1)
    .mul(y)
    .sum()
    .mul(-1 / BATCH);
}

/** One SGD step: returns the loss and the updated parameters; consumes its arguments. */
function jaxStep(params: Params, x: np.Array, y: np.Array): [np.Array, Params] {
  const [loss, grads] = valueAndGrad(jaxLoss)(tree.ref(params), x, y);
  const updated = tree.map((p: np.Array, g: np.Array) => p.sub(g.mul(LR)), params, grads);
  return [loss, updated];
}

function jax(compiled: boolean): Prepared {
  const init = initialWeights();
  const matrix = (layer: number) =>
    np.array(init.w[layer] as Float32Array).reshape([SIZES[layer] as number, SIZES[layer + 1] as number]);
  const vector = (layer: number) => np.array(init.b[layer] as Float32Array);
  let params: Params = { w1: matrix(0), b1: vector(0), w2: matrix(1), b2: vector(1), w3: matrix(2), b3: vector(2) };
  const x = np.array(normal(4, BATCH * SIZES[0])).reshape([BATCH, SIZES[0]]);
  const y = np.array(oneHot(labels(5, BATCH, SIZES[3]), SIZES[3])).reshape([BATCH, SIZES[3]]);
  const stepFn = compiled ? jit(jaxStep) : null;
  const step = async (): Promise<number> => {
    const [loss, updated] = stepFn === null ? jaxStep(params, x.ref, y.ref) : stepFn(params, x.ref, y.ref);
    params = updated;
    const value = loss.dataSync()[0] as number;
    await blockUntilReady(params);
    return value;
  };
  return {
    run: async () => {
      await step();
    },
    check: () => checkSteps(step),
    dispose: () => {
      tree.dispose(params);
      x.dispose();
      y.dispose();
      stepFn?.dispose();
    },
  };
}

export function mlpWorkload(): Workload {
  return {
    id: 'W2',
    group: 'W2',
    name: 'MLP training step',
    unit: 'ms',
    toUnit: (ms) => ms,
    warmup: 5,
    reps: 21,
    tolerance: 1e-4,
    target: { peer: 'jax-jit', oneThread: 1, twoThreads: 0.6 },
    engines: {
      optimgrad: () => optimgrad(),
      'tfjs-cpu': () => tfjs('cpu'),
      'tfjs-wasm': () => tfjs('wasm'),
      'jax-eager': () => jax(false),
      'jax-jit': () => jax(true),
    },
  };
}
