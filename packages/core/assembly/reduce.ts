/** @file Sums of a float32 buffer read as [outer, size, inner] over its middle axis. */

/**
 * inner = 1: each row summed in float64 (two f64x2 accumulators fed by promoting f32x4 halves), as the
 * cpu kernel accumulates in float64, so long float32 sums stay close to PyTorch's. The sum is memory-bound,
 * so the wider accumulator costs little. inner > 1: rows of `inner` accumulated into `out` in float32 in
 * the cpu kernel's order, so both backends give the same bits.
 */
export function sumF32(x: usize, outer: i32, size: i32, inner: i32, out: usize): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let p = x + ((<usize>(o * size)) << 2);
      const end = p + ((<usize>size) << 2);
      const vectorEnd = p + ((<usize>(size & ~3)) << 2);
      let s0 = f64x2.splat(0);
      let s1 = f64x2.splat(0);
      for (; p < vectorEnd; p += 16) {
        const v = v128.load(p);
        s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
        s1 = f64x2.add(s1, f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)));
      }
      const s = f64x2.add(s0, s1);
      let total = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
      for (; p < end; p += 4) total += <f64>load<f32>(p);
      store<f32>(out + ((<usize>o) << 2), <f32>total);
    }
    return;
  }
  const rowBytes = (<usize>inner) << 2;
  const vectorBytes = (<usize>(inner & ~3)) << 2;
  for (let o = 0; o < outer; o++) {
    const dst = out + <usize>o * rowBytes;
    memory.fill(dst, 0, rowBytes);
    let row = x + <usize>o * <usize>size * rowBytes;
    for (let i = 0; i < size; i++, row += rowBytes) {
      let r: usize = 0;
      for (; r < vectorBytes; r += 16) v128.store(dst + r, f32x4.add(v128.load(dst + r), v128.load(row + r)));
      for (; r < rowBytes; r += 4) store<f32>(dst + r, load<f32>(dst + r) + load<f32>(row + r));
    }
  }
}

export const MAX: i32 = 0;
export const MIN: i32 = 1;
export const ARGMAX: i32 = 2;
export const ARGMIN: i32 = 3;

/**
 * Whether candidate v replaces the best so far, as in the cpu kernel: NaN wins and then stays (the scan
 * stops at the first NaN), otherwise strictly greater (max) or smaller (min), so ties keep the first index.
 */
function better(wantMax: bool, v: v128, best: v128): v128 {
  const wins = wantMax ? f32x4.gt(v, best) : f32x4.lt(v, best);
  return v128.and(v128.or(wins, f32x4.ne(v, v)), f32x4.eq(best, best));
}

function betterScalar(wantMax: bool, v: f32, best: f32): bool {
  return !Number.isNaN(best) && (Number.isNaN(v) || (wantMax ? v > best : v < best));
}

/** Merging lanes: a NaN with a lower index than the best's (or over a number) wins; else the better value, or the lower index on a tie. */
function laneWins(wantMax: bool, w: f32, wi: i32, best: f32, bestIndex: i32): bool {
  const bestNaN = Number.isNaN(best);
  if (Number.isNaN(w)) return !bestNaN || wi < bestIndex;
  if (bestNaN) return false;
  return (wantMax ? w > best : w < best) || (w === best && wi < bestIndex);
}

/**
 * max/min/argmax/argmin over the middle axis of [outer, size, inner] (size >= 1). inner = 1: four lanes
 * each scan every fourth element of a row and keep their first best, then the lanes are merged by the same
 * rule on (value, index), so the result is the sequential scan's; inner > 1: one lane per output column.
 * Indices are written as float32 (exact below 2^24).
 */
function extremum(wantMax: bool, wantIndex: bool, x: usize, outer: i32, size: i32, inner: i32, out: usize): void {
  const rowBytes = (<usize>inner) << 2;
  if (inner === 1) {
    const vectors = size >> 2;
    for (let o = 0; o < outer; o++) {
      const base = x + ((<usize>o * <usize>size) << 2);
      let best: f32 = load<f32>(base);
      let bestIndex: i32 = 0;
      if (vectors > 0) {
        let bv = v128.load(base);
        let bi = i32x4(0, 1, 2, 3);
        let iv = bi;
        const four = i32x4.splat(4);
        for (let i = 1; i < vectors; i++) {
          iv = i32x4.add(iv, four);
          const v = v128.load(base + ((<usize>i) << 4));
          const take = better(wantMax, v, bv);
          bv = v128.bitselect(v, bv, take);
          bi = v128.bitselect(iv, bi, take);
        }
        // Merge the lanes: a NaN lane with the lowest index wins, else the best value at its lowest index.
        best = f32x4.extract_lane(bv, 0);
        bestIndex = i32x4.extract_lane(bi, 0);
        let w = f32x4.extract_lane(bv, 1);
        let wi = i32x4.extract_lane(bi, 1);
        if (laneWins(wantMax, w, wi, best, bestIndex)) {
          best = w;
          bestIndex = wi;
        }
        w = f32x4.extract_lane(bv, 2);
        wi = i32x4.extract_lane(bi, 2);
        if (laneWins(wantMax, w, wi, best, bestIndex)) {
          best = w;
          bestIndex = wi;
        }
        w = f32x4.extract_lane(bv, 3);
        wi = i32x4.extract_lane(bi, 3);
        if (laneWins(wantMax, w, wi, best, bestIndex)) {
          best = w;
          bestIndex = wi;
        }
      }
      for (let i = vectors << 2; i < size; i++) {
        const v = load<f32>(base + ((<usize>i) << 2));
        if (betterScalar(wantMax, v, best)) {
          best = v;
          bestIndex = i;
        }
      }
      store<f32>(out + ((<usize>o) << 2), wantIndex ? <f32>bestIndex : best);
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>o * <usize>size * rowBytes;
    const dst = out + <usize>o * rowBytes;
    let r: i32 = 0;
    for (; r + 4 <= inner; r += 4) {
      let p = base + ((<usize>r) << 2);
      let bv = v128.load(p);
      let bi = i32x4.splat(0);
      for (let i = 1; i < size; i++) {
        p += rowBytes;
        const v = v128.load(p);
        const take = better(wantMax, v, bv);
        bv = v128.bitselect(v, bv, take);
        bi = v128.bitselect(i32x4.splat(i), bi, take);
      }
      v128.store(dst + ((<usize>r) << 2), wantIndex ? f32x4.convert_i32x4_s(bi) : bv);
    }
    for (; r < inner; r++) {
      let p = base + ((<usize>r) << 2);
      let best = load<f32>(p);
      let bestIndex: i32 = 0;
      for (let i = 1; i < size; i++) {
        p += rowBytes;
        const v = load<f32>(p);
        if (betterScalar(wantMax, v, best)) {
          best = v;
          bestIndex = i;
        }
      }
      store<f32>(dst + ((<usize>r) << 2), wantIndex ? <f32>bestIndex : best);
    }
  }
}

/** `kind` is MAX, MIN, ARGMAX or ARGMIN; size must be at least 1. */
export function extremumF32(kind: i32, x: usize, outer: i32, size: i32, inner: i32, out: usize): void {
  switch (kind) {
    case MAX:
      extremum(true, false, x, outer, size, inner, out);
      return;
    case MIN:
      extremum(false, false, x, outer, size, inner, out);
      return;
    case ARGMAX:
      extremum(true, true, x, outer, size, inner, out);
      return;
    case ARGMIN:
      extremum(false, true, x, outer, size, inner, out);
      return;
    default:
      unreachable();
  }
}
