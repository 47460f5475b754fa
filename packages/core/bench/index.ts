/**
 * @file `pnpm bench`: optimgrad next to TensorFlow.js (cpu backend) on the same workloads in the same run.
 * Ratios above 1 mean optimgrad is faster. Run with --expose-gc for steadier numbers.
 */
import { createRequire } from 'node:module';
import { manualSeed, randn, type Tensor, tensor } from '@optimgrad/core';
import { type Case, run, table } from './harness';

type TfTensor = import('@tensorflow/tfjs-core').Tensor;
type TfScalar = import('@tensorflow/tfjs-core').Scalar;

// The CommonJS bundles register every kernel and gradient (the ESM deep imports do not resolve in Node).
const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs-core') as typeof import('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
require('@tensorflow/tfjs-core/dist/register_all_gradients');
await tf.setBackend('cpu');
manualSeed(0);

/** Reads a tfjs result back (so lazy work is done) and frees it. */
function readBack(t: TfTensor): void {
  t.dataSync();
  t.dispose();
}

function matmulCase(n: number): Case {
  const a = randn([n, n]);
  const b = randn([n, n]);
  const ta = tf.tensor2d(a.data as Float32Array, [n, n]);
  const tb = tf.tensor2d(b.data as Float32Array, [n, n]);
  return {
    name: `matmul ${n}×${n} (float32)`,
    optimgrad: () => {
      a.matmul(b);
    },
    tfjs: () => {
      // Read back outside tidy: returning a typed array from tidy makes tfjs walk it element by element.
      readBack(tf.matMul(ta, tb));
    },
    budgetMs: n >= 1024 ? 0 : 1500,
    minSamples: n >= 1024 ? 3 : 5,
  };
}

function elementwiseCase(size: number): Case {
  const x = randn([size]);
  x.requiresGrad = true;
  const tx = tf.tensor1d(x.data as Float32Array);
  const f = (v: TfTensor) => tf.sum(tf.square(tf.sigmoid(tf.mul(tf.tanh(tf.add(tf.mul(v, 2), 1)), v)))) as TfScalar;
  const gradient = tf.grad(f);
  return {
    name: `element-wise chain + backward, ${size / 1e6}M elements`,
    optimgrad: () => {
      x.grad = null;
      x.mul(2).add(1).tanh().mul(x).sigmoid().square().sum().backward();
    },
    tfjs: () => {
      readBack(gradient(tx));
    },
  };
}

/** micrograd-style: thousands of ops on single numbers, where per-op overhead dominates. */
function smallOpsCase(ops: number): Case {
  const chain = (x: Tensor, w: Tensor) => {
    let h = x;
    for (let i = 0; i < ops / 4; i++) h = h.mul(w).add(0.5).tanh().add(h);
    return h;
  };
  const x = tensor(0.3, { requiresGrad: true });
  const w = tensor(0.7, { requiresGrad: true });
  const tchain = (tx: TfScalar, tw: TfScalar) => {
    let h: TfTensor = tx;
    for (let i = 0; i < ops / 4; i++) h = tf.add(tf.tanh(tf.add(tf.mul(h, tw), 0.5)), h);
    return h as TfScalar;
  };
  const grads = tf.grads((a: TfTensor, b: TfTensor) => tchain(a as TfScalar, b as TfScalar));
  const tx = tf.scalar(0.3);
  const tw = tf.scalar(0.7);
  return {
    name: `${ops} scalar ops + backward (graph overhead)`,
    optimgrad: () => {
      x.grad = null;
      w.grad = null;
      chain(x, w).backward();
    },
    tfjs: () => {
      tf.tidy(() => {
        for (const g of grads([tx, tw])) g.dataSync();
      });
    },
  };
}

const cases = [matmulCase(64), matmulCase(256), matmulCase(1024), elementwiseCase(1_000_000), smallOpsCase(4000)];

const rows = run(cases);
console.log(`optimgrad vs TensorFlow.js ${tf.version_core} (cpu backend), Node ${process.version}\n`);
console.log(table(rows));
