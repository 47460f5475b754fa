/**
 * @file The wasm backend's unary kernels: float32 buffers copied into the module's memory, one SIMD pass
 * (assembly/elementwise.ts), the result copied out. Kinds without a float32-accurate vector form (sin, cos,
 * erf, powScalar other than 2, 3, 0.5, -1) and float64 run on the fallback backend.
 */
import type { TypedArray } from '../../dtype';
import type { Backend, UnaryKind } from '../backend';
import type { WasmKernels } from './loader';
import { BLOCK } from './strided';
import { smallest } from './thresholds';

/** Op codes of assembly/elementwise.ts. */
const UNARY_OPS: Partial<Record<UnaryKind, number>> = {
  neg: 0,
  relu: 1,
  exp: 2,
  tanh: 3,
  sigmoid: 4,
  log: 5,
  sqrt: 6,
  abs: 7,
  reciprocal: 8,
  square: 9,
  log1p: 10,
  expm1: 11,
  sign: 12,
  floor: 13,
  round: 14,
  isfinite: 15,
  clamp: 16,
  inRange: 17,
};
const CUBE = 18;
/** powScalar exponents with an exact or float64-computed vector form. */
const POW_OPS: ReadonlyMap<number, number> = new Map([
  [2, 9],
  [0.5, 6],
  [-1, 8],
  [3, CUBE],
]);

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** The float32 nearest `v` on the side `up` (so `x >= v` equals `x >= result` for every float32 x). */
export function roundTowards(v: number, up: boolean): number {
  const f = Math.fround(v);
  if (Number.isNaN(v) || f === v || (up ? f > v : f < v)) return f;
  // One float32 step towards the other side: the bit pattern moves by one away from or towards zero.
  scratch[0] = f;
  const awayFromZero = up === f > 0;
  if (f === 0) return up ? 2 ** -149 : -(2 ** -149);
  scratchBits[0] = (scratchBits[0] as number) + (awayFromZero ? 1 : -1);
  return scratch[0] as number;
}

export function unary(
  k: WasmKernels,
  fallback: Backend,
  kind: UnaryKind,
  x: TypedArray,
  out: TypedArray,
  p0: number,
  p1: number,
): void {
  const op = kind === 'powScalar' ? POW_OPS.get(p0) : UNARY_OPS[kind];
  if (op === undefined || out.length < smallest.unary || !(x instanceof Float32Array && out instanceof Float32Array)) {
    fallback.unary(kind, x, out, p0, p1);
    return;
  }
  const n = out.length;
  if (n === 0) return;
  // Blocks of BLOCK elements: in, compute and out while they are in the cache.
  const block = Math.min(n, BLOCK);
  k.reset();
  const px = k.alloc(block);
  const po = k.alloc(block);
  if (po < 0) {
    fallback.unary(kind, x, out, p0, p1);
    return;
  }
  let lo = Math.fround(p0);
  let hi = Math.fround(p1);
  if (kind === 'inRange') {
    lo = roundTowards(p0, true);
    hi = roundTowards(p1, false);
  }
  const heap = new Float32Array(k.exports.memory.buffer);
  for (let start = 0; start < n; start += block) {
    const count = Math.min(block, n - start);
    heap.set(x.subarray(start, start + count), px / 4);
    k.exports.unaryF32(op, px, po, Math.ceil(count / 4), lo, hi);
    out.set(heap.subarray(po / 4, po / 4 + count), start);
  }
}
