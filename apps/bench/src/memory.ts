/** @file The long-run check: 1,000 optimgrad W2 training steps, heap and RSS at the start and the end (flat = good). */
import { optimgradMlp } from './workloads/w2-mlp';

export interface MemoryReport {
  readonly steps: number;
  readonly heapStartMb: number;
  readonly heapEndMb: number;
  readonly rssStartMb: number;
  readonly rssEndMb: number;
  readonly msPerStep: number;
  readonly firstLoss: number;
  readonly lastLoss: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => bytes / 2 ** 20;

export function memoryLoop(steps: number, log: (line: string) => void): MemoryReport {
  const { step } = optimgradMlp();
  const firstLoss = step(); // one step first, so lazily created state (gradients, buffers) exists at the start
  gc?.();
  const start = process.memoryUsage();
  let lastLoss = firstLoss;
  const t0 = performance.now();
  for (let i = 1; i <= steps; i++) {
    lastLoss = step();
    if (i % 250 === 0) log(`  memory loop: step ${i}/${steps}, rss ${mb(process.memoryUsage().rss).toFixed(0)} MB`);
  }
  const msPerStep = (performance.now() - t0) / steps;
  gc?.();
  const end = process.memoryUsage();
  return {
    steps,
    heapStartMb: mb(start.heapUsed),
    heapEndMb: mb(end.heapUsed),
    rssStartMb: mb(start.rss),
    rssEndMb: mb(end.rss),
    msPerStep,
    firstLoss,
    lastLoss,
  };
}
