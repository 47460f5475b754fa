/**
 * @file Measurements behind BACKEND.md's storage decision: what it costs a backend whose kernels run in
 * WebAssembly memory or in worker threads to get at a tensor's bytes. On 1M float32 elements it times
 * (1) copying into and out of a WebAssembly.Memory against an element-wise op (JS and WebAssembly SIMD),
 * (2) the cpu kernels on SharedArrayBuffer-backed arrays against ArrayBuffer-backed ones, and
 * (3) allocating either kind. Run: `node --expose-gc --conditions=@optimgrad/source --import tsx bench/storage.ts`.
 */
import { cpuBackend, type TypedArray } from '@optimgrad/core';

const N = 1 << 20;
const ROUNDS = 30;
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Median ms of ROUNDS runs after a warm-up (the median resists a busy shared machine better than the mean). */
function time(fn: () => void): number {
  for (let i = 0; i < 5; i++) fn();
  collect();
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[ROUNDS >> 1] as number;
}

function filled(array: Float32Array): Float32Array {
  for (let i = 0; i < array.length; i++) array[i] = Math.sin(i) * 0.5;
  return array;
}

const onHeap = () => filled(new Float32Array(N));
const onShared = () => filled(new Float32Array(new SharedArrayBuffer(N * 4)));

/**
 * A hand-assembled WebAssembly module importing `env.mem` and exporting add(a, b, out, bytes):
 * out[i] = a[i] + b[i] four float32 lanes at a time (f32x4.add), byte offsets into the memory.
 */
const ADD_F32X4 = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // magic, version
  0x01,
  0x08,
  0x01,
  0x60,
  0x04,
  0x7f,
  0x7f,
  0x7f,
  0x7f,
  0x00, // type: (i32 i32 i32 i32) -> ()
  0x02,
  0x0c,
  0x01,
  0x03,
  0x65,
  0x6e,
  0x76,
  0x03,
  0x6d,
  0x65,
  0x6d,
  0x02,
  0x00,
  0x01, // import env.mem
  0x03,
  0x02,
  0x01,
  0x00, // one function of type 0
  0x07,
  0x07,
  0x01,
  0x03,
  0x61,
  0x64,
  0x64,
  0x00,
  0x00, // export "add"
  0x0a,
  0x3a,
  0x01,
  0x38,
  0x01,
  0x01,
  0x7f, // code: one body, one i32 local (the byte index)
  0x02,
  0x40,
  0x03,
  0x40, // block, loop
  0x20,
  0x04,
  0x20,
  0x03,
  0x4f,
  0x0d,
  0x01, // if i >= bytes: break
  0x20,
  0x02,
  0x20,
  0x04,
  0x6a, // out + i
  0x20,
  0x00,
  0x20,
  0x04,
  0x6a,
  0xfd,
  0x00,
  0x04,
  0x00, // v128.load a + i
  0x20,
  0x01,
  0x20,
  0x04,
  0x6a,
  0xfd,
  0x00,
  0x04,
  0x00, // v128.load b + i
  0xfd,
  0xe4,
  0x01, // f32x4.add
  0xfd,
  0x0b,
  0x04,
  0x00, // v128.store
  0x20,
  0x04,
  0x41,
  0x10,
  0x6a,
  0x21,
  0x04, // i += 16
  0x0c,
  0x00,
  0x0b,
  0x0b,
  0x0b, // continue; end loop, block, function
]);

type AddExport = (a: number, b: number, out: number, bytes: number) => void;

