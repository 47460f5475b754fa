/**
 * @file The wasm backend's worker threads: `setNumThreads`/`getNumThreads`, and a pool of Node worker threads
 * that share one `WebAssembly.Memory` with the main thread. Dispatch is synchronous: the main thread writes
 * the gemm calls into shared memory and each worker's slice into an Int32Array control block, bumps the epoch
 * and `Atomics.notify`s, runs its own slice, then `Atomics.wait`s until every worker has counted itself done.
 * Workers start on the first call large enough to use them, are `unref()`ed so a finished script exits, and
 * Node modules are reached through `process.getBuiltinModule`, so a browser bundle imports none. Where
 * threads cannot start (browsers, no SharedArrayBuffer, a worker that fails to boot) work runs on one thread.
 */
import { WasmKernels } from './loader';
import { CONTROL, CONTROL_SLOTS, claimChunks, GEMM_ARGS, MAX_CHUNKS, workerSource } from './worker-source';

/** The parts of Node's `worker_threads` and `os` used here (core's sources do not assume Node's types). */
interface NodeWorker {
  unref(): void;
  terminate(): Promise<number>;
  on(event: 'error', listener: (error: unknown) => void): void;
}
interface WorkerThreads {
  Worker: new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;
  isMainThread: boolean;
}
interface NodeOs {
  availableParallelism?(): number;
  cpus(): readonly unknown[];
}
type GetBuiltinModule = (name: string) => unknown;

function builtin<T>(name: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltinModule } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return undefined;
  try {
    return proc.getBuiltinModule(name) as T | undefined;
  } catch {
    return undefined;
  }
}

/** Cores Node reports, or 1 where there is no Node (a browser, which gets no threads yet). */
function defaultThreads(): number {
  const os = builtin<NodeOs>('node:os');
  if (os === undefined) return 1;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.floor(cores));
}

let requested: number | undefined;

/**
 * Sets how many threads the wasm backend's float32 matmul uses (the calling thread included); 1 runs
 * everything on the calling thread and starts no workers. The default is the number of cores in Node and 1
 * elsewhere. Workers start on the first matmul large enough to gain from them.
 * @example setNumThreads(2);
 */
export function setNumThreads(threads: number): void {
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1) {
    throw new Error(
      `setNumThreads: expected a whole number of threads >= 1, got ${String(threads)}; ` +
        'pass 1 to run on the calling thread only',
    );
  }
  requested = threads;
  if (pool !== undefined && pool.workers.length !== threads - 1) {
    pool.stop();
    pool = undefined;
    poolFailed = false;
  }
}

/**
 * The number of threads the wasm backend's matmul may use (set by `setNumThreads`, by default the cores).
 * @example getNumThreads(); // 2 on a two-core machine
 */
export function getNumThreads(): number {
  requested ??= defaultThreads();
  return requested;
}

/** How long the first threaded call waits for workers to boot before running on one thread instead. */
const STARTUP_WAIT_MS = 5000;

/** Worker threads over one shared memory. */
export class ThreadPool {
  readonly kernels: WasmKernels;
  readonly workers: NodeWorker[] = [];
  private readonly control: Int32Array;
  private ready = false;

