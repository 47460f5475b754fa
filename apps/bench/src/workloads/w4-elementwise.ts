/**
 * @file W4: large element-wise work. a, b of 1,000,000 float32 elements requiring grad; sum(exp(a·b + a));
 * forward + backward, in ms. The loss value and both gradients are compared with optimgrad's.
 */
import { blockUntilReady, jit, numpy as np, valueAndGrad } from '@jax-js/jax';
import { tensor } from '@optimgrad/core';
import type { Scalar, Tensor1D } from '@tensorflow/tfjs-core';
import { gradData, uniform } from '../data';
import type { Prepared, Workload } from '../harness';
import { type TfBackend, useTf } from '../peers';

const SIZE = 1_000_000;

function optimgrad(av: Float32Array, bv: Float32Array): Prepared {
  const a = tensor(av, { requiresGrad: true });
  const b = tensor(bv, { requiresGrad: true });
  const once = () => {
    a.grad = null;
    b.grad = null;
    const loss = a.mul(b).add(a).exp().sum();
    loss.backward();
    return { value: loss.item() };
  };
  return {
    run: () => {
      once();
    },
    check: () => {
      const { value } = once();
      return { value: [value], gradA: gradData(a), gradB: gradData(b) };
    },
    dispose: () => {},
  };
}

async function tfjs(backend: TfBackend, av: Float32Array, bv: Float32Array): Promise<Prepared> {
  const tf = await useTf(backend);
  const a = tf.tensor1d(av);
  const b = tf.tensor1d(bv);
  const f = (x: Tensor1D, y: Tensor1D): Scalar => tf.sum(tf.exp(tf.add(tf.mul(x, y), x)));
  const grads = tf.grads((x, y) => f(x as Tensor1D, y as Tensor1D));
  return {
    // cpu and wasm kernels run synchronously, so the gradients are computed when grads() returns;
    // the loss is read back as for every engine.
    run: () => {
      tf.tidy(() => {
        f(a, b).dataSync();
        grads([a, b]);
      });
    },
    check: () => {
      const [ga, gb] = grads([a, b]);
      const loss = f(a, b);
      const result = { value: loss.dataSync(), gradA: (ga as Tensor1D).dataSync(), gradB: (gb as Tensor1D).dataSync() };
      tf.dispose([ga as Tensor1D, gb as Tensor1D, loss]);
      return result;
    },
    dispose: () => tf.dispose([a, b]),
  };
}

/** sum(exp(a·b + a)); consumes its arguments. */
function loss(a: np.Array, b: np.Array): np.Array {
  return np.exp(a.ref.mul(b).add(a)).sum();
}

function jax(compiled: boolean, av: Float32Array, bv: Float32Array): Prepared {
  const a = np.array(av);
  const b = np.array(bv);
  const eager = valueAndGrad(loss, { argnums: [0, 1] });
  const compiledFn = compiled ? jit(eager) : null;
  const once = async () => {
    const [value, grads] = compiledFn === null ? eager(a.ref, b.ref) : compiledFn(a.ref, b.ref);
    await blockUntilReady(grads);
    return { value: value.dataSync(), grads };
  };
  return {
    run: async () => {
      const { grads } = await once();
      for (const g of grads) g.dispose();
    },
    check: async () => {
      const { value, grads } = await once();
      return { value, gradA: grads[0].dataSync(), gradB: grads[1].dataSync() };
    },
    dispose: () => {
      a.dispose();
      b.dispose();
      compiledFn?.dispose();
    },
  };
}

export function elementwiseWorkload(): Workload {
  const av = uniform(8, SIZE, -1, 1);
  const bv = uniform(9, SIZE, -1, 1);
  return {
    id: 'W4',
    group: 'W4',
    name: 'large element-wise: sum(exp(a·b + a)), 1M, + backward',
    unit: 'ms',
    toUnit: (ms) => ms,
    warmup: 3,
    reps: 15,
    tolerance: 1e-4,
    target: { peer: 'jax-jit', oneThread: 0.75, twoThreads: 0.5 },
    notes: [
      'W4, optimgrad: element-wise kernels and reductions run on one thread whatever `setNumThreads` says (only ' +
        'float32 matmul is threaded), so its two WebAssembly cells measure the same work; they differ by run-to-run ' +
        'noise, mostly garbage collection of the 4 MB buffers (alternating 1 and 2 threads in one process gave ' +
        'medians of 18–26 ms for both).',
    ],
    engines: {
      optimgrad: () => optimgrad(av, bv),
      'tfjs-cpu': () => tfjs('cpu', av, bv),
      'tfjs-wasm': () => tfjs('wasm', av, bv),
      'jax-eager': () => jax(false, av, bv),
      'jax-jit': () => jax(true, av, bv),
    },
  };
}
