/** @file The active backend: the one place a faster implementation is swapped in. */
import type { Backend } from './backend';
import { cpuBackend } from './cpu/index';

let active: Backend = cpuBackend;

/** The backend every op runs its kernels on. */
export function getBackend(): Backend {
  return active;
}

/** Replaces the backend (for example with a WebAssembly one); returns the previous backend. */
export function setBackend(backend: Backend): Backend {
  const previous = active;
  active = backend;
  return previous;
}