  constructor(threads: number, threadsModule: WorkerThreads) {
    this.kernels = new WasmKernels({ shared: true });
    this.control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_SLOTS));
    for (let index = 0; index < threads - 1; index++) {
      const worker = new threadsModule.Worker(workerSource, {
        eval: true,
        workerData: { module: this.kernels.module, memory: this.kernels.memory, control: this.control.buffer, index },
      });
      worker.unref();
      // A worker that dies never counts itself ready or done; `isReady` and `run`'s wait time out on it.
      worker.on('error', () => {});
      this.workers.push(worker);
    }
  }

  /** True once every worker has instantiated the kernels; the first call waits for that (bounded). */
  isReady(wait: boolean): boolean {
    if (this.ready) return true;
    const deadline = Date.now() + (wait ? STARTUP_WAIT_MS : 0);
    for (;;) {
      const count = Atomics.load(this.control, CONTROL.READY);
      if (count >= this.workers.length) {
        this.ready = true;
        return true;
      }
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(this.control, CONTROL.READY, count, left);
    }
  }

  /**
   * Runs the gemm calls described at byte address `descriptors` (GEMM_ARGS int32 each), cut into chunks
   * (chunk i is calls [bounds[i], bounds[i + 1]), at most MAX_CHUNKS) that this thread and the workers claim
   * as they come; thread t passes `work + t · workBytes` as the scratch. Returns when every chunk is done.
   */
  run(descriptors: number, bounds: readonly number[], work: number, workBytes: number): void {
    const c = this.control;
    const chunks = bounds.length - 1;
    if (chunks > MAX_CHUNKS) throw new Error(`wasm backend: matmul: ${chunks} chunks, at most ${MAX_CHUNKS}`);
    c[CONTROL.DESCRIPTORS] = descriptors;
    c[CONTROL.WORK] = work;
    c[CONTROL.WORK_BYTES] = workBytes;
    for (let i = 0; i <= chunks; i++) c[CONTROL.BOUNDS + i] = bounds[i] as number;
    // Claims are reset last, so a thread that claims a chunk reads this dispatch's fields.
    for (let i = 0; i < MAX_CHUNKS; i++) Atomics.store(c, CONTROL.CLAIMS + i, i < chunks ? 0 : 2);
    Atomics.add(c, CONTROL.EPOCH, 1);
    Atomics.notify(c, CONTROL.EPOCH);
    claimChunks(c, this.kernels.exports.gemm as (...args: number[]) => void, this.kernels.memory, 0);
    for (let i = 0; i < chunks; i++) {
      while (Atomics.load(c, CONTROL.CLAIMS + i) === 1) Atomics.wait(c, CONTROL.CLAIMS + i, 1);
    }
    if (Atomics.exchange(c, CONTROL.FAILED, 0) !== 0) {
      throw new Error('wasm backend: matmul: a gemm call failed on a thread; call setNumThreads(1) to run on one');
    }
  }

  /** Wakes the workers with the stop flag set and terminates them. */
  stop(): void {
    Atomics.store(this.control, CONTROL.STOP, 1);
    Atomics.add(this.control, CONTROL.EPOCH, 1);
    Atomics.notify(this.control, CONTROL.EPOCH);
    for (const worker of this.workers) void worker.terminate();
  }
}

/** Runs gemm calls [start, end) of the descriptors at byte address `descriptors` on this thread. */
export function runSlice(k: WasmKernels, descriptors: number, start: number, end: number): void {
  if (end <= start) return;
  const d = k.i32(descriptors, end * GEMM_ARGS);
  for (let t = start; t < end; t++) {
    const o = t * GEMM_ARGS;
    k.exports.gemm(
      d[o] as number,
      d[o + 1] as number,
      d[o + 2] as number,
      d[o + 3] as number,
      d[o + 4] as number,
      d[o + 5] as number,
      d[o + 6] as number,
      d[o + 7] as number,
      d[o + 8] as number,
      d[o + 9] as number,
      d[o + 10] as number,
      d[o + 11] as number,
    );
  }
}

let pool: ThreadPool | undefined;
/** Set when workers could not be started for the current thread count: stay on one thread. */
let poolFailed = false;

/**
 * The pool for the current thread count, started on first use, or undefined when work should stay on this
 * thread (one thread requested, no Node worker_threads or SharedArrayBuffer, or workers still booting).
 */
export function threadPool(): ThreadPool | undefined {
  const threads = getNumThreads();
  if (threads <= 1 || poolFailed) return undefined;
  if (pool === undefined) {
    const threadsModule = builtin<WorkerThreads>('node:worker_threads');
    if (threadsModule === undefined || typeof SharedArrayBuffer !== 'function') {
      poolFailed = true;
      return undefined;
    }
    try {
      pool = new ThreadPool(threads, threadsModule);
    } catch {
      poolFailed = true;
      return undefined;
    }
    return pool.isReady(true) ? pool : undefined;
  }
  return pool.isReady(false) ? pool : undefined;
}
