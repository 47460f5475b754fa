/**
 * @file float32 matrix multiply, C = A·B for row-major A [n, k], B [k, m], C [n, m], in the BLIS/XNNPACK
 * structure: B is packed once per (KC × NC) block into NR-column slivers and A once per (MC × KC) block
 * into MR-row slivers, so the micro-kernel reads both sequentially; the micro-kernel keeps a 4 × 8 tile
 * of C in eight f32x4 registers. Packing reads the operands through strides, so a transposed view (x·Wᵀ,
 * backward's Aᵀ·G) costs nothing beyond a different packing loop. Node 20 has no relaxed-simd FMA, so updates are a multiply then an add.
 */

/** Rows of A per micro-kernel tile: four splatted A values per step. */
const MR: i32 = 4;
/** Columns of B per micro-kernel tile: two f32x4 vectors. */
const NR: i32 = 8;
/** Depth of a packed block: a B sliver (KC × NR × 4 bytes = 8 KiB) stays in L1 across the A slivers. */
export const KC: i32 = 256;
/** Rows of a packed A block (MC × KC × 4 bytes = 128 KiB): meant to stay in L2. */
export const MC: i32 = 128;
/** Columns of a packed B block (KC × NC × 4 bytes = 1 MiB): streamed from L3. */
export const NC: i32 = 1024;

/** Bytes of scratch `gemm` needs: one packed A block, one packed B block and an edge tile. */
export function gemmWorkBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4;
}

/**
 * Packs rows [0, mc) × cols [0, kc) of A, element (r, p) at a + (r·ars + p·acs)·4, as MR-row slivers,
 * zero-padding the last one. Row-major A (acs = 1) and transposed A (ars = 1, as in backward's Aᵀ·G) have
 * fast paths; any other strides take the scalar one.
 */
function packA(a: usize, ars: i32, acs: i32, mc: i32, kc: i32, dst: usize): void {
  const rowBytes = (<usize>ars) << 2;
  const colBytes = (<usize>acs) << 2;
  for (let i = 0; i < mc; i += MR) {
    const rows = min(MR, mc - i);
    const src = a + <usize>i * rowBytes;
    if (rows === MR && ars === 1) {
      // The MR rows of one column are adjacent: one vector per step.
      let from = src;
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(from));
        from += colBytes;
        dst += 16;
      }
    } else if (rows === MR) {
      let r0 = src;
      const step1 = rowBytes;
      const step2 = rowBytes * 2;
      const step3 = rowBytes * 3;
      for (let p = 0; p < kc; p++) {
        store<f32>(dst, load<f32>(r0));
        store<f32>(dst, load<f32>(r0 + step1), 4);
        store<f32>(dst, load<f32>(r0 + step2), 8);
        store<f32>(dst, load<f32>(r0 + step3), 12);
        r0 += colBytes;
        dst += 16;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) {
          const v: f32 = r < rows ? load<f32>(src + <usize>r * rowBytes + <usize>p * colBytes) : 0;
          store<f32>(dst + ((<usize>r) << 2), v);
        }
        dst += 16;
      }
    }
  }
}

/**
 * Packs rows [0, kc) × cols [0, nc) of B, element (p, j) at b + (p·brs + j·bcs)·4, as NR-column slivers,
 * zero-padding the last one. Row-major B (bcs = 1) copies vectors; transposed B (brs = 1, as in x·Wᵀ)
 * transposes 4 × 4 blocks in registers; other strides take the scalar path.
 */
function packB(b: usize, brs: i32, bcs: i32, kc: i32, nc: i32, dst: usize): void {
  const rowBytes = (<usize>brs) << 2;
  const colBytes = (<usize>bcs) << 2;
  for (let j = 0; j < nc; j += NR) {
    const cols = min(NR, nc - j);
    let src = b + <usize>j * colBytes;
    if (cols === NR && bcs === 1) {
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += rowBytes;
        dst += 32;
      }
    } else if (cols === NR && brs === 1) {
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const at = src + ((<usize>p) << 2);
        transpose4(at, colBytes, dst);
        transpose4(at + colBytes * 4, colBytes, dst + 16);
        dst += 128;
      }
      for (; p < kc; p++) {
        const at = src + ((<usize>p) << 2);
        for (let c = 0; c < NR; c++) store<f32>(dst + ((<usize>c) << 2), load<f32>(at + <usize>c * colBytes));
        dst += 32;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let c = 0; c < NR; c++) {
          const v: f32 = c < cols ? load<f32>(src + <usize>c * colBytes) : 0;
          store<f32>(dst + ((<usize>c) << 2), v);
        }
        src += rowBytes;
        dst += 32;
      }
    }
  }
}

/**
 * Reads four columns of B (four adjacent depths each, columns `colBytes` apart) and writes them as four
 * packed rows 32 bytes apart: a 4 × 4 transpose in registers.
 */
