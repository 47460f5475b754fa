/**
 * @file The source of a kernel worker thread, passed to `new Worker(source, { eval: true })` as a string so
 * the ESM and CJS builds both start it without locating a file. The worker instantiates the shared-memory
 * kernels over the memory the main thread created, then loops: sleep on the control block's epoch, run its
 * slice of the gemm calls described in shared memory, count itself done, wake the main thread.
 */

/** Int32 slots of the control block (a SharedArrayBuffer); worker i's slice is at SLOTS + 2i, SLOTS + 2i + 1. */
export const CONTROL = {
  /** Bumped by the main thread once per dispatch; workers sleep on it. */
  EPOCH: 0,
  /** Workers still running the current dispatch; the main thread sleeps on it. */
  REMAINING: 1,
  /** Workers that have instantiated the kernels. */
  READY: 2,
  /** Set (with an epoch bump) to make the workers return. */
  STOP: 3,
  /** Set by a worker whose gemm threw; the main thread reports it. */
  FAILED: 4,
  /** Byte address of the call descriptors (GEMM_ARGS int32 each) in the shared memory. */
  DESCRIPTORS: 5,
  SLOTS: 8,
} as const;

/** Arguments of one `gemm` call, in the order of assembly/gemm.ts. */
export const GEMM_ARGS = 12;

export const workerSource = `'use strict';
const { workerData } = require('node:worker_threads');
const { module, memory, control, index } = workerData;
const ctrl = new Int32Array(control);
const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
let seen = Atomics.load(ctrl, ${CONTROL.EPOCH});
Atomics.add(ctrl, ${CONTROL.READY}, 1);
Atomics.notify(ctrl, ${CONTROL.READY});
for (;;) {
  Atomics.wait(ctrl, ${CONTROL.EPOCH}, seen);
  const epoch = Atomics.load(ctrl, ${CONTROL.EPOCH});
  if (epoch === seen) continue;
  seen = epoch;
  if (Atomics.load(ctrl, ${CONTROL.STOP}) !== 0) break;
  try {
    const start = ctrl[${CONTROL.SLOTS} + 2 * index];
    const end = ctrl[${CONTROL.SLOTS} + 2 * index + 1];
    // A fresh view per dispatch: the main thread may have grown the memory since.
    const d = new Int32Array(memory.buffer);
    const base = ctrl[${CONTROL.DESCRIPTORS}] >> 2;
    for (let t = start; t < end; t++) {
      const o = base + t * ${GEMM_ARGS};
      kernels.gemm(d[o], d[o + 1], d[o + 2], d[o + 3], d[o + 4], d[o + 5], d[o + 6], d[o + 7], d[o + 8], d[o + 9], d[o + 10], d[o + 11]);
    }
  } catch {
    Atomics.store(ctrl, ${CONTROL.FAILED}, 1);
  }
  if (Atomics.sub(ctrl, ${CONTROL.REMAINING}, 1) === 1) Atomics.notify(ctrl, ${CONTROL.REMAINING});
}
`;
