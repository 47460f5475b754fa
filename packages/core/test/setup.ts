/**
 * @file Registers `toBeAllClose`: element-wise |actual - expected| <= atol + rtol * |expected|
 * (NumPy's allclose), with shapes compared first. Shared by every core test (idea from jax-js).
 * Also selects the backend named by OPTIMGRAD_BACKEND and the thread count OPTIMGRAD_THREADS.
 */
import { expect } from 'vitest';
import { setThreadMinFlops } from '../src/backend/wasm/matmul';
import { smallest } from '../src/backend/wasm/thresholds';
import { type BackendName, createWasmBackend, setBackend, setNumThreads, Tensor } from '../src/index';

// OPTIMGRAD_BACKEND selects the backend a run uses: `checked` validates every kernel call against the Backend
// contract; `wasm` runs on the WebAssembly backend, and createWasmBackend throws where SIMD is missing, so such
// a run never passes on the cpu backend by accident. Its size thresholds are lifted, so even the suite's small
// tensors run in WebAssembly.
const backendName = process.env.OPTIMGRAD_BACKEND;
if (backendName === 'wasm') {
  setBackend(createWasmBackend());
  smallest.strided = 0;
  smallest.unary = 0;
  smallest.reduce = 0;
} else if (backendName) setBackend(backendName as BackendName);

// OPTIMGRAD_THREADS=n runs the wasm backend's matmul on n threads and sends every product through the worker
// pool, however small (the size threshold would otherwise keep test-sized matrices on one thread).
const threads = process.env.OPTIMGRAD_THREADS;
if (threads) {
  setNumThreads(Number(threads));
  setThreadMinFlops(0);
}

/** Tolerances of `toBeAllClose`; defaults suit float64 (rtol 1e-9, atol 1e-12). */
export interface AllCloseOptions {
  readonly rtol?: number;
  readonly atol?: number;
}

type Nested = number | readonly Nested[];

function flatten(value: unknown): { shape: number[]; values: number[] } {
  if (value instanceof Tensor) return { shape: [...value.shape], values: Array.from(value.data) };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const values = Array.from(value as unknown as ArrayLike<number>);
    return { shape: [values.length], values };
  }
  const shape: number[] = [];
  let probe = value as Nested;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0] as Nested;
  }
  const values: number[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const child of node) visit(child);
    else values.push(node as number);
  };
  visit(value);
  return { shape, values };
}

function close(a: number, b: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

expect.extend({
  toBeAllClose(received: unknown, expected: unknown, options: AllCloseOptions = {}) {
    const rtol = options.rtol ?? 1e-9;
    const atol = options.atol ?? 1e-12;
    const a = flatten(received);
    const b = flatten(expected);
    const sameShape = a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
    if (!sameShape) {
      return {
        pass: false,
        message: () => `expected shape [${b.shape.join(', ')}] but received shape [${a.shape.join(', ')}]`,
      };
    }
    let worst = -1;
    let worstExcess = 0;
    a.values.forEach((v, i) => {
      const w = b.values[i] as number;
      if (!close(v, w, rtol, atol)) {
        const excess = Number.isFinite(v - w) ? Math.abs(v - w) : Number.POSITIVE_INFINITY;
        if (worst === -1 || excess > worstExcess) {
          worst = i;
          worstExcess = excess;
        }
      }
    });
    const pass = worst === -1;
    return {
      pass,
      message: () =>
        pass
          ? `expected values not to be all close (rtol ${rtol}, atol ${atol})`
          : `expected all close (rtol ${rtol}, atol ${atol}); worst element ${worst}: received ${a.values[worst]}, expected ${b.values[worst]}`,
    };
  },
});
