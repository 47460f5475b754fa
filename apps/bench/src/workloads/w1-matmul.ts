/** @file W1: float32 square matmul C = A·B at n = 64, 256, 1024, reported in GFLOP/s (2n³ flops). */
import { jit, numpy as np } from '@jax-js/jax';
import { tensor } from '@optimgrad/core';
import { normal } from '../data';
import type { Prepared, Workload } from '../harness';
import { type TfBackend, useTf } from '../peers';

function optimgrad(n: number, a: Float32Array, b: Float32Array): Prepared {
  const ta = tensor(a, { shape: [n, n] });
  const tb = tensor(b, { shape: [n, n] });
  return {
    run: () => {
      ta.matmul(tb).data;
    },
    check: () => ({ C: ta.matmul(tb).data }),
    dispose: () => {},
  };
}

async function tfjs(backend: TfBackend, n: number, a: Float32Array, b: Float32Array): Promise<Prepared> {
  const tf = await useTf(backend);
  const ta = tf.tensor2d(a, [n, n]);
  const tb = tf.tensor2d(b, [n, n]);
  // Not returned through tf.tidy: tidy walks a returned typed array key by key looking for tensors, which would
  // cost more than the product itself.
  const product = () => {
    const c = tf.matMul(ta, tb);
    const values = c.dataSync();
    c.dispose();
    return values;
  };
  return {
    run: () => {
      product();
    },
    check: () => ({ C: product() }),
    dispose: () => tf.dispose([ta, tb]),
  };
}

function jax(compiled: boolean, n: number, a: Float32Array, b: Float32Array): Prepared {
  const ja = np.array(a).reshape([n, n]);
  const jb = np.array(b).reshape([n, n]);
  const matmul = compiled ? jit((x: np.Array, y: np.Array) => np.matmul(x, y)) : null;
  // dataSync realises the lazy result and consumes it; .ref keeps the inputs alive across repetitions.
  const product = () => (matmul === null ? np.matmul(ja.ref, jb.ref) : matmul(ja.ref, jb.ref)).dataSync();
  return {
    run: () => {
      product();
    },
    check: () => ({ C: product() }),
    dispose: () => {
      ja.dispose();
      jb.dispose();
      matmul?.dispose();
    },
  };
}

export function matmulWorkload(n: number): Workload {
  const a = normal(1, n * n);
  const b = normal(2, n * n);
  const big = n >= 1024;
  return {
    id: `W1-${n}`,
    group: 'W1',
    name: `matmul ${n}×${n}`,
    unit: 'GFLOP/s',
    toUnit: (ms) => (2 * n ** 3) / (ms * 1e6),
    // At n = 1024 the agreement check (one full product) is the warm-up: a repetition takes seconds on some peers.
    warmup: big ? 0 : 5,
    reps: big ? 5 : 15,
    tolerance: 1e-4,
    // The goal at n = 1024: at least tfjs-wasm's GFLOP/s on one thread, 1.8× it on two.
    ...(n === 1024 ? { target: { peer: 'tfjs-wasm', oneThread: 1, twoThreads: 1 / 1.8 } as const } : {}),
    repeatLimitMs: 8_000,
    engines: {
      optimgrad: () => optimgrad(n, a, b),
      'tfjs-cpu': () => tfjs('cpu', n, a, b),
      'tfjs-wasm': () => tfjs('wasm', n, a, b),
      'jax-eager': () => jax(false, n, a, b),
      'jax-jit': () => jax(true, n, a, b),
    },
  };
}
