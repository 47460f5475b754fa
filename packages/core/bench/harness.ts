/** @file A tiny benchmark harness: warm up, time repeated runs, report the median and the ratio to TensorFlow.js. */

export interface Case {
  readonly name: string;
  readonly optimgrad: () => void;
  readonly tfjs: () => void;
  /** Minimum total time to spend per side, in ms. */
  readonly budgetMs?: number;
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

function time(fn: () => void, budgetMs: number): number {
  for (let i = 0; i < 3; i++) fn(); // warm-up: JIT and caches
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < 5 || (performance.now() - start < budgetMs && samples.length < 200)) {
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
    const optimgradMs = time(c.optimgrad, c.budgetMs ?? 1500);
    gc?.();
    const tfjsMs = time(c.tfjs, c.budgetMs ?? 1500);
    return { name: c.name, optimgradMs, tfjsMs, speedup: tfjsMs / optimgradMs };
  });
}

export function table(rows: readonly Row[]): string {
  const lines = [
    '| workload | optimgrad (ms) | TensorFlow.js cpu (ms) | tfjs / optimgrad |',
    '|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${r.optimgradMs.toFixed(3)} | ${r.tfjsMs.toFixed(3)} | ${r.speedup.toFixed(2)}× |`),
  ];
  return lines.join('\n');
}
