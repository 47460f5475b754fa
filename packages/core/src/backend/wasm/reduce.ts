/**
 * @file The wasm backend's reductions over [outer, size, inner]: sum (float64 accumulation for rows, as the
 * cpu kernel) and max/min/argmax/argmin with the cpu kernel's NaN and tie rules (assembly/reduce.ts).
 */
import type { TypedArray } from '../../dtype';
import type { Backend, ReduceKind } from '../backend';
import type { WasmKernels } from './loader';
import { smallest } from './thresholds';

const EXTREMUM_OPS: Readonly<Record<Exclude<ReduceKind, 'sum'>, number>> = { max: 0, min: 1, argmax: 2, argmin: 3 };

export function reduce(
  k: WasmKernels,
  fallback: Backend,
  kind: ReduceKind,
  x: TypedArray,
  outer: number,
  size: number,
  inner: number,
  out: TypedArray,
): void {
  const total = outer * size * inner;
  const results = outer * inner;
  // Arg indices are exact in float32 only below 2^24; empty max/min keep the fallback's behaviour.
  if (
    total < smallest.reduce ||
    !(x instanceof Float32Array && out instanceof Float32Array) ||
    (kind !== 'sum' && (size === 0 || size > 2 ** 24))
  ) {
    fallback.reduce(kind, x, outer, size, inner, out);
    return;
  }
  if (results === 0) return;
  k.reset();
  const px = k.alloc(total);
  const po = k.alloc(results);
  if (po < 0) {
    fallback.reduce(kind, x, outer, size, inner, out);
    return;
  }
  k.f32(px, total).set(x.subarray(0, total));
  if (kind === 'sum') k.exports.sumF32(px, outer, size, inner, po);
  else k.exports.extremumF32(EXTREMUM_OPS[kind], px, outer, size, inner, po);
  out.set(k.f32(po, results));
}