/** The part of the WebAssembly JS API used here (the project's TypeScript libs do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}
const WebAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

function wasmAdd(memory: WasmMemory): AddExport | null {
  if (!WebAssembly.validate(ADD_F32X4)) return null;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(ADD_F32X4), { env: { mem: memory } });
  return instance.exports.add as AddExport;
}

const rows: [string, number][] = [];
const row = (name: string, ms: number) => {
  rows.push([name, ms]);
};

// (1) Copy-in/packing into WebAssembly memory versus computing.
const a = onHeap();
const b = onHeap();
const out = new Float32Array(N);
const bytes = N * 4;
const memory = new WebAssembly.Memory({ initial: Math.ceil((3 * bytes) / 65536) + 1 });
const heap = new Float32Array(memory.buffer);
const [pa, pb, po] = [0, bytes, 2 * bytes];
const add = wasmAdd(memory);
const view = (data: TypedArray) => ({ data, offset: 0, strides: [1] });
row(
  'copy 1M float32 JS -> WebAssembly.Memory (typed array set)',
  time(() => heap.set(a, pa / 4)),
);
row(
  'copy 1M float32 WebAssembly.Memory -> JS',
  time(() => out.set(heap.subarray(po / 4, po / 4 + N))),
);
row(
  'cpu kernel: add (JS loop)',
  time(() => cpuBackend.binary('add', view(a), view(b), out, [N])),
);
row(
  'cpu kernel: unary exp (JS loop)',
  time(() => cpuBackend.unary('exp', a, out, 0, 0)),
);
if (add !== null) {
  heap.set(a, pa / 4);
  heap.set(b, pb / 4);
  row(
    'WebAssembly SIMD add, data already in memory',
    time(() => add(pa, pb, po, bytes)),
  );
  row(
    'WebAssembly SIMD add, copying 2 inputs in and the result out',
    time(() => {
      heap.set(a, pa / 4);
      heap.set(b, pb / 4);
      add(pa, pb, po, bytes);
      out.set(heap.subarray(po / 4, po / 4 + N));
    }),
  );
  const check = new Float32Array(N);
  cpuBackend.binary('add', view(a), view(b), check, [N]);
  if (check.some((v, i) => v !== out[i])) throw new Error('the WebAssembly add disagrees with the cpu kernel');
}

// (2) The same cpu kernels on SharedArrayBuffer-backed storage.
for (const [label, make] of [
  ['ArrayBuffer', onHeap],
  ['SharedArrayBuffer', onShared],
] as const) {
  const x = make();
  const y = make();
  const o = make();
  row(
    `[${label}] add`,
    time(() => cpuBackend.binary('add', view(x), view(y), o, [N])),
  );
  row(
    `[${label}] unary tanh`,
    time(() => cpuBackend.unary('tanh', x, o, 0, 0)),
  );
  row(
    `[${label}] reduce sum`,
    time(() => cpuBackend.reduce('sum', x, 1, N, 1, new Float32Array(1))),
  );
  const m = make().fill(0);
  const v = make().fill(0);
  let step = 0;
  row(
    `[${label}] adamStep`,
    time(() => {
      step += 1;
      cpuBackend.adamStep(
        { params: [o], grads: [y], steps: [step], expAvgs: [m], expAvgSqs: [v], maxExpAvgSqs: null },
        {
          lr: 1e-3,
          beta1: 0.9,
          beta2: 0.999,
          eps: 1e-8,
          weightDecay: 0,
          decoupled: false,
          amsgrad: false,
          maximize: false,
        },
      );
    }),
  );
}

// (3) Allocation, which every op output pays.
row(
  'allocate 1M float32 on an ArrayBuffer',
  time(() => new Float32Array(N)),
);
row(
  'allocate 1M float32 on a SharedArrayBuffer',
  time(() => new Float32Array(new SharedArrayBuffer(N * 4))),
);
row(
  'allocate 1K float32 on an ArrayBuffer (x1000)',
  time(() => {
    for (let i = 0; i < 1000; i++) new Float32Array(1024);
  }),
);
row(
  'allocate 1K float32 on a SharedArrayBuffer (x1000)',
  time(() => {
    for (let i = 0; i < 1000; i++) new Float32Array(new SharedArrayBuffer(4096));
  }),
);

console.log(`storage access, ${N} float32 elements, median of ${ROUNDS} runs (node ${process.version})`);
console.log('| measurement | ms |\n|---|---:|');
for (const [name, ms] of rows) console.log(`| ${name} | ${ms.toFixed(3)} |`);
