/**
 * @file `pnpm bench:wasm`: the WebAssembly SIMD backend's kernels next to the cpu backend's, on the same
 * float32 buffers in the same run, with the kernel alone (on data already in WebAssembly memory) and the
 * copy-in/copy-out alone measured apart. Reads sources, so no build is needed.
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

/** CPU time of this process in ms: unlike wall time, it does not count the time other processes hold the cores. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Per-call times (ms) of each of `fns`: batches of repeated calls (at least ~25 ms each, so the coarse
 * CPU-time clock resolves them), the functions' batches interleaved so load changes hit all alike;
 * the median over `rounds` batches, in CPU time and in wall time.
 */
function compare(fns: readonly (() => void)[], rounds = 7): { cpu: number[]; wall: number[] } {
  const reps = fns.map((fn) => {
    fn(); // warm-up: JIT, memory growth
    let count = 1;
    for (;;) {
      const t0 = performance.now();
      for (let i = 0; i < count; i++) fn();
      if (performance.now() - t0 >= 25 || count >= 1 << 20) return count;
      count *= 2;
    }
  });
  const cpu: number[][] = fns.map(() => []);
  const wall: number[][] = fns.map(() => []);
  for (let round = 0; round < rounds; round++) {
    fns.forEach((fn, f) => {
      const count = reps[f] as number;
      const c0 = cpuMs();
      const w0 = performance.now();
      for (let i = 0; i < count; i++) fn();
      (wall[f] as number[]).push((performance.now() - w0) / count);
      (cpu[f] as number[]).push((cpuMs() - c0) / count);
    });
  }
  return { cpu: cpu.map(median), wall: wall.map(median) };
}

function random(n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.random() * 2 - 1;
  return x;
}

const rows: string[] = [];

/** The data movement of one wasm call alone: `inputs` copied into WebAssembly memory, `outLength` floats out. */
function copies(inputs: readonly Float32Array[], outLength: number): () => void {
  const out = new Float32Array(outLength);
  return () => {
    k.reset();
    const places = inputs.map((x) => k.alloc(x.length));
    const result = k.alloc(outLength);
    inputs.forEach((x, i) => {
      k.f32(places[i] as number, x.length).set(x);
    });
    out.set(k.f32(result, outLength));
  };
}

/** One table row from [cpu kernel, wasm backend call, wasm kernel alone, copies alone]. */
function row(name: string, rate: (ms: number) => string, fns: readonly (() => void)[]): void {
  const { cpu, wall } = compare(fns);
  const [cpuKernel, wasmCall, wasmKernel, copyMs] = cpu as [number, number, number, number];
  rows.push(
    `| ${name} | ${rate(cpuKernel)} | ${rate(wasmCall)} | ${rate(wasmKernel)} | ${(cpuKernel / wasmCall).toFixed(2)}× | ` +
      `${copyMs.toFixed(3)} ms (${((copyMs / wasmCall) * 100).toFixed(0)}%) | ${rate(wall[1] as number)} |`,
  );
}

function matmulRow(n: number): void {
  const a = random(n * n);
  const b = random(n * n);
  const out = new Float32Array(n * n);
  const offsets = new Int32Array(1);
  // The kernel alone: operands already in WebAssembly memory, the result left there.
  const kernel = () => {
    k.reset();
    const pa = k.alloc(n * n);
    const pb = k.alloc(n * n);
    const pc = k.alloc(n * n);
    const work = k.alloc(k.exports.gemmWorkBytes() / 4);
    return () => k.exports.gemm(pa, n, 1, pb, n, 1, pc, n, n, n, n, work);
  };
  row(`matmul ${n}×${n}×${n}`, (ms) => `${((2 * n * n * n) / ms / 1e6).toFixed(2)} GFLOP/s`, [
    () => cpuBackend.matmul(a, b, out, offsets, offsets, n, n, n),
    () => wasm.matmul(a, b, out, offsets, offsets, n, n, n),
    // Re-placed on each call: the full backend call in between resets the arena.
    () => kernel()(),
    copies([a, b], n * n),
  ]);
}

function elementwiseRow(
  name: string,
  n: number,
  run: (backend: typeof wasm) => void,
  kernel: () => void,
  moved: () => void,
): void {
  row(`${name}, ${n.toLocaleString('en')} elements`, (ms) => `${(n / ms / 1e6).toFixed(2)} Gelem/s`, [
    () => run(cpuBackend),
    () => run(wasm),
    kernel,
    moved,
  ]);
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
      () => k.exports.unaryF32(codes[kind], px, po, Math.ceil(n / 4), 0, 0),
      copies([x], n),
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
  // The coalesced shape [n] and the strides of a, b and the unused third operand.
  const dims = k.alloc(5);
  new Int32Array(k.exports.memory.buffer, dims, 4).set([n, 1, 1, 0]);
  elementwiseRow(
    'add',
    n,
    (backend) => backend.binary('add', view(a), view(b), out, [n]),
    () => k.exports.stridedF32(0, 1, dims, pa, pb, pa, po),
    copies([a, b], n),
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
    copies([x], 1),
  );
}

for (const n of [64, 256, 1024]) matmulRow(n);
for (const n of [1_000, 1_000_000]) {
  binaryRow(n);
  unaryRows(n);
  sumRow(n);
}

console.log(`WebAssembly SIMD backend vs cpu backend (float32), Node ${process.version}\n`);
console.log('Rates from CPU time (process.cpuUsage), medians of interleaved batches; the last column is wall time.\n');
console.log(
  '| workload | cpu backend | wasm backend (with copies) | wasm kernel alone | cpu / wasm time | copy-in + copy-out alone (share of the wasm call) | wasm backend, wall time |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
