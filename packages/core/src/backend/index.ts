/**
 * @file The active backend: the one place a faster implementation is swapped in. The default is the
 * WebAssembly SIMD backend wherever it can be compiled synchronously at import (Node, Deno, Bun, Web
 * Workers), else the cpu backend; on a browser's main thread, which refuses to compile modules
 * synchronously, `initWasm()` compiles it asynchronously and switches to it.
 */
import type { Backend } from './backend';
import { checkedBackend } from './checked';
import { cpuBackend } from './cpu/index';
import { isWasmSimdSupported, wasmBackendOr, wasmBackendWith } from './wasm/index';
import { wasmKernelsAsync } from './wasm/loader';

/**
 * The backends `setBackend` knows by name. `'wasm'` is the WebAssembly SIMD backend, compiled on first use,
 * or the cpu backend where SIMD is missing (`getBackend().name` tells which one runs).
 */
const BACKENDS: Readonly<Record<BackendName, () => Backend>> = {
  cpu: () => cpuBackend,
  checked: () => checkedBackend,
  wasm: () => wasmBackendOr(cpuBackend),
};

/** A built-in backend's name as `setBackend` accepts it. */
export type BackendName = 'cpu' | 'checked' | 'wasm';

/** A browser's main thread has a document; Workers, Node, Deno and Bun have none. */
function onBrowserMainThread(): boolean {
  return typeof (globalThis as { document?: unknown }).document !== 'undefined';
}

function defaultBackend(): Backend {
  if (onBrowserMainThread() || !isWasmSimdSupported()) return cpuBackend;
  try {
    return wasmBackendOr(cpuBackend);
  } catch {
    // An engine that validates SIMD but refuses to compile (a content security policy without
    // 'wasm-unsafe-eval'): the cpu kernels serve.
    return cpuBackend;
  }
}

let active: Backend = defaultBackend();

/** The backend every op runs its kernels on (`getBackend().name`: `'wasm'` by default where it runs). */
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

/**
 * Compiles the WebAssembly SIMD kernels asynchronously and makes the wasm backend active; resolves to the
 * active backend's name: `'wasm'`, or `'cpu'` where WebAssembly SIMD is missing (nothing changes then).
 * Needed on a browser's main thread, where the cpu kernels serve until it resolves; elsewhere the wasm
 * backend is already the default and this only confirms it.
 * @example await initWasm(); // 'wasm' in current browsers
 */
export async function initWasm(): Promise<string> {
  if (!isWasmSimdSupported()) return active.name;
  active = wasmBackendWith(await wasmKernelsAsync(), cpuBackend);
  return active.name;
}
