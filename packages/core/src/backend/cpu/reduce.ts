/** @file Reductions over the middle axis of a buffer read as [outer, size, inner]. */

import type { TypedArray } from '../../dtype';
import type { ReduceKind } from '../backend';

export function reduce(
  kind: ReduceKind,
  x: TypedArray,
  outer: number,
  size: number,
  inner: number,
  out: TypedArray,
): void {
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    const outBase = o * inner;
    switch (kind) {
      case 'sum':
        if (inner === 1) {
          // Pairs of accumulators in float64 keep long float32 sums close to PyTorch's.
          let s0 = 0;
          let s1 = 0;
          let i = 0;
          for (; i + 1 < size; i += 2) {
            s0 += x[base + i] as number;
            s1 += x[base + i + 1] as number;
          }
          if (i < size) s0 += x[base + i] as number;
          out[outBase] = s0 + s1;
        } else {
          for (let r = 0; r < inner; r++) out[outBase + r] = 0;
          // Row-wise accumulation reads x sequentially.
          for (let i = 0; i < size; i++) {
            const row = base + i * inner;
            for (let r = 0; r < inner; r++) out[outBase + r] = (out[outBase + r] as number) + (x[row + r] as number);
          }
        }
        break;
      case 'max':
      case 'min':
      case 'argmax':
      case 'argmin': {
        const wantMax = kind === 'max' || kind === 'argmax';
        const wantIndex = kind === 'argmax' || kind === 'argmin';
        for (let r = 0; r < inner; r++) {
          let best = x[base + r] as number;
          let bestIndex = 0;
          for (let i = 1; i < size && !Number.isNaN(best); i++) {
            const v = x[base + i * inner + r] as number;
            // NaN wins (torch.max propagates it); ties keep the first index.
            if (Number.isNaN(v) || (wantMax ? v > best : v < best)) {
              best = v;
              bestIndex = i;
            }
          }
          out[outBase + r] = wantIndex ? bestIndex : best;
        }
        break;
      }
      default:
        kind satisfies never;
    }
  }
}
