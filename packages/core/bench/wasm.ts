/**
 * @file `pnpm bench:wasm`: the WebAssembly SIMD backend's kernels next to the cpu backend's, on the same
 * float32 buffers in the same run, with the copy-in/copy-out share of each wasm call measured apart
 * (the kernel alone runs on data already in WebAssembly memory). Reads sources, so no build is needed.
 * Medians of repeated runs; on a shared machine the numbers are noisy.
 */
import { cpuBackend } from '../src/backend/cpu/index';
import { createWasmBackend } from '../src/backend/wasm/index';
import { wasmKernels } from '../src/backend/wasm/loader';

const wasm = createWasmBackend();
const k = wasmKernels();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Median ms of `fn` after warm-up, over at least `minSamples` runs and about `budgetMs`. */
function time(fn: () => void, budgetMs = 600, minSamples = 5): number {
  for (let i = 0; i < 3; i++) fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < minSamples || (performance.now() - start < budgetMs && samples.length < 500)) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

function random(n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.random() * 2 - 1;
  return x;
}

const rows: string[] = [];

function matmulRow(n: number): void {
  const a = random(n * n);
  const b = random(n * n);
  const out = new Float32Array(n * n);
  const offsets = new Int32Array(1);
  const flops = 2 * n * n * n;
  const budget = n >= 1024 ? 0 : 600;
  const samples = n >= 1024 ? 5 : 7;
  const cpuMs = time(() => cpuBackend.matmul(a, b, out, offsets, offsets, n, n, n), budget, samples);
  const wasmMs = time(() => wasm.matmul(a, b, out, offsets, offsets, n, n, n), budget, samples);
  // The kernel alone: operands already in WebAssembly memory, the result left there.
  k.reset();
  const pa = k.alloc(n * n);
  const pb = k.alloc(n * n);
  const pc = k.alloc(n * n);
  const work = k.alloc(k.exports.gemmWorkBytes() / 4);
  k.f32(pa, n * n).set(a);
  k.f32(pb, n * n).set(b);
  const kernelMs = time(() => k.exports.gemm(pa, pb, pc, n, n, n, work), budget, samples);
  const gflops = (ms: number) => (flops / ms / 1e6).toFixed(2);
  rows.push(
    `| matmul ${n}×${n}×${n} | ${gflops(cpuMs)} GFLOP/s | ${gflops(wasmMs)} GFLOP/s | ${gflops(kernelMs)} GFLOP/s | ` +
      `${(cpuMs / wasmMs).toFixed(2)}× | ${(wasmMs - kernelMs).toFixed(3)} ms (${(((wasmMs - kernelMs) / wasmMs) * 100).toFixed(0)}%) |`,
  );
}

function elementwiseRow(name: string, n: number, run: (backend: typeof wasm) => void, kernel: () => void): void {
  const cpuMs = time(() => run(cpuBackend));
  const wasmMs = time(() => run(wasm));
  const kernelMs = time(kernel);
  const rate = (ms: number) => `${(n / ms / 1e6).toFixed(2)} Gelem/s`;
  rows.push(
    `| ${name}, ${n.toLocaleString('en')} elements | ${rate(cpuMs)} | ${rate(wasmMs)} | ${rate(kernelMs)} | ` +
      `${(cpuMs / wasmMs).toFixed(2)}× | ${(wasmMs - kernelMs).toFixed(3)} ms (${(((wasmMs - kernelMs) / wasmMs) * 100).toFixed(0)}%) |`,
  );
}

function unaryRows(n: number): void {
  const x = random(n).map((v) => v * 8);
  const out = new Float32Array(n);
  const codes = { relu: 1, exp: 2, tanh: 3, sigmoid: 4 } as const;
  for (const kind of ['relu', 'exp', 'tanh', 'sigmoid'] as const) {
    k.reset();
    const px = k.alloc(n);
    const po = k.alloc(n);
    k.f32(px, n).set(x);
    elementwiseRow(
      kind,
      n,
      (backend) => backend.unary(kind, x, out, 0, 0),
      () => k.exports.unaryF32(codes[kind], px, po, Math.ceil(n / 4)),
    );
  }
}

function binaryRow(n: number): void {
  const a = random(n);
  const b = random(n);
  const out = new Float32Array(n);
  const view = (data: Float32Array) => ({ data, offset: 0, strides: [1] });
  k.reset();
  const pa = k.alloc(n);
  const pb = k.alloc(n);
  const po = k.alloc(n);
  elementwiseRow(
    'add',
    n,
    (backend) => backend.binary('add', view(a), view(b), out, [n]),
    () => k.exports.binaryF32(0, pa, pb, po, Math.ceil(n / 4)),
  );
}

function sumRow(n: number): void {
  const x = random(n);
  const out = new Float32Array(1);
  k.reset();
  const px = k.alloc(n);
  const po = k.alloc(1);
  k.f32(px, n).set(x);
  elementwiseRow(
    'sum',
    n,
    (backend) => backend.reduce('sum', x, 1, n, 1, out),
    () => k.exports.sumF32(px, 1, n, 1, po),
  );
}

for (const n of [64, 256, 1024]) matmulRow(n);
for (const n of [1_000, 1_000_000]) {
  binaryRow(n);
  unaryRows(n);
  sumRow(n);
}

console.log(`WebAssembly SIMD backend vs cpu backend (float32), Node ${process.version}\n`);
console.log('| workload | cpu | wasm (with copies) | wasm kernel alone | cpu / wasm time | copy-in + copy-out |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
