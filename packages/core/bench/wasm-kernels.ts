/**
 * @file `node --conditions=@optimgrad/source --import tsx bench/wasm-kernels.ts`: every element-wise,
 * reduction and optimizer kernel of the wasm backend (copies included) against the cpu backend's, on the same
 * float32 buffers of 1M elements (a 1000 × 1000 matrix where the layout needs one), in CPU time
 * (process.cpuUsage), medians of interleaved batches. On a shared machine the numbers are noisy.
 */
import { cpuBackend } from '../src/backend/cpu/index';
import type { Backend, StridedView, UnaryKind } from '../src/index';
import { createWasmBackend } from '../src/index';

const wasm = createWasmBackend();
const n = 1_000_000;

function random(length: number, scale = 1): Float32Array {
  return Float32Array.from({ length }, () => (Math.random() * 2 - 1) * scale);
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Median CPU ms per call of each function, batches interleaved. */
function compare(fns: readonly (() => void)[], rounds = 9): number[] {
  const reps = fns.map((fn) => {
    fn();
    let count = 1;
    for (;;) {
      const t0 = performance.now();
      for (let i = 0; i < count; i++) fn();
      if (performance.now() - t0 >= 20 || count >= 1 << 16) return count;
      count *= 2;
    }
  });
  const times: number[][] = fns.map(() => []);
  for (let r = 0; r < rounds; r++) {
    fns.forEach((fn, f) => {
      const c0 = cpuMs();
      for (let i = 0; i < (reps[f] as number); i++) fn();
      (times[f] as number[]).push((cpuMs() - c0) / (reps[f] as number));
    });
  }
  return times.map((t) => t.sort((x, y) => x - y)[Math.floor(t.length / 2)] as number);
}

const rows: string[] = [];
function row(name: string, run: (backend: Backend) => void): void {
  const [cpu, w] = compare([() => run(cpuBackend), () => run(wasm)]) as [number, number];
  rows.push(`| ${name} | ${cpu.toFixed(2)} | ${w.toFixed(2)} | ${(cpu / w).toFixed(1)}× |`);
}

const a = random(n, 4);
const b = random(n, 4);
const positive = a.map(Math.abs);
const out = new Float32Array(n);
const flat = (data: Float32Array): StridedView => ({ data, offset: 0, strides: [1, 1000] });
const matrix = (data: Float32Array): StridedView => ({ data, offset: 0, strides: [1000, 1] });
const shape = [1000, 1000];

for (const kind of [
  'neg',
  'relu',
  'exp',
  'tanh',
  'sigmoid',
  'log',
  'log1p',
  'expm1',
  'sqrt',
  'abs',
  'square',
  'reciprocal',
  'sign',
  'floor',
  'round',
  'isfinite',
  'clamp',
  'inRange',
] as UnaryKind[]) {
  const x = kind === 'log' || kind === 'sqrt' ? positive : a;
  row(`unary ${kind}`, (backend) => backend.unary(kind, x, out, -1, 1));
}
row('unary powScalar 3', (backend) => backend.unary('powScalar', a, out, 3, 0));
for (const kind of ['add', 'mul', 'div', 'maximum', 'gt'] as const) {
  row(`binary ${kind}, contiguous`, (backend) => backend.binary(kind, matrix(a), matrix(b), out, shape));
}
const bias = random(1000);
row('binary add, + row (bias)', (backend) =>
  backend.binary('add', matrix(a), { data: bias, offset: 0, strides: [0, 1] }, out, shape),
);
row('binary mul, × scalar', (backend) =>
  backend.binary('mul', matrix(a), { data: bias, offset: 0, strides: [0, 0] }, out, shape),
);
row('binary sub, − column (keepdim)', (backend) =>
  backend.binary('sub', matrix(a), { data: bias, offset: 0, strides: [1, 0] }, out, shape),
);
row('binary add, transposed + contiguous', (backend) => backend.binary('add', flat(a), matrix(b), out, shape));
row('where, contiguous', (backend) => backend.where(matrix(b), matrix(a), matrix(positive), out, shape));
row('copy, transpose', (backend) => backend.copy(flat(a), { data: out, offset: 0, strides: [1000, 1] }, shape));
row('copy, expand a row', (backend) =>
  backend.copy({ data: bias, offset: 0, strides: [0, 1] }, { data: out, offset: 0, strides: [1000, 1] }, shape),
);
const small = new Float32Array(1000);
for (const kind of ['sum', 'max', 'argmax'] as const) {
  row(`reduce ${kind}, rows (inner 1)`, (backend) => backend.reduce(kind, a, 1000, 1000, 1, small));
  row(`reduce ${kind}, columns (inner 1000)`, (backend) => backend.reduce(kind, a, 1, 1000, 1000, small));
}
const params = random(n);
const grads = random(n);
const buffer = random(n);
row('sgdStep, plain', (backend) =>
  backend.sgdStep(
    { params: [params], grads: [grads], steps: [2], momentumBuffers: null, fresh: [false] },
    { lr: 1e-9, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
  ),
);
row('sgdStep, momentum', (backend) =>
  backend.sgdStep(
    { params: [params], grads: [grads], steps: [2], momentumBuffers: [buffer], fresh: [false] },
    { lr: 1e-9, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
  ),
);
const m = random(n);
const v = random(n).map(Math.abs);
row('adamStep', (backend) =>
  backend.adamStep(
    { params: [params], grads: [grads], steps: [5], expAvgs: [m], expAvgSqs: [v], maxExpAvgSqs: null },
    {
      lr: 1e-9,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0,
      decoupled: false,
      amsgrad: false,
      maximize: false,
    },
  ),
);

console.log(
  `wasm backend (copies included) vs cpu backend, 1M float32 elements, CPU ms per call, Node ${process.version}\n`,
);
console.log('| kernel | cpu | wasm | speed-up |');
console.log('|---|---:|---:|---:|');
for (const line of rows) console.log(line);
