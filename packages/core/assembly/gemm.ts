/**
 * @file float32 matrix multiply, C = A·B for row-major A [n, k], B [k, m], C [n, m], in the BLIS/XNNPACK
 * structure: B is packed once per (KC × NC) block into NR-column slivers and A once per (MC × KC) block
 * into MR-row slivers, so the micro-kernel reads both sequentially; the micro-kernel keeps a 4 × 8 tile
 * of C in eight f32x4 registers. Node 20 has no relaxed-simd FMA, so updates are a multiply then an add.
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

/** Packs rows [0, mc) × cols [0, kc) of A (row stride lda) as MR-row slivers, zero-padding the last one. */
function packA(a: usize, lda: i32, mc: i32, kc: i32, dst: usize): void {
  const rowBytes = (<usize>lda) << 2;
  for (let i = 0; i < mc; i += MR) {
    const rows = min(MR, mc - i);
    const src = a + <usize>i * rowBytes;
    if (rows === MR) {
      const r0 = src;
      const r1 = r0 + rowBytes;
      const r2 = r1 + rowBytes;
      const r3 = r2 + rowBytes;
      for (let p = 0; p < kc; p++) {
        const o = (<usize>p) << 2;
        store<f32>(dst, load<f32>(r0 + o));
        store<f32>(dst, load<f32>(r1 + o), 4);
        store<f32>(dst, load<f32>(r2 + o), 8);
        store<f32>(dst, load<f32>(r3 + o), 12);
        dst += 16;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) {
          const v: f32 = r < rows ? load<f32>(src + <usize>r * rowBytes + ((<usize>p) << 2)) : 0;
          store<f32>(dst + ((<usize>r) << 2), v);
        }
        dst += 16;
      }
    }
  }
}

/** Packs rows [0, kc) × cols [0, nc) of B (row stride ldb) as NR-column slivers, zero-padding the last one. */
function packB(b: usize, ldb: i32, kc: i32, nc: i32, dst: usize): void {
  const rowBytes = (<usize>ldb) << 2;
  for (let j = 0; j < nc; j += NR) {
    const cols = min(NR, nc - j);
    let src = b + ((<usize>j) << 2);
    if (cols === NR) {
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += rowBytes;
        dst += 32;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let c = 0; c < NR; c++) {
          const v: f32 = c < cols ? load<f32>(src + ((<usize>c) << 2)) : 0;
          store<f32>(dst + ((<usize>c) << 2), v);
        }
        src += rowBytes;
        dst += 32;
      }
    }
  }
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

/** C = A·B; `work` points at gemmWorkBytes() bytes of scratch, 16-byte aligned. */
export function gemm(a: usize, b: usize, c: usize, n: i32, k: i32, m: i32, work: usize): void {
  if (k === 0) {
    memory.fill(c, 0, (<usize>n * <usize>m) << 2);
    return;
  }
  const packedA = work;
  const packedB = packedA + ((<usize>(MC * KC)) << 2);
  const edge = packedB + ((<usize>(KC * NC)) << 2);
  for (let jc = 0; jc < m; jc += NC) {
    const nc = min(NC, m - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(b + ((<usize>pc * <usize>m + <usize>jc) << 2), m, kc, nc, packedB);
      for (let ic = 0; ic < n; ic += MC) {
        const mc = min(MC, n - ic);
        packA(a + ((<usize>ic * <usize>k + <usize>pc) << 2), k, mc, kc, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bSliver = packedB + ((<usize>(jr * kc)) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            microKernel(
              kc,
              packedA + ((<usize>(ir * kc)) << 2),
              bSliver,
              c + ((<usize>(ic + ir) * <usize>m + <usize>(jc + jr)) << 2),
              m,
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
