/**
 * @file W4 and W2 of the speed issue on one backend, median wall time of repeated runs:
 * W4 = sum(exp(a·b + a)) forward and backward on two 1,000,000-element float32 tensors requiring grad;
 * W2 = one SGD training step of a 784 → 256 → ReLU → 128 → ReLU → 10 MLP with softmax cross-entropy, batch 128.
 * `node --expose-gc --conditions=@optimgrad/source --import tsx bench/workloads.ts [cpu|wasm] [backend.ts]`;
 * a second argument names a module whose `createWasmBackend()` is used instead (an older build, to compare).
 * On a shared machine the numbers are noisy.
 */
import { CrossEntropyLoss, Linear, ReLU, Sequential } from '../../nn/src/index';
import { SGD } from '../../optim/src/index';
import { type Backend, type BackendName, getBackend, manualSeed, randint, randn, setBackend } from '../src/index';

const [name = 'wasm', module] = process.argv.slice(2);
if (module !== undefined) {
  const loaded = (await import(module)) as { createWasmBackend(): Backend };
  setBackend(loaded.createWasmBackend());
} else setBackend(name as BackendName);

/** Median wall and CPU (process.cpuUsage: not counting time other processes hold the cores) ms per run. */
function median(fn: () => void, runs: number): string {
  fn();
  fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const { user, system } = process.cpuUsage(c0);
    cpu.push((user + system) / 1000);
  }
  const mid = (times: number[]) => (times.sort((x, y) => x - y)[Math.floor(runs / 2)] as number).toFixed(1);
  return `${mid(wall)} ms wall, ${mid(cpu)} ms CPU`;
}

manualSeed(0);
const a = randn([1_000_000], { requiresGrad: true });
const b = randn([1_000_000], { requiresGrad: true });
const w4 = median(() => {
  a.grad = null;
  b.grad = null;
  a.mul(b).add(a).exp().sum().backward();
}, 21);

const model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10));
const optimizer = new SGD(model.parameters(), { lr: 0.01 });
const loss = new CrossEntropyLoss();
const x = randn([128, 784]);
const y = randint(0, 10, [128]);
const w2 = median(() => {
  optimizer.zeroGrad();
  loss.forward(model.forward(x), y).backward();
  optimizer.step();
}, 31);

console.log(`${getBackend().name}${module ? ` (${module})` : ''}: W4 ${w4}; W2 ${w2}`);
