/**
 * @file W3: per-op overhead. x of shape [16] requiring grad; 2,000 × x = tanh(x·1.0001 + 0.001); sum; backward.
 * Reported in µs per op: the whole forward + backward time over 6,000 ops (3 per iteration).
 */
import { blockUntilReady, jit, numpy as np, valueAndGrad } from '@jax-js/jax';
import { tensor } from '@optimgrad/core';
import type { Scalar, Tensor, Tensor1D } from '@tensorflow/tfjs-core';
import { gradData, uniform } from '../data';
import type { Prepared, Workload } from '../harness';
import { type TfBackend, useTf } from '../peers';

const SIZE = 16;
const ITERATIONS = 2000;
const OPS = 3 * ITERATIONS;

function optimgrad(values: Float32Array): Prepared {
  const x = tensor(values, { requiresGrad: true });
  const once = () => {
    x.grad = null;
    let h = x;
    for (let i = 0; i < ITERATIONS; i++) h = h.mul(1.0001).add(0.001).tanh();
    const total = h.sum();
    total.backward();
    return { value: [total.item()], grad: gradData(x) };
  };
  return {
    run: () => {
      once();
    },
    check: () => once(),
    dispose: () => {},
  };
}

async function tfjs(backend: TfBackend, values: Float32Array): Promise<Prepared> {
  const tf = await useTf(backend);
  const x = tf.tensor1d(values);
  const valueAndGradient = tf.valueAndGrad((v: Tensor1D): Scalar => {
    let h: Tensor = v;
    for (let i = 0; i < ITERATIONS; i++) h = tf.tanh(tf.add(tf.mul(h, 1.0001), 0.001));
    return tf.sum(h);
  });
  const once = () => {
    const { value, grad } = valueAndGradient(x);
    const result = { value: value.dataSync(), grad: grad.dataSync() };
    tf.dispose([value, grad]);
    return result;
  };
  return {
    run: () => {
      once();
    },
    check: () => once(),
    dispose: () => x.dispose(),
  };
}

/** The chain and its sum; consumes `x`. */
function chain(x: np.Array): np.Array {
  let h = x;
  for (let i = 0; i < ITERATIONS; i++) h = np.tanh(h.mul(1.0001).add(0.001));
  return h.sum();
}

function jax(compiled: boolean, values: Float32Array): Prepared {
  const x = np.array(values);
  const eager = valueAndGrad(chain);
  const compiledFn = compiled ? jit(eager) : null;
  const once = async () => {
    const [value, grad] = compiledFn === null ? eager(x.ref) : compiledFn(x.ref);
    await blockUntilReady(grad);
    return { value: value.dataSync(), grad: grad.dataSync() };
  };
  return {
    run: async () => {
      await once();
    },
    check: () => once(),
    dispose: () => {
      x.dispose();
      compiledFn?.dispose();
    },
  };
}

export function smallOpsWorkload(): Workload {
  const values = uniform(7, SIZE, -1, 1);
  return {
    id: 'W3',
    group: 'W3',
    name: `small-op overhead (${ITERATIONS}× tanh(x·1.0001 + 0.001), [${SIZE}])`,
    unit: 'µs/op',
    toUnit: (ms) => (ms * 1000) / OPS,
    warmup: 2,
    reps: 7,
    tolerance: 1e-3,
    target: { peer: 'tfjs-wasm', oneThread: 0.05, twoThreads: 0.05 },
    engines: {
      optimgrad: () => optimgrad(values),
      'tfjs-cpu': () => tfjs('cpu', values),
      'tfjs-wasm': () => tfjs('wasm', values),
      'jax-eager': () => jax(false, values),
      'jax-jit': () => jax(true, values),
    },
    // Both jax-js paths are far from finishing at this length (see the notes); a worker stops them at the limit.
    guard: { engines: ['jax-eager', 'jax-jit'], timeLimitMs: 20_000, heapLimitMb: 1024 },
    notes: [
      'W3, jax-js 0.1.25: eager `valueAndGrad` over a chain of n iterations costs time and memory that grow ' +
        'quadratically with n (seen while building this suite: n = 100 → 2.3 s, 200 → 8 s, 400 → 34 s per call, ' +
        'with the heap growing by ~0.3 GB per call at n = 400), so n = 2,000 would take many minutes per call.',
      'W3, jax-js 0.1.25: `jit(valueAndGrad(f))` traces and compiles n = 10 in ~3 s but did not finish n = 30 ' +
        'within 100 s, so n = 2,000 is out of reach.',
    ],
  };
}
