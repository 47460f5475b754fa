/**
 * @file The WebAssembly SIMD backend: float32 matmul, element-wise ops (unary, binary with broadcast and
 * strided operands, where, strided copy), reductions and the fused SGD/Adam steps run in WebAssembly
 * (elementwise.ts, strided.ts, reduce.ts, optim.ts); float64 and the kinds listed there go to the fallback
 * backend, the cpu one by default. Data movement is copy-in, compute, copy-out through the module's memory,
 * whose cost `bench/wasm.ts` reports next to the kernels'.
 */
import type { Backend } from '../backend';
import { cpuBackend } from '../cpu/index';
import { unary } from './elementwise';
import { isWasmSimdSupported, type WasmKernels, wasmKernels } from './loader';
import { matmul } from './matmul';
import { adamStep, sgdStep } from './optim';
import { reduce } from './reduce';
import { binary, copy, where } from './strided';

export { isWasmSimdSupported } from './loader';

/**
 * A backend running float32 kernels in WebAssembly SIMD and delegating the rest to `fallback`.
 * Throws where WebAssembly SIMD is missing (check `isWasmSimdSupported()`, or use `setBackend('wasm')`,
 * which keeps the cpu backend there).
 */
export function createWasmBackend(fallback: Backend = cpuBackend): Backend {
  return wasmBackendWith(wasmKernels(), fallback);
}

/** The backend object over instantiated kernels `k`. */
export function wasmBackendWith(k: WasmKernels, fallback: Backend = cpuBackend): Backend {
  return {
    ...fallback,
    name: 'wasm',
    unary: (kind, x, out, p0, p1) => unary(k, fallback, kind, x, out, p0, p1),
    binary: (kind, a, b, out, shape) => binary(k, fallback, kind, a, b, out, shape),
    where: (cond, a, b, out, shape) => where(k, fallback, cond, a, b, out, shape),
    copy: (source, dest, shape) => copy(k, fallback, source, dest, shape),
    sgdStep: (t, options) => sgdStep(k, fallback, t, options),
    adamStep: (t, options) => adamStep(k, fallback, t, options),
    reduce: (kind, x, outer, size, inner, out) => reduce(k, fallback, kind, x, outer, size, inner, out),
    matmul: (...args) => matmul(k, fallback, ...args),
  };
}

/** The wasm backend when this runtime has WebAssembly SIMD, otherwise `fallback` itself. */
export function wasmBackendOr(fallback: Backend = cpuBackend): Backend {
  return isWasmSimdSupported() ? createWasmBackend(fallback) : fallback;
}
