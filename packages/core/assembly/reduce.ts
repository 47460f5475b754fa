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
