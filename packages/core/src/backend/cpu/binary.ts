/** @file Broadcasting element-wise kernels of two inputs, and `where` of three. */

import type { TypedArray } from '../../dtype';
import { isRowMajor, type Shape } from '../../shape';
import type { BinaryKind, StridedView } from '../backend';
import { coalesce, forEachRow, isBroadcastScalar } from './strided';

/**
 * 1 for operands read row-major without gaps, 0 for a broadcast scalar, -1 otherwise: the steps of the flat
 * loop. Small ops are dominated by per-call set-up, so this test allocates nothing.
 */
function flatStep(strides: readonly number[], shape: Shape): number {
  return isRowMajor(strides, shape) ? 1 : isBroadcastScalar(strides, shape) ? 0 : -1;
}

export function binary(kind: BinaryKind, a: StridedView, b: StridedView, out: TypedArray, shape: Shape): void {
  const stepA = flatStep(a.strides, shape);
  const stepB = stepA < 0 ? -1 : flatStep(b.strides, shape);
  if (stepB >= 0) {
    // Same-shape contiguous operands or a broadcast scalar: one flat loop, no coalescing.
    let n = 1;
    for (let d = 0; d < shape.length; d++) n *= shape[d] as number;
    binaryRow(kind, a.data, a.offset, stepA, b.data, b.offset, stepB, out, 0, n);
    return;
  }
  const { shape: s, strides } = coalesce(shape, [a.strides, b.strides]);
  const inner = s[s.length - 1] as number;
  const sa = (strides[0] as number[])[s.length - 1] as number;
  const sb = (strides[1] as number[])[s.length - 1] as number;
  const x = a.data;
  const y = b.data;
  forEachRow(s, strides, [a.offset, b.offset], (offsets, r) => {
    binaryRow(kind, x, offsets[0] as number, sa, y, offsets[1] as number, sb, out, r * inner, inner);
  });
}

function binaryRow(
  kind: BinaryKind,
  x: TypedArray,
  pa: number,
  sa: number,
  y: TypedArray,
  pb: number,
  sb: number,
  out: TypedArray,
  o: number,
  n: number,
): void {
  const end = o + n;
  switch (kind) {
    case 'add':
      for (; o < end; o++, pa += sa, pb += sb) out[o] = (x[pa] as number) + (y[pb] as number);
      return;
    case 'sub':
      for (; o < end; o++, pa += sa, pb += sb) out[o] = (x[pa] as number) - (y[pb] as number);
      return;
    case 'mul':
      for (; o < end; o++, pa += sa, pb += sb) out[o] = (x[pa] as number) * (y[pb] as number);
      return;
    case 'div':
      for (; o < end; o++, pa += sa, pb += sb) out[o] = (x[pa] as number) / (y[pb] as number);
      return;
    case 'pow':
      for (; o < end; o++, pa += sa, pb += sb) out[o] = (x[pa] as number) ** (y[pb] as number);
      return;
    case 'maximum':
      for (; o < end; o++, pa += sa, pb += sb) {
        const u = x[pa] as number;
        const v = y[pb] as number;
        // NaN propagates, as torch.maximum does.
        out[o] = u > v || Number.isNaN(u) ? u : v;
      }
      return;
    case 'minimum':
      for (; o < end; o++, pa += sa, pb += sb) {
        const u = x[pa] as number;
        const v = y[pb] as number;
        out[o] = u < v || Number.isNaN(u) ? u : v;
      }
      return;
    case 'eq':
      for (; o < end; o++, pa += sa, pb += sb) out[o] = x[pa] === y[pb] ? 1 : 0;
      return;
    case 'ne':
      for (; o < end; o++, pa += sa, pb += sb) out[o] = x[pa] !== y[pb] ? 1 : 0;
      return;
    case 'gt':
      for (; o < end; o++, pa += sa, pb += sb) out[o] = (x[pa] as number) > (y[pb] as number) ? 1 : 0;
      return;
    case 'ge':
      for (; o < end; o++, pa += sa, pb += sb) out[o] = (x[pa] as number) >= (y[pb] as number) ? 1 : 0;
      return;
    case 'lt':
      for (; o < end; o++, pa += sa, pb += sb) out[o] = (x[pa] as number) < (y[pb] as number) ? 1 : 0;
      return;
    case 'le':
      for (; o < end; o++, pa += sa, pb += sb) out[o] = (x[pa] as number) <= (y[pb] as number) ? 1 : 0;
      return;
    default:
      kind satisfies never;
  }
}

export function where(cond: StridedView, a: StridedView, b: StridedView, out: TypedArray, shape: Shape): void {
  const { shape: s, strides } = coalesce(shape, [cond.strides, a.strides, b.strides]);
  const inner = s[s.length - 1] as number;
  const last = s.length - 1;
  const sc = (strides[0] as number[])[last] as number;
  const sa = (strides[1] as number[])[last] as number;
  const sb = (strides[2] as number[])[last] as number;
  const c = cond.data;
  const x = a.data;
  const y = b.data;
  forEachRow(s, strides, [cond.offset, a.offset, b.offset], (offsets, r) => {
    let pc = offsets[0] as number;
    let pa = offsets[1] as number;
    let pb = offsets[2] as number;
    const end = r * inner + inner;
    for (let o = r * inner; o < end; o++, pc += sc, pa += sa, pb += sb) {
      out[o] = c[pc] !== 0 ? (x[pa] as number) : (y[pb] as number);
    }
  });
}

export function copy(source: StridedView, dest: StridedView, shape: Shape): void {
  const { shape: s, strides } = coalesce(shape, [source.strides, dest.strides]);
  const last = s.length - 1;
  const inner = s[last] as number;
  const step = (strides[0] as number[])[last] as number;
  const outStep = (strides[1] as number[])[last] as number;
  const x = source.data;
  const out = dest.data;
  forEachRow(s, strides, [source.offset, dest.offset], (offsets) => {
    let p = offsets[0] as number;
    let o = offsets[1] as number;
    if (step === 1 && outStep === 1) {
      out.set(x.subarray(p, p + inner), o);
      return;
    }
    for (let j = 0; j < inner; j++, p += step, o += outStep) out[o] = x[p] as number;
  });
}
