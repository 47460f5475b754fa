/**
 * @file Batched matrix multiply. Register blocking: four rows of `a` by four of its columns are held in
 * locals while one sweep over four rows of `b` updates four output rows, so each inner iteration does
 * sixteen multiply-adds for four loads of `b` and four accumulator updates, all sequential in memory.
 * A float64 row accumulator keeps float32 products from compounding rounding. A is read through its strides
 * (free: one scalar read per element either way); B with gapped columns (a transposed view) is first copied
 * row-major into float64, exactly, so results do not depend on the operands' layout.
 */
import type { TypedArray } from '../../dtype';
import type { MatrixStrides } from '../backend';

let scratch = new Float64Array(0);
/** B of one batch copied row-major when its columns are not adjacent (a transposed view): exact in float64. */
let packedB = new Float64Array(0);

export function matmul(
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  aOffsets: Int32Array,
  bOffsets: Int32Array,
  n: number,
  k: number,
  m: number,
  aStrides: MatrixStrides = [k, 1],
  bStrides: MatrixStrides = [m, 1],
): void {
  const [ars, acs] = aStrides;
  const [brs, bcs] = bStrides;
  if (scratch.length < m * 4) scratch = new Float64Array(m * 4);
  const acc = scratch;
  // The sweeps below read B's rows sequentially; B with gapped columns is copied row-major once per batch.
  const copyB = bcs !== 1 && m > 1;
  if (copyB && packedB.length < k * m) packedB = new Float64Array(k * m);
  for (let batch = 0; batch < aOffsets.length; batch++) {
    const aBase = aOffsets[batch] as number;
    let bData: TypedArray = b;
    let bBase = bOffsets[batch] as number;
    let bRow = brs;
    if (copyB) {
      for (let p = 0; p < k; p++) {
        const row = bBase + p * brs;
        for (let j = 0; j < m; j++) packedB[p * m + j] = b[row + j * bcs] as number;
      }
      bData = packedB;
      bBase = 0;
      bRow = m;
    }
    const outBase = batch * n * m;
    let i = 0;
    for (; i + 3 < n; i += 4) {
      acc.fill(0, 0, m * 4);
      fourRows(a, bData, acc, aBase + i * ars, ars, acs, bBase, bRow, k, m);
      for (let r = 0; r < 4; r++) {
        const o = outBase + (i + r) * m;
        for (let j = 0; j < m; j++) out[o + j] = acc[r * m + j] as number;
      }
    }
    for (; i < n; i++) {
      acc.fill(0, 0, m);
      oneRow(a, bData, acc, aBase + i * ars, acs, bBase, bRow, k, m);
      const o = outBase + i * m;
      for (let j = 0; j < m; j++) out[o + j] = acc[j] as number;
    }
  }
}

/** acc[r, :] += a[row0 + r, :] @ b for r < 4 (A read through its strides, B's rows `bRow` apart). */
function fourRows(
  a: TypedArray,
  b: TypedArray,
  acc: Float64Array,
  row0: number,
  ars: number,
  acs: number,
  bBase: number,
  bRow: number,
  k: number,
  m: number,
) {
  const a0 = row0;
  const a1 = a0 + ars;
  const a2 = a1 + ars;
  const a3 = a2 + ars;
  const m2 = 2 * m;
  const m3 = 3 * m;
  let p = 0;
  for (; p + 3 < k; p += 4) {
    const q0 = p * acs;
    const q1 = q0 + acs;
    const q2 = q1 + acs;
    const q3 = q2 + acs;
    const x00 = a[a0 + q0] as number;
    const x01 = a[a0 + q1] as number;
    const x02 = a[a0 + q2] as number;
    const x03 = a[a0 + q3] as number;
    const x10 = a[a1 + q0] as number;
    const x11 = a[a1 + q1] as number;
    const x12 = a[a1 + q2] as number;
    const x13 = a[a1 + q3] as number;
    const x20 = a[a2 + q0] as number;
    const x21 = a[a2 + q1] as number;
    const x22 = a[a2 + q2] as number;
    const x23 = a[a2 + q3] as number;
    const x30 = a[a3 + q0] as number;
    const x31 = a[a3 + q1] as number;
    const x32 = a[a3 + q2] as number;
    const x33 = a[a3 + q3] as number;
    const r0 = bBase + p * bRow;
    const r1 = r0 + bRow;
    const r2 = r1 + bRow;
    const r3 = r2 + bRow;
    for (let j = 0; j < m; j++) {
      const b0 = b[r0 + j] as number;
      const b1 = b[r1 + j] as number;
      const b2 = b[r2 + j] as number;
      const b3 = b[r3 + j] as number;
      acc[j] = (acc[j] as number) + x00 * b0 + x01 * b1 + x02 * b2 + x03 * b3;
      acc[m + j] = (acc[m + j] as number) + x10 * b0 + x11 * b1 + x12 * b2 + x13 * b3;
      acc[m2 + j] = (acc[m2 + j] as number) + x20 * b0 + x21 * b1 + x22 * b2 + x23 * b3;
      acc[m3 + j] = (acc[m3 + j] as number) + x30 * b0 + x31 * b1 + x32 * b2 + x33 * b3;
    }
  }
  for (; p < k; p++) {
    const q = p * acs;
    const x0 = a[a0 + q] as number;
    const x1 = a[a1 + q] as number;
    const x2 = a[a2 + q] as number;
    const x3 = a[a3 + q] as number;
    const row = bBase + p * bRow;
    for (let j = 0; j < m; j++) {
      const w = b[row + j] as number;
      acc[j] = (acc[j] as number) + x0 * w;
      acc[m + j] = (acc[m + j] as number) + x1 * w;
      acc[m2 + j] = (acc[m2 + j] as number) + x2 * w;
      acc[m3 + j] = (acc[m3 + j] as number) + x3 * w;
    }
  }
}

/** acc[0, :] += a[row, :] @ b (A's columns `acs` apart, B's rows `bRow` apart). */
function oneRow(
  a: TypedArray,
  b: TypedArray,
  acc: Float64Array,
  row: number,
  acs: number,
  bBase: number,
  bRow: number,
  k: number,
  m: number,
) {
  let p = 0;
  for (; p + 3 < k; p += 4) {
    const q = row + p * acs;
    const x0 = a[q] as number;
    const x1 = a[q + acs] as number;
    const x2 = a[q + 2 * acs] as number;
    const x3 = a[q + 3 * acs] as number;
    const r0 = bBase + p * bRow;
    const r1 = r0 + bRow;
    const r2 = r1 + bRow;
    const r3 = r2 + bRow;
    for (let j = 0; j < m; j++) {
      acc[j] =
        (acc[j] as number) +
        x0 * (b[r0 + j] as number) +
        x1 * (b[r1 + j] as number) +
        x2 * (b[r2 + j] as number) +
        x3 * (b[r3 + j] as number);
    }
  }
  for (; p < k; p++) {
    const x = a[row + p * acs] as number;
    const r = bBase + p * bRow;
    for (let j = 0; j < m; j++) acc[j] = (acc[j] as number) + x * (b[r + j] as number);
  }
}
