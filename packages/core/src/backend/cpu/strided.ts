/**
 * @file Walking several strided views in lock-step over one shape. Adjacent dimensions that are
 * contiguous in every view are merged first, so the common cases (same-shape contiguous inputs,
 * a scalar against a tensor) become one flat loop.
 */
import type { Shape } from '../../shape';

/** True when `strides` read one element throughout (stride 0 on every dim longer than 1: a broadcast scalar). */
export function isBroadcastScalar(strides: readonly number[], shape: Shape): boolean {
  for (let d = 0; d < shape.length; d++) if (shape[d] !== 1 && strides[d] !== 0) return false;
  return true;
}

export interface Coalesced {
  shape: number[];
  strides: number[][];
}

export function coalesce(shape: Shape, strides: readonly (readonly number[])[]): Coalesced {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d] as number;
    if (size === 1) continue; // a size-1 dim contributes nothing to addressing
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, v) => (outStrides[v] as number[])[last] === (s[d] as number) * size)) {
      outShape[last] = (outShape[last] as number) * size;
      for (let v = 0; v < strides.length; v++)
        (outStrides[v] as number[])[last] = (strides[v] as number[])[d] as number;
    } else {
      outShape.push(size);
      for (let v = 0; v < strides.length; v++) (outStrides[v] as number[]).push((strides[v] as number[])[d] as number);
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (const s of outStrides) s.push(0);
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Calls `row(offsets, inner)` once per innermost row of `shape`, with the start offset of each view.
 * `offsets` is reused between calls (no per-row allocation).
 */
export function forEachRow(
  shape: Shape,
  strides: readonly (readonly number[])[],
  starts: readonly number[],
  row: (offsets: Int32Array | number[], rowIndex: number) => void,
): void {
  const n = shape.length;
  const views = strides.length;
  const offsets = starts.slice();
  if (n === 0) {
    row(offsets, 0);
    return;
  }
  let outer = 1;
  for (let d = 0; d < n - 1; d++) outer *= shape[d] as number;
  if (outer === 0 || shape[n - 1] === 0) return;
  const counter = new Int32Array(Math.max(n - 1, 1));
  for (let r = 0; r < outer; r++) {
    row(offsets, r);
    for (let d = n - 2; d >= 0; d--) {
      const size = shape[d] as number;
      counter[d] = (counter[d] as number) + 1;
      if ((counter[d] as number) < size) {
        for (let v = 0; v < views; v++) offsets[v] = (offsets[v] as number) + ((strides[v] as number[])[d] as number);
        break;
      }
      counter[d] = 0;
      for (let v = 0; v < views; v++) {
        offsets[v] = (offsets[v] as number) - ((strides[v] as number[])[d] as number) * (size - 1);
      }
    }
  }
}