function transpose4(src: usize, colBytes: usize, dst: usize): void {
  const r0 = v128.load(src);
  const r1 = v128.load(src + colBytes);
  const r2 = v128.load(src + colBytes * 2);
  const r3 = v128.load(src + colBytes * 3);
  const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<i32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst, v128.shuffle<i32>(t0, t2, 2, 3, 6, 7), 32);
  v128.store(dst, v128.shuffle<i32>(t1, t3, 0, 1, 4, 5), 64);
  v128.store(dst, v128.shuffle<i32>(t1, t3, 2, 3, 6, 7), 96);
}

/**
 * C tile (mr × nr, row stride ldc) = (or +=, when `accumulate`) packed A sliver · packed B sliver over kc.
 * Full tiles go straight to C; edge tiles go through `edge` so padded lanes never touch C.
 */
function microKernel(
  kc: i32,
  a: usize,
  b: usize,
  c: usize,
  ldc: i32,
  mr: i32,
  nr: i32,
  accumulate: bool,
  edge: usize,
): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    const a0 = v128.load32_splat(a);
    const a1 = v128.load32_splat(a, 4);
    const a2 = v128.load32_splat(a, 8);
    const a3 = v128.load32_splat(a, 12);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0));
    c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    c10 = f32x4.add(c10, f32x4.mul(a1, b0));
    c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    c20 = f32x4.add(c20, f32x4.mul(a2, b0));
    c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    c30 = f32x4.add(c30, f32x4.mul(a3, b0));
    c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    a += 16;
    b += 32;
  }
  const rowBytes = (<usize>ldc) << 2;
  if (mr === MR && nr === NR) {
    const r0 = c;
    const r1 = r0 + rowBytes;
    const r2 = r1 + rowBytes;
    const r3 = r2 + rowBytes;
    if (accumulate) {
      c00 = f32x4.add(c00, v128.load(r0));
      c01 = f32x4.add(c01, v128.load(r0, 16));
      c10 = f32x4.add(c10, v128.load(r1));
      c11 = f32x4.add(c11, v128.load(r1, 16));
      c20 = f32x4.add(c20, v128.load(r2));
      c21 = f32x4.add(c21, v128.load(r2, 16));
      c30 = f32x4.add(c30, v128.load(r3));
      c31 = f32x4.add(c31, v128.load(r3, 16));
    }
    v128.store(r0, c00);
    v128.store(r0, c01, 16);
    v128.store(r1, c10);
    v128.store(r1, c11, 16);
    v128.store(r2, c20);
    v128.store(r2, c21, 16);
    v128.store(r3, c30);
    v128.store(r3, c31, 16);
    return;
  }
  v128.store(edge, c00);
  v128.store(edge, c01, 16);
  v128.store(edge, c10, 32);
  v128.store(edge, c11, 48);
  v128.store(edge, c20, 64);
  v128.store(edge, c21, 80);
  v128.store(edge, c30, 96);
  v128.store(edge, c31, 112);
  for (let r = 0; r < mr; r++) {
    const row = c + <usize>r * rowBytes;
    const tile = edge + ((<usize>(r * NR)) << 2);
    for (let j = 0; j < nr; j++) {
      const o = (<usize>j) << 2;
      const v = load<f32>(tile + o);
      store<f32>(row + o, accumulate ? load<f32>(row + o) + v : v);
    }
  }
}

/**
 * C = A·B for A [n, k] read through strides (ars, acs), B [k, m] through (brs, bcs) and C [n, m] with row
 * stride ldc (all in elements); `work` points at gemmWorkBytes() bytes of scratch, 16-byte aligned. Threads
 * each run this on their own rows (or columns) of C with their own `work`.
 */
export function gemm(
  a: usize,
  ars: i32,
  acs: i32,
  b: usize,
  brs: i32,
  bcs: i32,
  c: usize,
  ldc: i32,
  n: i32,
  k: i32,
  m: i32,
  work: usize,
): void {
  if (n <= 0 || m <= 0) return;
  if (k === 0) {
    for (let i = 0; i < n; i++) memory.fill(c + ((<usize>i * <usize>ldc) << 2), 0, (<usize>m) << 2);
    return;
  }
  const packedA = work;
  const packedB = packedA + ((<usize>(MC * KC)) << 2);
  const edge = packedB + ((<usize>(KC * NC)) << 2);
  for (let jc = 0; jc < m; jc += NC) {
    const nc = min(NC, m - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(b + ((<usize>pc * <usize>brs + <usize>jc * <usize>bcs) << 2), brs, bcs, kc, nc, packedB);
      for (let ic = 0; ic < n; ic += MC) {
        const mc = min(MC, n - ic);
        packA(a + ((<usize>ic * <usize>ars + <usize>pc * <usize>acs) << 2), ars, acs, mc, kc, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bSliver = packedB + ((<usize>(jr * kc)) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            microKernel(
              kc,
              packedA + ((<usize>(ir * kc)) << 2),
              bSliver,
              c + ((<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) << 2),
              ldc,
              min(MR, mc - ir),
              nr,
              pc > 0,
              edge,
            );
          }
        }
      }
    }
  }
}
