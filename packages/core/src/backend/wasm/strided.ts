/**
 * @file The wasm backend's strided kernels: binary ops (all but pow), `where` and `copy` into a contiguous
 * destination. The shape is coalesced as in the cpu kernels; each operand's span (the elements its strides
 * can reach) is copied into the module's memory once, even when two operands share a buffer, and the kernel
 * walks the strides there (assembly/strided.ts). Views that reach far more elements than they read (a column
 * of a large matrix) stay on the fallback backend rather than copying what they skip.
 */
import type { TypedArray } from '../../dtype';
import type { Shape } from '../../shape';
import type { Backend, BinaryKind, StridedView } from '../backend';
import { coalesce } from '../cpu/strided';
import type { WasmKernels } from './loader';

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

/** True when `view` reads `shape` row-major without gaps (size-1 dims may have any stride). */
export function isContiguous(view: StridedView, shape: Shape): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d] as number;
    if (size !== 1 && view.strides[d] !== expected) return false;
    expected *= size;
  }
  return true;
}

/** Runs `op` on float32 views; false when the call must go to the fallback (dtypes, spans, memory). */
function run(k: WasmKernels, op: number, views: readonly StridedView[], out: Float32Array, outOffset: number, shape: Shape): boolean {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n === 0) return true;
  const { shape: s, strides } = coalesce(
    shape,
    views.map((v) => v.strides),
  );
  const rank = s.length;
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
  if (op === undefined || !(out instanceof Float32Array && allFloat32([a, b]) && run(k, op, [a, b], out, 0, shape))) {
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
  if (!(out instanceof Float32Array && allFloat32([cond, a, b]) && run(k, WHERE, [cond, a, b], out, 0, shape))) {
    fallback.where(cond, a, b, out, shape);
  }
}

/** Gathers a strided float32 view into a contiguous destination; contiguous sources stay a plain `set`. */
export function copy(k: WasmKernels, fallback: Backend, source: StridedView, dest: StridedView, shape: Shape): void {
  const out = dest.data;
  if (
    !(out instanceof Float32Array && source.data instanceof Float32Array) ||
    !isContiguous(dest, shape) ||
    isContiguous(source, shape) ||
    !run(k, COPY, [source], out, dest.offset, shape)
  ) {
    fallback.copy(source, dest, shape);
  }
}
