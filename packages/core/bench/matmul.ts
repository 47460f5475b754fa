/**
 * @file `pnpm bench:matmul`: the wasm backend's float32 matmul in GFLOP/s for n = 64, 256, 1024 (square),
 * row-major and with B transposed (x·Wᵀ as Linear runs it), on 1 thread and on every core, copies in and out
 * included. Best of several timed batches of wall time: on a shared machine the best batch is the one least
 * disturbed by other processes, and CPU time would add the workers' time up instead of overlapping it.
 */
import { createWasmBackend } from '../src/backend/wasm/index';
import { getNumThreads, setNumThreads } from '../src/backend/wasm/threads';

const wasm = createWasmBackend();

function random(n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.random() * 2 - 1;
  return x;
}

/** Best per-call ms over `rounds` batches of calls lasting at least ~50 ms each. */
function best(fn: () => void, rounds = 9): number {
  fn();
  let count = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) fn();
    if (performance.now() - t0 >= 50) break;
    count *= 2;
  }
  let fastest = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) fn();
    fastest = Math.min(fastest, (performance.now() - t0) / count);
  }
  return fastest;
}

const cores = getNumThreads();
const threadCounts = cores > 1 ? [1, cores] : [1];
console.log(`wasm backend float32 matmul, GFLOP/s (best of 9 batches, wall time), Node ${process.version}\n`);
console.log(`| n | B layout | ${threadCounts.map((t) => `${t} thread${t > 1 ? 's' : ''}`).join(' | ')} |`);
console.log(`|---:|---|${threadCounts.map(() => '---:').join('|')}|`);
for (const n of [64, 256, 1024]) {
  const a = random(n * n);
  const b = random(n * n);
  const out = new Float32Array(n * n);
  const offsets = new Int32Array(1);
  for (const layout of ['row-major', 'transposed'] as const) {
    const bStrides = layout === 'row-major' ? ([n, 1] as const) : ([1, n] as const);
    const rates = threadCounts.map((threads) => {
      setNumThreads(threads);
      const ms = best(() => wasm.matmul(a, b, out, offsets, offsets, n, n, n, [n, 1], bStrides));
      return ((2 * n * n * n) / ms / 1e6).toFixed(1);
    });
    console.log(`| ${n} | ${layout} | ${rates.join(' | ')} |`);
  }
}
