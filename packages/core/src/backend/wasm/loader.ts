/**
 * @file Instantiates the WebAssembly SIMD kernels synchronously (`new WebAssembly.Module`, so it works at
 * import time in Node and in Workers, with no fetch), after feature-detecting SIMD. Owns the module's
 * linear memory: a bump arena above the module's static data, reset at the start of every kernel call
 * and grown with `memory.grow` when a call needs more; it never shrinks.
 */
import { wasmBase64, wasmSharedBase64 } from './module.generated';

interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

/** The module's exports (see assembly/index.ts); every pointer is a byte address in `memory`. */
export interface KernelExports {
  readonly memory: WasmMemory;
  heapBase(): number;
  gemmWorkBytes(): number;
  gemm(
    a: number,
    ars: number,
    acs: number,
    b: number,
    brs: number,
    bcs: number,
    c: number,
    ldc: number,
    n: number,
    k: number,
    m: number,
    work: number,
  ): void;
  unaryF32(op: number, x: number, out: number, vectors: number, p0: number, p1: number): void;
  stridedF32(op: number, rank: number, dims: number, a: number, b: number, c: number, out: number): void;
  sumF32(x: number, outer: number, size: number, inner: number, out: number): void;
  extremumF32(kind: number, x: number, outer: number, size: number, inner: number, out: number): void;
  sgdPlainF32(p: number, g: number, n: number, lr: number, weightDecay: number, sign: number): void;
  sgdMomentumF32(
    p: number,
    g: number,
    buf: number,
    n: number,
    lr: number,
    momentum: number,
    keep: number,
    sign: number,
  ): void;
  adamPlainF32(
    p: number,
    g: number,
    m: number,
    v: number,
    n: number,
    decay: number,
    beta1: number,
    beta2: number,
    keep1: number,
    keep2: number,
    stepSize: number,
    bias2Sqrt: number,
    eps: number,
    sign: number,
  ): void;
}

/** The slice of the WebAssembly JS API used here (the DOM lib, where it is declared, is not in scope). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: object };
  compile(bytes: Uint8Array): Promise<object>;
  readonly Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

/** (func (result v128) i32.const 0 i32x4.splat): valid only where the SIMD proposal is implemented. */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00,
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x11, 0x0b,
]);

let simd: boolean | undefined;

/** True when this runtime runs WebAssembly with 128-bit SIMD (Node 16.4+, current browsers). */
export function isWasmSimdSupported(): boolean {
  if (simd === undefined) {
    const api = wasmApi();
    try {
      simd = api?.validate(SIMD_PROBE) === true;
    } catch {
      simd = false;
    }
  }
  return simd;
}

const PAGE = 65536;
/** Buffers start on cache lines, which also satisfies v128's 16-byte natural alignment. */
const ALIGN = 64;

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Pages the shared variant's memory may grow to (scripts/wasm-source-hash.ts builds it with this maximum). */
const SHARED_MAXIMUM_PAGES = 32768;

/** How to instantiate the kernels. */
export interface WasmKernelsOptions {
  /**
   * The variant importing a shared `WebAssembly.Memory` (a `SharedArrayBuffer` underneath), which other threads
   * instantiate over the same bytes; it throws where shared memory is unavailable.
   */
  readonly shared?: boolean;
  /** The (non-shared) module already compiled, asynchronously, where synchronous compiling is refused. */
  readonly compiled?: object;
}

/** One instance of the kernels and the arena over its memory. */
export class WasmKernels {
  readonly exports: KernelExports;
  /** The compiled module, which worker threads instantiate over `memory` when `shared`. */
  readonly module: object;
  readonly memory: WasmMemory;
  /** The arena's ceiling: wasm32 addresses 4 GiB. Calls that need more run on the fallback backend. */
  maxBytes = 2 ** 32;
  private readonly base: number;
  private top: number;
  /** Set when an `alloc` of this call failed: later ones fail too, so checking the last address suffices. */
  private failed = false;

  constructor(options: WasmKernelsOptions = {}) {
    const api = wasmApi();
    if (api === undefined || !isWasmSimdSupported()) {
      throw new Error(
        'wasm backend: this runtime has no WebAssembly SIMD; keep the cpu backend ' +
          "(setBackend('wasm') falls back to it by itself)",
      );
    }
    const shared = options.shared === true;
    this.module =
      (shared ? undefined : options.compiled) ?? new api.Module(decodeBase64(shared ? wasmSharedBase64 : wasmBase64));
    if (shared) {
      const memory = new api.Memory({ initial: 16, maximum: SHARED_MAXIMUM_PAGES, shared: true });
      this.exports = new api.Instance(this.module, { env: { memory } }).exports as KernelExports;
      this.maxBytes = SHARED_MAXIMUM_PAGES * PAGE;
    } else this.exports = new api.Instance(this.module, {}).exports as KernelExports;
    this.memory = this.exports.memory;
    this.base = alignUp(this.exports.heapBase());
    this.top = this.base;
  }

  /** Frees every buffer of the previous call. */
  reset(): void {
    this.top = this.base;
    this.failed = false;
  }

  /**
   * Reserves `floats` float32 slots (rounded up to whole f32x4 vectors, so kernels never need a scalar tail),
   * growing memory if needed; returns the byte address, or -1 when memory cannot grow that far, and for every
   * later `alloc` until `reset` (the caller then delegates the call). Take views only after the last `alloc`
   * of a call: growing detaches earlier views.
   */
  alloc(floats: number): number {
    const ptr = this.top;
    const top = alignUp(ptr + Math.ceil(floats / 4) * 16);
    if (this.failed || top > this.maxBytes) {
      this.failed = true;
      return -1;
    }
    const memory = this.exports.memory;
    if (top > memory.buffer.byteLength) {
      try {
        memory.grow(Math.ceil((top - memory.buffer.byteLength) / PAGE));
      } catch (error) {
        // The engine's limit or the machine's memory: the call runs on the fallback backend instead.
        if (error instanceof RangeError) {
          this.failed = true;
          return -1;
        }
        throw error;
      }
    }
    this.top = top;
    return ptr;
  }

  /** A float32 view of `length` elements at byte address `ptr`. */
  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.exports.memory.buffer, ptr, length);
  }

  /** An int32 view of `length` elements at byte address `ptr`. */
  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.exports.memory.buffer, ptr, length);
  }
}

function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

let shared: WasmKernels | undefined;

/** The kernels, compiled and instantiated on first use (throws where SIMD is missing). */
export function wasmKernels(): WasmKernels {
  shared ??= new WasmKernels();
  return shared;
}

/** The kernels, compiled asynchronously: for a browser's main thread, which refuses to compile them synchronously. */
export async function wasmKernelsAsync(): Promise<WasmKernels> {
  if (shared === undefined) {
    const api = wasmApi();
    if (api === undefined || !isWasmSimdSupported()) return wasmKernels(); // throws the explanation
    const compiled = await api.compile(decodeBase64(wasmBase64));
    shared ??= new WasmKernels({ compiled });
  }
  return shared;
}
