/**
 * @file Loads the peers once: TensorFlow.js 4.22 with its cpu and wasm backends, and jax-js on its wasm device.
 * Everything is read from the installed packages; nothing is fetched over the network.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defaultDevice, init as initJax } from '@jax-js/jax';

export type Tf = typeof import('@tensorflow/tfjs-core');
type TfWasm = typeof import('@tensorflow/tfjs-backend-wasm');

// The CommonJS bundles register every kernel and gradient (the ESM deep imports do not resolve in Node).
const require = createRequire(import.meta.url);
export const tf = require('@tensorflow/tfjs-core') as Tf;
require('@tensorflow/tfjs-backend-cpu');
require('@tensorflow/tfjs-core/dist/register_all_gradients');
const tfWasm = require('@tensorflow/tfjs-backend-wasm') as TfWasm;
// Production mode, as a deployment would run it: no debug checks (and no console banner suggesting tfjs-node).
tf.enableProdMode();

/** The folder of the installed @tensorflow/tfjs-backend-wasm that holds its .wasm binaries. */
export const tfWasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');

export type TfBackend = 'cpu' | 'wasm';

export interface PeerInfo {
  readonly tfWasmBinary: string;
  readonly tfWasmThreads: number;
  readonly jaxDevice: string;
  readonly jaxDevices: readonly string[];
}

let info: PeerInfo | null = null;

/** Initialises both peers (idempotent) and says which binaries and devices they ended up using. */
export async function initPeers(): Promise<PeerInfo> {
  if (info !== null) return info;
  // Explicit paths to the package's own binaries; in Node the wasm backend picks the SIMD one (it never uses threads there).
  tfWasm.setWasmPaths(`${tfWasmDir}/`);
  if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js: the wasm backend did not initialise');
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  const tfWasmBinary = threads && simd ? 'threaded-simd' : simd ? 'simd' : 'plain';
  const tfWasmThreads = tfWasm.getThreadsCount();
  if (!(await tf.setBackend('cpu'))) throw new Error('TensorFlow.js: the cpu backend did not initialise');
  // jax-js: only its wasm device works in Node (webgpu/webgl need a browser); init('wasm') avoids probing them.
  const jaxDevices = await initJax('wasm');
  if (!jaxDevices.includes('wasm'))
    throw new Error(`jax-js: the wasm device did not initialise (got ${jaxDevices.join(', ')})`);
  defaultDevice('wasm');
  info = { tfWasmBinary, tfWasmThreads, jaxDevice: defaultDevice(), jaxDevices };
  return info;
}

/** Switches TensorFlow.js to a backend; tensors made afterwards live there. */
export async function useTf(backend: TfBackend): Promise<Tf> {
  if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) {
    throw new Error(`TensorFlow.js: could not switch to the ${backend} backend`);
  }
  return tf;
}
