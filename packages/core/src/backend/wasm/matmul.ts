/**
 * @file The wasm backend's float32 matmul: copies the span of each operand that the call reads into
 * WebAssembly memory (a transposed view is copied as it lies and packed from its strides by the kernel),
 * runs assembly/gemm.ts once per batch, or split over worker threads for large products, and copies C out.
 * Threads claim chunks of C as they come (see `chunk`); every element is computed by the same sequence of
 * operations whichever thread runs it, so the result does not depend on the thread count.
 */
import type { TypedArray } from '../../dtype';
import type { Backend, MatrixStrides } from '../backend';
import type { WasmKernels } from './loader';
import { runSlice, threadPool } from './threads';
import { GEMM_ARGS, MAX_CHUNKS } from './worker-source';

/** Micro-kernel tile of assembly/gemm.ts: row blocks start at multiples of MR, column blocks of NR. */
const MR = 4;
const NR = 8;

/**
 * Products smaller than this (2·n·k·m summed over batches) stay on the calling thread: waking a worker and
 * waiting for it costs tens of microseconds, about what 2^21 flops take at 20 GFLOP/s (see BACKEND.md).
 */
let threadMinFlops = 2 ** 22;

/** @internal Test hook: lets every matmul, however small, run on the worker threads (0) or restores the default. */
export function setThreadMinFlops(flops: number = 2 ** 22): void {
  threadMinFlops = flops;
}

/** [lo, hi): the elements a call reads from one operand across all its batches. */
function span(offsets: Int32Array, rows: number, cols: number, rs: number, cs: number): [number, number] {
  const below = Math.min(0, rs * (rows - 1)) + Math.min(0, cs * (cols - 1));
  const above = Math.max(0, rs * (rows - 1)) + Math.max(0, cs * (cols - 1));
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < offsets.length; i++) {
    const o = offsets[i] as number;
    lo = Math.min(lo, o + below);
    hi = Math.max(hi, o + above + 1);
  }
  return [lo, hi];
}

/** A block of C: rows [r0, r1) × cols [c0, c1) of batch `batch`. */
interface Block {
  readonly batch: number;
  readonly r0: number;
  readonly r1: number;
  readonly c0: number;
  readonly c1: number;
}

/** Smallest row and column blocks worth a chunk of their own: each chunk packs its own copy of B (or A). */
const MIN_ROWS = 32;
const MIN_COLS = 64;

/**
 * C cut into chunks of blocks that threads claim as they come: one chunk on one thread; otherwise about three
 * per thread (so a thread the OS runs late leaves its share to the others), as whole batches when there are
 * enough of them, else row blocks (column blocks when C is wider than tall) aligned to the 4 × 8 tile.
 */
function chunk(batches: number, n: number, m: number, threads: number): Block[][] {
  const whole = (batch: number): Block => ({ batch, r0: 0, r1: n, c0: 0, c1: m });
  const target = Math.min(MAX_CHUNKS, threads * 3);
  if (threads === 1 || batches >= target) {
    const count = threads === 1 ? 1 : target;
    const chunks: Block[][] = Array.from({ length: count }, () => []);
    for (let i = 0; i < batches; i++) (chunks[Math.floor((i * count) / batches)] as Block[]).push(whole(i));
    return chunks;
  }
  const byRows = n >= m;
  const extent = byRows ? n : m;
  const tile = byRows ? MR : NR;
  const parts = Math.floor(target / batches);
  const step = Math.max(byRows ? MIN_ROWS : MIN_COLS, Math.ceil(extent / parts / tile) * tile);
  const chunks: Block[][] = [];
  for (let i = 0; i < batches; i++) {
    for (let from = 0; from < extent; from += step) {
      const to = Math.min(extent, from + step);
      chunks.push([
        byRows ? { batch: i, r0: from, r1: to, c0: 0, c1: m } : { batch: i, r0: 0, r1: n, c0: from, c1: to },
      ]);
    }
  }
  return chunks;
}

export function matmul(
  own: WasmKernels,
  fallback: Backend,
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  aOffsets: Int32Array,
  bOffsets: Int32Array,
  n: number,
  inner: number,
  m: number,
  aStrides: MatrixStrides = [inner, 1],
  bStrides: MatrixStrides = [m, 1],
): void {
  if (!(a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array)) {
    fallback.matmul(a, b, out, aOffsets, bOffsets, n, inner, m, aStrides, bStrides);
    return;
  }
  const batches = aOffsets.length;
  const size = n * m;
  if (batches === 0 || size === 0) return;
  if (inner === 0) {
    out.fill(0, 0, batches * size);
    return;
  }
  const [ars, acs] = aStrides;
  const [brs, bcs] = bStrides;
  const [aLo, aHi] = span(aOffsets, n, inner, ars, acs);
  const [bLo, bHi] = span(bOffsets, inner, m, brs, bcs);
  const pool = 2 * batches * n * inner * m >= threadMinFlops ? threadPool() : undefined;
  const threads = pool === undefined ? 1 : pool.workers.length + 1;
  const plan = chunk(batches, n, m, threads);
  const calls = plan.reduce((total, blocks) => total + blocks.length, 0);
  const k = pool?.kernels ?? own;
  k.reset();
  const pa = k.alloc(aHi - aLo);
  const pb = k.alloc(bHi - bLo);
  const pc = k.alloc(batches * size);
  const workFloats = k.exports.gemmWorkBytes() / 4;
  const work = k.alloc(workFloats * threads);
  const descriptors = k.alloc(calls * GEMM_ARGS);
  if (descriptors < 0) {
    fallback.matmul(a, b, out, aOffsets, bOffsets, n, inner, m, aStrides, bStrides);
    return;
  }
  k.f32(pa, aHi - aLo).set(a.subarray(aLo, aHi));
  k.f32(pb, bHi - bLo).set(b.subarray(bLo, bHi));
  const d = k.i32(descriptors, calls * GEMM_ARGS);
  const bounds = [0];
  let o = 0;
  for (const blocks of plan) {
    for (const { batch, r0, r1, c0, c1 } of blocks) {
      d[o] = pa + ((aOffsets[batch] as number) - aLo + r0 * ars) * 4;
      d[o + 1] = ars;
      d[o + 2] = acs;
      d[o + 3] = pb + ((bOffsets[batch] as number) - bLo + c0 * bcs) * 4;
      d[o + 4] = brs;
      d[o + 5] = bcs;
      d[o + 6] = pc + (batch * size + r0 * m + c0) * 4;
      d[o + 7] = m;
      d[o + 8] = r1 - r0;
      d[o + 9] = inner;
      d[o + 10] = c1 - c0;
      d[o + 11] = work;
      o += GEMM_ARGS;
    }
    bounds.push(o / GEMM_ARGS);
  }
  if (pool === undefined) runSlice(k, descriptors, 0, calls);
  else pool.run(descriptors, bounds, work, workFloats * 4);
  out.set(k.f32(pc, batches * size));
}
