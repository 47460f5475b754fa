/** @file The active backend: the one place a faster implementation is swapped in. */
import type { Backend } from './backend';
import { cpuBackend } from './cpu/index';
import { wasmBackendOr } from './wasm/index';

/** Built-in backends `setBackend` selects by name. */
export type BackendName = 'cpu' | 'wasm';

let active: Backend = cpuBackend;

/** The backend every op runs its kernels on. */
export function getBackend(): Backend {
  return active;
}

/**
 * Replaces the backend with `backend` or a built-in one by name; returns the previous backend.
 * `'wasm'` selects the WebAssembly SIMD backend (preview), or keeps the cpu backend where SIMD is missing
 * (`getBackend().name` tells which one runs).
 */
export function setBackend(backend: Backend | BackendName): Backend {
  const previous = active;
  active = backend === 'cpu' ? cpuBackend : backend === 'wasm' ? wasmBackendOr(cpuBackend) : backend;
  return previous;
}
