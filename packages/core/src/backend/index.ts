/** @file The active backend: the one place a faster implementation is swapped in. */
import type { Backend } from './backend';
import { checkedBackend } from './checked';
import { cpuBackend } from './cpu/index';
import { wasmBackendOr } from './wasm/index';

/**
 * The backends `setBackend` knows by name. `'wasm'` is the WebAssembly SIMD backend (preview), compiled on
 * first use, or the cpu backend where SIMD is missing (`getBackend().name` tells which one runs).
 */
const BACKENDS: Readonly<Record<BackendName, () => Backend>> = {
  cpu: () => cpuBackend,
  checked: () => checkedBackend,
  wasm: () => wasmBackendOr(cpuBackend),
};

/** A built-in backend's name as `setBackend` accepts it. */
export type BackendName = 'cpu' | 'checked' | 'wasm';

let active: Backend = cpuBackend;

/** The backend every op runs its kernels on. */
export function getBackend(): Backend {
  return active;
}

/**
 * Replaces the backend, by name (`'cpu'`, `'checked'`, `'wasm'`) or with a Backend object; returns the
 * previous backend.
 * @example setBackend('checked'); // every kernel call validated against the Backend contract
 */
export function setBackend(backend: BackendName | Backend): Backend {
  let next: Backend | undefined;
  if (typeof backend === 'string') {
    next = Object.hasOwn(BACKENDS, backend) ? BACKENDS[backend]?.() : undefined;
    if (next === undefined) {
      throw new Error(
        `setBackend: unknown backend ${JSON.stringify(backend)}; the known backends are ${Object.keys(BACKENDS)
          .map((n) => `'${n}'`)
          .join(', ')}, or pass a Backend object`,
      );
    }
  } else if (backend === null || typeof backend !== 'object' || typeof backend.unary !== 'function') {
    throw new Error(
      `setBackend: expected a backend name (${Object.keys(BACKENDS)
        .map((n) => `'${n}'`)
        .join(', ')}) or a Backend object, got ${backend === null ? 'null' : typeof backend}`,
    );
  } else next = backend;
  const previous = active;
  active = next;
  return previous;
}
