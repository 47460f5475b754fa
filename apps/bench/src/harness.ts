/** @file Timing and agreement checks shared by every workload: warm runs, the median of repetitions, error capture. */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { isOptimgradVariant, OPTIMGRAD_VARIANTS, useVariant } from './variants';

/** The peers: the other engines, each measured on one thread (none of them uses a second core in Node). */
export const PEERS = ['tfjs-cpu', 'tfjs-wasm', 'jax-eager', 'jax-jit'] as const;
export type PeerId = (typeof PEERS)[number];
/** Every column, in table order: optimgrad's configurations (see variants.ts), then the peers. */
export const ENGINES = [...OPTIMGRAD_VARIANTS, ...PEERS] as const;
export type EngineId = (typeof ENGINES)[number];

export const ENGINE_LABELS: Readonly<Record<EngineId, string>> = {
  optimgrad: 'optimgrad, 1 thread',
  'optimgrad-2t': 'optimgrad, 2 threads',
  'optimgrad-ts': 'optimgrad, TS kernels',
  'tfjs-cpu': 'tfjs cpu',
  'tfjs-wasm': 'tfjs wasm',
  'jax-eager': 'jax-js eager',
  'jax-jit': 'jax-js jit',
};

/** Named vectors an engine reports once, compared with optimgrad's to check that both compute the same thing. */
export type CheckValues = Readonly<Record<string, ArrayLike<number>>>;

/** One engine ready to run one workload. */
export interface Prepared {
  /** One repetition of the workload, results read back (so lazy engines do all of their work). */
  readonly run: () => void | Promise<void>;
  /** Runs the workload once from its initial state and returns the numbers to compare; called before any `run`. */
  readonly check: () => CheckValues | Promise<CheckValues>;
  /** Frees what the engine holds (tensors, compiled functions). */
  readonly dispose: () => void;
}

export type Setup = () => Prepared | Promise<Prepared>;

/**
 * Engines run in a worker thread with a time and heap limit, because on this workload they are known to take
 * minutes or exhaust memory; when a limit is hit the cell says so and the run goes on.
 */
export interface Guard {
  readonly engines: readonly EngineId[];
  readonly timeLimitMs: number;
  readonly heapLimitMb: number;
}

export interface Workload {
  /** Stable id (`W1-64`, `W2`, …), used to rebuild the workload in a guarded worker. */
  readonly id: string;
  /** Short id used by `--only` (W1, W2, …) and the row label. */
  readonly group: string;
  readonly name: string;
  /** How the table shows a median time: `ms`, `µs/op` or `GFLOP/s`. */
  readonly unit: 'ms' | 'µs/op' | 'GFLOP/s';
  /** Converts a median time in ms to the unit shown. */
  readonly toUnit: (ms: number) => number;
  readonly warmup: number;
  readonly reps: number;
  /** Largest accepted max|peer − optimgrad| / max|optimgrad| per checked vector. */
  readonly tolerance: number;
  /** How each engine prepares the workload; optimgrad's variants all use `optimgrad` under their configuration. */
  readonly engines: Readonly<Record<'optimgrad' | PeerId, Setup>>;
  readonly guard?: Guard;
  /**
   * When the checked run alone takes longer than this (default 15 s), the engine is not repeated and its cell shows
   * that one run, marked: it keeps a full run within minutes when a peer is orders of magnitude slower.
   */
  readonly repeatLimitMs?: number;
  /**
   * The issue's goal for this workload: optimgrad's time over `peer`'s time, at most `oneThread` on one thread and
   * `twoThreads` on two (for GFLOP/s the time ratio is the inverse of the speed ratio).
   */
  readonly target?: { readonly peer: PeerId; readonly oneThread: number; readonly twoThreads: number };
  /** Notes printed under the table (what fails and why, what each engine reads back). */
  readonly notes?: readonly string[];
}

export type Cell =
  | {
      readonly status: 'ok';
      readonly ms: number;
      readonly samples: readonly number[];
      /** False when the single checked run took longer than the workload's `repeatLimitMs`: `ms` is that run. */
      readonly repeated: boolean;
      readonly error: number | null;
    }
  | { readonly status: 'fails'; readonly reason: string };

export interface Row {
  readonly workload: Workload;
  readonly cells: Readonly<Record<EngineId, Cell>>;
  /** Per engine, the relative error of each checked vector against optimgrad. */
  readonly agreement: Readonly<Partial<Record<EngineId, Readonly<Record<string, number>>>>>;
}

/** The reason given for an engine left out with `--engines`; the report shows it as "not run". */
export const NOT_RUN = 'not run (--engines)';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** max|a − b| / max|b|, the relative error of a whole vector (robust to entries near zero). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (!Number.isFinite(a) || !Number.isFinite(e)) return Number.POSITIVE_INFINITY;
    diff = Math.max(diff, Math.abs(a - e));
    scale = Math.max(scale, Math.abs(e));
  }
  return scale === 0 ? diff : diff / scale;
}

/** A one-line reason from a thrown value, short enough for a table cell. */
export function reasonOf(error: unknown): string {
  const text =
    error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  const line = (text.split('\n')[0] ?? '').replaceAll('|', '/').trim();
  return line.length > 110 ? `${line.slice(0, 107)}…` : line;
}

/**
 * Warm-up lasts at least this long as well as `warmup` runs: V8 tiers a hot function up only after many calls, so a
 * few runs of a sub-millisecond workload left the first engine measured half-compiled (W1-64 read 3× slower for
 * whichever optimgrad configuration ran first).
 */
const MIN_WARMUP_MS = 500;

