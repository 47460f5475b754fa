/**
 * @file The wasm backend's matmul on worker threads: the same bits as on one thread for every split (whole
 * batches, row blocks, column blocks) and thread count, transposed operands included; `setNumThreads`'s
 * validation; one thread where workers cannot start; and a script that runs a large matmul exits on its own
 * (the workers are unref'ed).
 */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { MatrixStrides } from '../src/backend/backend';
import { cpuBackend } from '../src/backend/cpu/index';
import { setThreadMinFlops } from '../src/backend/wasm/matmul';
import { threadPool } from '../src/backend/wasm/threads';
import { createWasmBackend, getNumThreads, setNumThreads } from '../src/index';
import { generator } from './helpers/sample';

const wasm = createWasmBackend();

function random(length: number, seed: number): Float32Array {
  const next = generator(seed);
  return Float32Array.from({ length }, () => next() * 2 - 1);
}

interface Case {
  readonly batches: number;
  readonly n: number;
  readonly k: number;
  readonly m: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

function run(c: Case, threads: number): Float32Array {
  const { batches, n, k, m } = c;
  const a = random(batches * n * k, n + k);
  const b = random(k * m, k + m);
  const aStrides: MatrixStrides = c.transposeA ? [1, n] : [k, 1];
  const bStrides: MatrixStrides = c.transposeB ? [1, k] : [m, 1];
  const out = new Float32Array(batches * n * m).fill(Number.NaN);
  const aOffsets = Int32Array.from({ length: batches }, (_, i) => i * n * k);
  const bOffsets = new Int32Array(batches); // one B broadcast over the batch
  setNumThreads(threads);
  wasm.matmul(a, b, out, aOffsets, bOffsets, n, k, m, aStrides, bStrides);
  return out;
}

describe('matmul on worker threads', () => {
  const original = getNumThreads();
  setThreadMinFlops(0);
  afterAll(() => {
    setThreadMinFlops();
    setNumThreads(original);
  });

  const cases: Case[] = [
    // Fewer batches than threads, taller than wide: row blocks.
    { batches: 1, n: 131, k: 67, m: 45, transposeA: false, transposeB: false },
    { batches: 1, n: 131, k: 300, m: 45, transposeA: true, transposeB: true },
    // Wider than tall: column blocks.
    { batches: 1, n: 9, k: 33, m: 1041, transposeA: false, transposeB: true },
    { batches: 2, n: 5, k: 17, m: 63, transposeA: true, transposeB: false },
    // At least as many batches as threads: whole batches.
    { batches: 5, n: 17, k: 65, m: 29, transposeA: false, transposeB: false },
    // Fewer rows than threads × the 4-row tile: some threads get no block.
    { batches: 1, n: 3, k: 5, m: 2, transposeA: false, transposeB: false },
  ];

  it.each(cases)('gives one thread’s bits on 2 and 3 threads: %o', (c) => {
    const single = run(c, 1);
    expect(single.some(Number.isNaN)).toBe(false);
    for (const threads of [2, 3]) {
      const threaded = run(c, threads);
      // The pool was up, so the call above ran on it (the size threshold is 0 here).
      expect(threadPool()?.workers.length).toBe(threads - 1);
      for (let i = 0; i < single.length; i++) {
        if (!Object.is(threaded[i], single[i])) {
          throw new Error(`${threads} threads, element ${i}: ${threaded[i]} but one thread gives ${single[i]}`);
        }
      }
    }
  });
});

describe('where worker threads cannot start', () => {
  it('runs the matmul on the calling thread instead of waiting', async () => {
    vi.resetModules();
    const original = process.getBuiltinModule;
    // No worker_threads, as in a browser bundle: the pool must give up, not hang.
    vi.spyOn(process, 'getBuiltinModule').mockImplementation(((name: string) =>
      name === 'node:worker_threads' ? undefined : original(name)) as typeof process.getBuiltinModule);
    try {
      const threads = await import('../src/backend/wasm/threads');
      const fresh = await import('../src/backend/wasm/matmul');
      const { wasmKernels } = await import('../src/backend/wasm/loader');
      threads.setNumThreads(2);
      fresh.setThreadMinFlops(0);
      expect(threads.threadPool()).toBeUndefined();
      const a = Float32Array.from([1, 2, 3, 4]);
      const out = new Float32Array(4);
      const offsets = new Int32Array(1);
      fresh.matmul(wasmKernels(), cpuBackend, a, a, out, offsets, offsets, 2, 2, 2);
      expect(Array.from(out)).toEqual([7, 10, 15, 22]);
    } finally {
      vi.restoreAllMocks();
      vi.resetModules();
    }
  });
});

describe('setNumThreads', () => {
  it('reads back what was set', () => {
    const original = getNumThreads();
    try {
      setNumThreads(1);
      expect(getNumThreads()).toBe(1);
      setNumThreads(3);
      expect(getNumThreads()).toBe(3);
    } finally {
      setNumThreads(original);
    }
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2'])('rejects %s', (threads) => {
    expect(() => setNumThreads(threads as number)).toThrow(/setNumThreads: expected a whole number of threads >= 1/);
  });
});

describe('a script using threads', () => {
  it('exits by itself after a large matmul', () => {
    const index = resolve(dirname(fileURLToPath(import.meta.url)), '../src/index.ts');
    const script = `
      import { setBackend, setNumThreads, randn } from ${JSON.stringify(index)};
      setBackend('wasm');
      setNumThreads(2);
      const c = randn([512, 512]).matmul(randn([512, 512]));
      console.log('done', c.shape.join('x'));
    `;
    const result = spawnSync(
      process.execPath,
      ['--conditions=@optimgrad/source', '--import', 'tsx', '--input-type=module', '-e', script],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.error).toBeUndefined();
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('done 512x512');
    expect(result.status).toBe(0);
  });
});
