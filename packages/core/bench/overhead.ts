/**
 * @file Per-op overhead of the autograd path, the shapes of apps/bench's W3 and W4 without the peers:
 * W3: x of shape [16] requiring grad, 2,000 × tanh(x·1.0001 + 0.001), sum, backward (µs per op, 6,000 ops);
 * W4: a, b of 1M float32 requiring grad, sum(exp(a·b + a)), forward + backward (ms).
 * Also counts `Backend.allocate` calls and elements per W3 op and per W4 step.
 * `node --expose-gc --conditions=@optimgrad/source --import tsx bench/overhead.ts [--profile-w3 N] [--backend cpu|wasm]`.
 */
import { type Backend, getBackend, setBackend, type Tensor, tensor } from '@optimgrad/core';

const args = process.argv.slice(2);
const backendArg = args.indexOf('--backend');
if (backendArg !== -1) setBackend(args[backendArg + 1] as 'cpu' | 'wasm');
const profileArg = args.indexOf('--profile-w3');

const ITERATIONS = 2000;
const OPS = 3 * ITERATIONS;

function w3(x: Tensor): number {
  x.grad = null;
  let h = x;
  for (let i = 0; i < ITERATIONS; i++) h = h.mul(1.0001).add(0.001).tanh();
  const total = h.sum();
  total.backward();
  return total.item();
}

function w4(a: Tensor, b: Tensor): number {
  a.grad = null;
  b.grad = null;
  const loss = a.mul(b).add(a).exp().sum();
  loss.backward();
  return loss.item();
}

/** Counts allocations while `f` runs, through a backend that wraps the active one. */
function countAllocations(f: () => void): { calls: number; elements: number } {
  const inner = getBackend();
  let calls = 0;
  let elements = 0;
  const counting: Backend = Object.create(inner, {
    allocate: {
      value: (dtype: Parameters<Backend['allocate']>[0], length: number) => {
        calls++;
        elements += length;
        return inner.allocate(dtype, length);
      },
    },
  });
  setBackend(counting);
  try {
    f();
  } finally {
    setBackend(inner);
  }
  return { calls, elements };
}

/** Best wall time and best process CPU time (user + system, ms) of `runs` runs: the CPU time is steadier on a busy machine. */
function bestOf(runs: number, f: () => void): { wall: number; cpu: number } {
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const startCpu = process.cpuUsage();
    const start = performance.now();
    f();
    wall = Math.min(wall, performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
  }
  return { wall, cpu };
}

const x = tensor(
  Float32Array.from({ length: 16 }, (_, i) => Math.sin(i)),
  { requiresGrad: true },
);
if (profileArg !== -1) {
  const n = Number(args[profileArg + 1] ?? 50);
  for (let i = 0; i < n; i++) w3(x);
  process.exit(0);
}
for (let i = 0; i < 5; i++) w3(x); // warm-up
const w3Ms = bestOf(10, () => w3(x));
const w3Alloc = countAllocations(() => w3(x));
console.log(`backend ${getBackend().name}`);
console.log(
  `W3: ${((w3Ms.wall * 1000) / OPS).toFixed(2)} µs/op wall, ${((w3Ms.cpu * 1000) / OPS).toFixed(2)} µs/op CPU (best of 10)`,
);
console.log(`W3: ${(w3Alloc.calls / OPS).toFixed(2)} allocations per op, ${w3Alloc.elements / OPS} elements per op`);

const n = 1_000_000;
const a = tensor(
  Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 0.5),
  { requiresGrad: true },
);
const b = tensor(
  Float32Array.from({ length: n }, (_, i) => Math.cos(i) * 0.5),
  { requiresGrad: true },
);
w4(a, b);
const w4Ms = bestOf(5, () => w4(a, b));
const w4Alloc = countAllocations(() => w4(a, b));
console.log(`W4: ${w4Ms.wall.toFixed(1)} ms wall, ${w4Ms.cpu.toFixed(1)} ms CPU (best of 5)`);
console.log(
  `W4: ${w4Alloc.calls} allocations, ${(w4Alloc.elements / n).toFixed(2)}M elements (${w4Alloc.elements} total)`,
);
