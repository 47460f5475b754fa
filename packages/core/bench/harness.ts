/** @file A tiny benchmark harness: warm up, time repeated runs, report the median and the ratio to TensorFlow.js. */

export interface Case {
  readonly name: string;
  readonly optimgrad: () => void;
  readonly tfjs: () => void;
  /** Minimum total time to spend per side, in ms. */
  readonly budgetMs?: number;
  /** Minimum number of timed runs per side (default 5). */
  readonly minSamples?: number;
}

export interface Row {
  readonly name: string;
  readonly optimgradMs: number;
  readonly tfjsMs: number;
  /** tfjs time / optimgrad time: above 1 means optimgrad is faster. */
  readonly speedup: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function time(fn: () => void, budgetMs: number, minSamples: number): number {
  for (let i = 0; i < Math.min(3, minSamples); i++) fn(); // warm-up: JIT and caches
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < minSamples || (performance.now() - start < budgetMs && samples.length < 200)) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

export function run(cases: readonly Case[]): Row[] {
  const gc = (globalThis as { gc?: () => void }).gc;
  return cases.map((c) => {
    gc?.();
    const optimgradMs = time(c.optimgrad, c.budgetMs ?? 1500, c.minSamples ?? 5);
    gc?.();
    const tfjsMs = time(c.tfjs, c.budgetMs ?? 1500, c.minSamples ?? 5);
    const row = { name: c.name, optimgradMs, tfjsMs, speedup: tfjsMs / optimgradMs };
    process.stderr.write(`  ${row.name}: ${optimgradMs.toFixed(2)} ms vs ${tfjsMs.toFixed(2)} ms\n`);
    return row;
  });
}

export function table(rows: readonly Row[]): string {
  const lines = [
    '| workload | optimgrad (ms) | TensorFlow.js cpu (ms) | tfjs / optimgrad |',
    '|---|---:|---:|---:|',
    ...rows.map(
      (r) => `| ${r.name} | ${r.optimgradMs.toFixed(3)} | ${r.tfjsMs.toFixed(3)} | ${r.speedup.toFixed(2)}× |`,
    ),
  ];
  return lines.join('\n');
}
