/**
 * @file Batched matrix multiply. Rows of the output are built as a sum of scaled rows of `b`
 * (i-k-j order), so every inner loop reads and writes memory sequentially; a float64 row
 * accumulator keeps float32 products from compounding rounding.
 */
import type { TypedArray } from '../../dtype';

let scratch = new Float64Array(0);

export function matmul(
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  aOffsets: Int32Array,
  bOffsets: Int32Array,
  n: number,
  k: number,
  m: number,
): void {
  if (scratch.length < m * 4) scratch = new Float64Array(m * 4);
  const acc = scratch;
  for (let batch = 0; batch < aOffsets.length; batch++) {
    const aBase = aOffsets[batch] as number;
    const bBase = bOffsets[batch] as number;
    const outBase = batch * n * m;
    let i = 0;
    // Four output rows at a time: each row of b is loaded once for four rows of a.
    for (; i + 3 < n; i += 4) {
      acc.fill(0, 0, m * 4);
      const a0 = aBase + i * k;
      const a1 = a0 + k;
      const a2 = a1 + k;
      const a3 = a2 + k;
      for (let p = 0; p < k; p++) {
        const v0 = a[a0 + p] as number;
        const v1 = a[a1 + p] as number;
        const v2 = a[a2 + p] as number;
        const v3 = a[a3 + p] as number;
        const row = bBase + p * m;
        for (let j = 0; j < m; j++) {
          const w = b[row + j] as number;
          acc[j] = (acc[j] as number) + v0 * w;
          acc[m + j] = (acc[m + j] as number) + v1 * w;
          acc[2 * m + j] = (acc[2 * m + j] as number) + v2 * w;
          acc[3 * m + j] = (acc[3 * m + j] as number) + v3 * w;
        }
      }
      for (let r = 0; r < 4; r++) {
        const o = outBase + (i + r) * m;
        for (let j = 0; j < m; j++) out[o + j] = acc[r * m + j] as number;
      }
    }
    for (; i < n; i++) {
      acc.fill(0, 0, m);
      const aRow = aBase + i * k;
      for (let p = 0; p < k; p++) {
        const v = a[aRow + p] as number;
        if (v === 0) continue;
        const row = bBase + p * m;
        for (let j = 0; j < m; j++) acc[j] = (acc[j] as number) + v * (b[row + j] as number);
      }
      const o = outBase + i * m;
      for (let j = 0; j < m; j++) out[o + j] = acc[j] as number;
    }
  }
}