async function timeRuns(prepared: Prepared, warmup: number, reps: number): Promise<number[]> {
  const warmStart = performance.now();
  for (let i = 0; i < warmup || (performance.now() - warmStart < MIN_WARMUP_MS && i < 1000); i++) await prepared.run();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await prepared.run();
    samples.push(performance.now() - t0);
  }
  return samples;
}

export interface RunOptions {
  /** Overrides every workload's repetitions (never below 5). */
  readonly reps?: number;
  readonly engines: readonly EngineId[];
  readonly log: (line: string) => void;
}

/** What one engine produced on one workload: its timing (or failure) and the numbers checked against optimgrad. */
export interface Measured {
  readonly cell: Cell;
  readonly values: CheckValues | null;
}

/** Checks once, warms up, then times `reps` repetitions of one engine, in this thread. */
export async function measureEngine(workload: Workload, engine: EngineId, reps: number): Promise<Measured> {
  gc();
  let prepared: Prepared | null = null;
  const restore = isOptimgradVariant(engine) ? useVariant(engine) : () => {};
  try {
    prepared = await workload.engines[isOptimgradVariant(engine) ? 'optimgrad' : engine]();
    const t0 = performance.now();
    const values = await prepared.check();
    const checkMs = performance.now() - t0;
    if (checkMs > (workload.repeatLimitMs ?? 15_000)) {
      return { cell: { status: 'ok', ms: checkMs, samples: [checkMs], repeated: false, error: null }, values };
    }
    const samples = await timeRuns(prepared, workload.warmup, reps);
    return { cell: { status: 'ok', ms: median(samples), samples, repeated: true, error: null }, values };
  } catch (error) {
    return { cell: { status: 'fails', reason: reasonOf(error) }, values: null };
  } finally {
    try {
      prepared?.dispose();
    } catch {
      // A failed engine may not be able to free what it half built; nothing else depends on it.
    }
    restore();
  }
}

/** What a guarded worker is asked to measure (its workerData). */
export interface WorkerRequest {
  readonly id: string;
  readonly engine: EngineId;
  readonly reps: number;
}

/** Runs `measureEngine` in a worker thread, stopped at the guard's time limit and heap limit. */
function measureGuarded(workload: Workload, engine: EngineId, reps: number, guard: Guard): Promise<Measured> {
  return new Promise((resolve) => {
    const request: WorkerRequest = { id: workload.id, engine, reps };
    // Loader hooks registered by `--import tsx` do not reach worker threads: the worker registers tsx itself.
    const bootstrap = `require(${JSON.stringify(fileURLToPath(import.meta.resolve('tsx/cjs/api')))}).register();
      import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
      .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./cell-worker.ts', import.meta.url).href)}); })`;
    const worker = new Worker(bootstrap, {
      eval: true,
      workerData: request,
      resourceLimits: { maxOldGenerationSizeMb: guard.heapLimitMb },
    });
    let settled = false;
    const settle = (measured: Measured) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(measured);
    };
    const fail = (reason: string) => settle({ cell: { status: 'fails', reason }, values: null });
    const timer = setTimeout(
      () => fail(`no result within the ${guard.timeLimitMs / 1000} s limit, stopped (see notes)`),
      guard.timeLimitMs,
    );
    worker.on('message', (measured: Measured) => settle(measured));
    worker.on('error', (error: Error & { code?: string }) =>
      fail(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `ran out of memory (${guard.heapLimitMb} MB heap limit)`
          : reasonOf(error),
      ),
    );
    worker.on('exit', (code) => fail(`worker exited with code ${code} before reporting`));
  });
}

/** Runs one workload on every engine: check once against optimgrad, warm up, then time the repetitions. */
export async function runWorkload(workload: Workload, options: RunOptions): Promise<Row> {
  const cells = {} as Record<EngineId, Cell>;
  const agreement: Partial<Record<EngineId, Record<string, number>>> = {};
  let reference: CheckValues | null = null;
  const reps = Math.max(5, options.reps ?? workload.reps);
  for (const engine of ENGINES) {
    if (!options.engines.includes(engine)) {
      cells[engine] = { status: 'fails', reason: NOT_RUN };
      continue;
    }
    const guard = workload.guard;
    const measured =
      guard?.engines.includes(engine) === true
        ? await measureGuarded(workload, engine, reps, guard)
        : await measureEngine(workload, engine, reps);
    let cell = measured.cell;
    if (engine === 'optimgrad') reference = measured.values;
    else if (cell.status === 'ok' && reference !== null && measured.values !== null) {
      const errors: Record<string, number> = {};
      for (const [name, expected] of Object.entries(reference)) {
        const actual = measured.values[name];
        errors[name] = actual === undefined ? Number.POSITIVE_INFINITY : relativeError(actual, expected);
      }
      agreement[engine] = errors;
      cell = { ...cell, error: Math.max(...Object.values(errors)) };
    }
    cells[engine] = cell;
    options.log(
      cell.status === 'ok'
        ? `  ${workload.group} ${workload.name} · ${ENGINE_LABELS[engine]}: ${formatValue(workload, cell.ms)} ${workload.unit}` +
            (cell.repeated ? '' : ' (one run, too slow to repeat)') +
            (cell.error === null ? '' : ` (max rel. error vs optimgrad ${cell.error.toExponential(1)})`)
        : `  ${workload.group} ${workload.name} · ${ENGINE_LABELS[engine]}: fails: ${cell.reason}`,
    );
  }
  return { workload, cells, agreement };
}

export function formatValue(workload: Workload, ms: number): string {
  const value = workload.toUnit(ms);
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  if (value >= 1) return value.toFixed(2);
  return value.toFixed(3);
}
