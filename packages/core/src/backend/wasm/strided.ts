/**
 * @file The wasm backend's strided kernels: binary ops (all but pow), `where` and `copy` into a contiguous
 * destination. The shape is coalesced as in the cpu kernels; each operand's span (the elements its strides
 * can reach) is copied into the module's memory once, even when two operands share a buffer, and the kernel
 * walks the strides there (assembly/strided.ts). Views that reach far more elements than they read (a column
 * of a large matrix) stay on the fallback backend rather than copying what they skip.
 */
import type { TypedArray } from '../../dtype';
import { isRowMajor, type Shape } from '../../shape';
import type { Backend, BinaryKind, StridedView } from '../backend';
import { coalesce } from '../cpu/strided';
import type { WasmKernels } from './loader';
import { smallest } from './thresholds';

/** Op codes of assembly/strided.ts. */
const BINARY_OPS: Partial<Record<BinaryKind, number>> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
  eq: 6,
  ne: 7,
  gt: 8,
  ge: 9,
  lt: 10,
  le: 11,
};
const WHERE = 12;
const COPY = 13;
/** Vector loops read up to 3 elements past a row: every input span is padded by one vector. */
const PAD = 4;
/**
 * Elements per block when operands stream through: 3 blocks of 128 KiB stay in the L2 cache, so copying in,
 * computing and copying out touch main memory once per element, and the arena stays this small.
 */
export const BLOCK = 32768;

/** Runs `op` on float32 views; false when the call must go to the fallback (dtypes, spans, memory). */
function run(
  k: WasmKernels,
  op: number,
  views: readonly StridedView[],
  out: Float32Array,
  outOffset: number,
  shape: Shape,
): boolean {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n === 0) return true;
  if (n < smallest.strided) return false;
  const { shape: s, strides } = coalesce(
    shape,
    views.map((v) => v.strides),
  );
  const rank = s.length;
  if (rank <= 2 && runBlocked(k, op, views, out, outOffset, s, strides)) return true;
  // Each distinct buffer's span [lo, hi] over every view of it.
  const buffers: TypedArray[] = [];
  const lows: number[] = [];
  const highs: number[] = [];
  const which: number[] = [];
  views.forEach((view, v) => {
    let lo = view.offset;
    let hi = view.offset;
    const st = strides[v] as number[];
    for (let d = 0; d < rank; d++) {
      const reach = (st[d] as number) * ((s[d] as number) - 1);
      if (reach < 0) lo += reach;
      else hi += reach;
    }
    const b = buffers.indexOf(view.data);
    if (b < 0) {
      which.push(buffers.length);
      buffers.push(view.data);
      lows.push(lo);
      highs.push(hi);
    } else {
      which.push(b);
      lows[b] = Math.min(lows[b] as number, lo);
      highs[b] = Math.max(highs[b] as number, hi);
    }
  });
  let reached = 0;
  for (let b = 0; b < buffers.length; b++) reached += (highs[b] as number) - (lows[b] as number) + 1;
  if (reached > 4 * n + 4096) return false;
  k.reset();
  const dims = k.alloc(rank * 5);
  const places = buffers.map((_, b) => k.alloc((highs[b] as number) - (lows[b] as number) + 1 + PAD));
  const po = k.alloc(n + PAD);
  if (po < 0) return false;
  const words = new Int32Array(k.exports.memory.buffer, dims, rank * 4);
  words.set(s, 0);
  for (let v = 0; v < 3; v++) {
    // Missing operands (binary's c, copy's b and c) read with stride 0 from a.
    const st = strides[v];
    if (st === undefined) words.fill(0, rank * (v + 1), rank * (v + 2));
    else words.set(st, rank * (v + 1));
  }
  buffers.forEach((data, b) => {
    const lo = lows[b] as number;
    k.f32(places[b] as number, (highs[b] as number) - lo + 1).set(data.subarray(lo, (highs[b] as number) + 1));
  });
  const pointers = views.map((view, v) => {
    const b = which[v] as number;
    return (places[b] as number) + (view.offset - (lows[b] as number)) * 4;
  });
  const a = pointers[0] as number;
  k.exports.stridedF32(op, rank, dims, a, pointers[1] ?? a, pointers[2] ?? a, po);
  out.set(k.f32(po, n), outOffset);
  return true;
}

/**
 * The streaming case, coalesced rank 1 or 2: every operand either contiguous (streamed block by block) or
 * reaching at most BLOCK elements (a scalar, a broadcast row or column: copied once). Blocks are whole rows
 * (rank 2) or runs of elements (rank 1). False when an operand is neither, or memory is short.
 */
