/**
 * @file The source of a kernel worker thread, passed to `new Worker(source, { eval: true })` as a string so
 * the ESM and CJS builds both start it without locating a file. The worker instantiates the shared-memory
 * kernels over the memory the main thread created, then loops: sleep on the control block's epoch, then
 * claim and run chunks of the gemm calls described in shared memory until none is left.
 */

/** Most chunks one dispatch is cut into; each has a claim slot and a bound in the control block. */
export const MAX_CHUNKS = 64;

/** Int32 slots of the control block (a SharedArrayBuffer). */
export const CONTROL = {
  /** Bumped by the main thread once per dispatch; workers sleep on it. */
  EPOCH: 0,
  /** Set (with an epoch bump) to make the workers return. */
  STOP: 1,
  /** Set by a thread whose gemm threw; the main thread reports it. */
  FAILED: 2,
  /** Workers that have instantiated the kernels. */
  READY: 3,
  /** Byte address of the call descriptors (GEMM_ARGS int32 each; the last, `work`, is replaced per thread). */
  DESCRIPTORS: 4,
  /** Byte address of thread 0's gemm scratch; thread t's is WORK + t · WORK_BYTES (the main thread is 0). */
  WORK: 5,
  WORK_BYTES: 6,
  /** Per chunk: 0 free, 1 claimed (running), 2 done. */
  CLAIMS: 8,
  /** Chunk i runs descriptors [BOUNDS[i], BOUNDS[i + 1]). */
  BOUNDS: 8 + MAX_CHUNKS,
} as const;

/** Int32 slots the control block needs. */
export const CONTROL_SLOTS = CONTROL.BOUNDS + MAX_CHUNKS + 1;

/** Arguments of one `gemm` call, in the order of assembly/gemm.ts. */
export const GEMM_ARGS = 12;

/**
 * Claims free chunks one by one (compare-exchange 0 → 1, so each runs once, on whichever thread gets there
 * first: a worker the OS wakes late finds the work done instead of holding the main thread up) and runs
 * them with thread `slot`'s scratch. A claim succeeds only on a chunk reset for the current dispatch, which
 * happens after its descriptors are written, so what the claimer reads next is that dispatch's.
 * The same text runs in workers (as source) and on the main thread (as a function).
 */
const claimSource = `function claimChunks(ctrl, gemm, memory, slot) {
  for (let i = 0; i < ${MAX_CHUNKS}; i++) {
    if (Atomics.compareExchange(ctrl, ${CONTROL.CLAIMS} + i, 0, 1) !== 0) continue;
    try {
      const d = new Int32Array(memory.buffer);
      const base = ctrl[${CONTROL.DESCRIPTORS}] >> 2;
      const work = ctrl[${CONTROL.WORK}] + slot * ctrl[${CONTROL.WORK_BYTES}];
      const end = ctrl[${CONTROL.BOUNDS} + i + 1];
      for (let t = ctrl[${CONTROL.BOUNDS} + i]; t < end; t++) {
        const o = base + t * ${GEMM_ARGS};
        gemm(d[o], d[o + 1], d[o + 2], d[o + 3], d[o + 4], d[o + 5], d[o + 6], d[o + 7], d[o + 8], d[o + 9], d[o + 10], work);
      }
    } catch {
      Atomics.store(ctrl, ${CONTROL.FAILED}, 1);
    }
    Atomics.store(ctrl, ${CONTROL.CLAIMS} + i, 2);
    Atomics.notify(ctrl, ${CONTROL.CLAIMS} + i);
  }
}`;

type ClaimChunks = (
  control: Int32Array,
  gemm: (...args: number[]) => void,
  memory: { readonly buffer: ArrayBufferLike },
  slot: number,
) => void;

let mainClaim: ClaimChunks | undefined;

/**
 * The main thread's copy of the claiming loop, built from the same text the workers run; compiled on first
 * use, by the thread pool only, so importing the library evaluates no string.
 */
export function claimChunks(...args: Parameters<ClaimChunks>): void {
  mainClaim ??= new Function(`${claimSource}\nreturn claimChunks;`)() as ClaimChunks;
  mainClaim(...args);
}

export const workerSource = `'use strict';
const { workerData } = require('node:worker_threads');
const { module, memory, control, index } = workerData;
const ctrl = new Int32Array(control);
const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
${claimSource}
let seen = Atomics.load(ctrl, ${CONTROL.EPOCH});
Atomics.add(ctrl, ${CONTROL.READY}, 1);
Atomics.notify(ctrl, ${CONTROL.READY});
for (;;) {
  Atomics.wait(ctrl, ${CONTROL.EPOCH}, seen);
  seen = Atomics.load(ctrl, ${CONTROL.EPOCH});
  if (Atomics.load(ctrl, ${CONTROL.STOP}) !== 0) break;
  claimChunks(ctrl, kernels.gemm, memory, index + 1);
}
`;
