/**
 * @file Storage and checks on the host: the cpu backend's storage is ordinary garbage-collected typed
 * arrays, and index range checks and norms are loops here rather than in ops code, so a backend that
 * keeps its buffers elsewhere answers them where the bytes are.
 */
import type { DType, TypedArray } from '../../dtype';

export function allocate(dtype: DType, length: number): TypedArray {
  return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
}

export function firstInvalidIndex(index: TypedArray, size: number): number {
  const n = index.length;
  for (let i = 0; i < n; i++) {
    const v = index[i] as number;
    // Also false for NaN; Math.floor(v) === v excludes fractions and infinities (v < size does too).
    if (!(v >= 0 && v < size && Math.floor(v) === v)) return i;
  }
  return -1;
}

export function vectorNorm(x: TypedArray, p: number): number {
  const n = x.length;
  if (p === Number.POSITIVE_INFINITY || p === Number.NEGATIVE_INFINITY) {
    if (n === 0) return p > 0 ? 0 : Number.POSITIVE_INFINITY;
    let best = Math.abs(x[0] as number);
    for (let i = 1; i < n; i++) {
      const a = Math.abs(x[i] as number);
      // NaN wins, as in torch.max / torch.min.
      if (Number.isNaN(a) || (p > 0 ? a > best : a < best)) best = a;
      if (Number.isNaN(best)) return best;
    }
    return best;
  }
  let sum = 0;
  if (p === 0) {
    for (let i = 0; i < n; i++) if ((x[i] as number) !== 0) sum++;
    return sum;
  }
  if (p === 2) {
    for (let i = 0; i < n; i++) sum += (x[i] as number) * (x[i] as number);
    return Math.sqrt(sum);
  }
  if (p === 1) {
    for (let i = 0; i < n; i++) sum += Math.abs(x[i] as number);
    return sum;
  }
  for (let i = 0; i < n; i++) sum += Math.abs(x[i] as number) ** p;
  return sum ** (1 / p);
}

export function binaryCrossEntropy(x: TypedArray, y: TypedArray, out: TypedArray): void {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const p = x[i] as number;
    const t = y[i] as number;
    out[i] = (t - 1) * Math.max(Math.log(1 - p), -100) - t * Math.max(Math.log(p), -100);
  }
}