function runBlocked(
  k: WasmKernels,
  op: number,
  views: readonly StridedView[],
  out: Float32Array,
  outOffset: number,
  s: readonly number[],
  strides: readonly (readonly number[])[],
): boolean {
  const rank = s.length;
  const cols = rank === 2 ? (s[1] as number) : 1;
  const units = s[0] as number;
  const contiguous: boolean[] = [];
  const lows: number[] = [];
  const spans: number[] = [];
  for (let v = 0; v < views.length; v++) {
    const st = strides[v] as readonly number[];
    const view = views[v] as StridedView;
    contiguous.push(rank === 1 ? st[0] === 1 : st[0] === cols && st[1] === 1);
    let lo = view.offset;
    let hi = view.offset;
    for (let d = 0; d < rank; d++) {
      const reach = (st[d] as number) * ((s[d] as number) - 1);
      if (reach < 0) lo += reach;
      else hi += reach;
    }
    lows.push(lo);
    spans.push(hi - lo + 1);
    if (!contiguous[v] && (spans[v] as number) > BLOCK) return false;
  }
  const perBlock = Math.max(1, Math.floor(BLOCK / cols));
  const blockElements = Math.min(perBlock, units) * cols;
  k.reset();
  const dims = k.alloc(rank * 5);
  const places = views.map((view, v) => {
    // x·x: a buffer read twice at the same offset is copied once.
    const same = views.findIndex(
      (w, i) => w.data === view.data && w.offset === view.offset && sameNumbers(strides[i], strides[v]),
    );
    return same < v ? -2 - same : k.alloc((contiguous[v] ? blockElements : (spans[v] as number)) + PAD);
  });
  const po = k.alloc(blockElements + PAD);
  if (po < 0) return false;
  const memory = k.exports.memory.buffer;
  const words = new Int32Array(memory, dims, rank * 4);
  for (let v = 0; v < 3; v++) {
    const st = strides[v];
    if (st === undefined) words.fill(0, rank * (v + 1), rank * (v + 2));
    else words.set(st, rank * (v + 1));
  }
  if (rank === 2) words[1] = cols;
  const heap = new Float32Array(memory);
  views.forEach((view, v) => {
    const at = places[v] as number;
    if (at >= 0 && !contiguous[v]) {
      const lo = lows[v] as number;
      heap.set(view.data.subarray(lo, lo + (spans[v] as number)), at / 4);
    }
  });
  const pointers = [0, 0, 0];
  for (let u = 0; u < units; u += perBlock) {
    const count = Math.min(perBlock, units - u);
    const elements = count * cols;
    words[0] = count;
    for (let v = 0; v < views.length; v++) {
      const view = views[v] as StridedView;
      let at = places[v] as number;
      if (at < 0) {
        pointers[v] = pointers[-2 - at] as number;
        continue;
      }
      if (contiguous[v]) {
        const start = view.offset + u * cols;
        heap.set(view.data.subarray(start, start + elements), at / 4);
      } else at += (view.offset - (lows[v] as number) + u * ((strides[v] as readonly number[])[0] as number)) * 4;
      pointers[v] = at;
    }
    const a = pointers[0] as number;
    k.exports.stridedF32(
      op,
      rank,
      dims,
      a,
      views.length > 1 ? (pointers[1] as number) : a,
      views.length > 2 ? (pointers[2] as number) : a,
      po,
    );
    out.set(heap.subarray(po / 4, po / 4 + elements), outOffset + u * cols);
  }
  return true;
}

/** The stride of the innermost dim of size > 1 (what the cpu copy's row loop steps by); 1 for a single element. */
function innerStride(view: StridedView, shape: Shape): number {
  for (let d = shape.length - 1; d >= 0; d--) if ((shape[d] as number) > 1) return view.strides[d] as number;
  return 1;
}

function sameNumbers(x: readonly number[] | undefined, y: readonly number[] | undefined): boolean {
  return x !== undefined && y !== undefined && x.length === y.length && x.every((value, i) => value === y[i]);
}

function allFloat32(views: readonly StridedView[]): boolean {
  return views.every((v) => v.data instanceof Float32Array);
}

export function binary(
  k: WasmKernels,
  fallback: Backend,
  kind: BinaryKind,
  a: StridedView,
  b: StridedView,
  out: TypedArray,
  shape: Shape,
): void {
  const op = BINARY_OPS[kind];
  // Small calls leave first: per-op overhead is what chains of small ops pay for.
  if (
    op === undefined ||
    out.length < smallest.strided ||
    !(out instanceof Float32Array && allFloat32([a, b]) && run(k, op, [a, b], out, 0, shape))
  ) {
    fallback.binary(kind, a, b, out, shape);
  }
}

export function where(
  k: WasmKernels,
  fallback: Backend,
  cond: StridedView,
  a: StridedView,
  b: StridedView,
  out: TypedArray,
  shape: Shape,
): void {
  if (
    out.length < smallest.strided ||
    !(out instanceof Float32Array && allFloat32([cond, a, b]) && run(k, WHERE, [cond, a, b], out, 0, shape))
  ) {
    fallback.where(cond, a, b, out, shape);
  }
}

/**
 * Gathers a strided float32 view into a contiguous destination. Sources whose rows are contiguous (a plain
 * copy, an expanded row) stay on the fallback, whose per-row `set` is a memcpy; transposes and columns run here.
 */
export function copy(k: WasmKernels, fallback: Backend, source: StridedView, dest: StridedView, shape: Shape): void {
  const out = dest.data;
  if (
    !(out instanceof Float32Array && source.data instanceof Float32Array) ||
    !isRowMajor(dest.strides, shape) ||
    innerStride(source, shape) === 1 ||
    !run(k, COPY, [source], out, dest.offset, shape)
  ) {
    fallback.copy(source, dest, shape);
  }
}
