/**
 * @file Vectorised float32 exp, tanh and sigmoid, accurate to a few ulp over the whole float32 range.
 * exp: Cody-Waite reduction x = n·ln2 + r with |r| <= ln2/2 (ln2 split so n·LN2_HI is exact), Cephes'
 * degree-5 polynomial for e^r, then 2^n applied as two exact power-of-two factors so subnormal results
 * are rounded once and overflow gives +Infinity. NaN propagates through every step (the clamp included).
 */

const LOG2E: f32 = <f32>Math.LOG2E;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.1219444e-4;
/** Below this e^x rounds to 0 even as a subnormal (e^-104 < 2^-150). */
const EXP_LO: f32 = -104.0;
/** Above this e^x overflows (e^89 > 2^128). */
const EXP_HI: f32 = 89.0;
/** 1.5·2^23: float32 sums with it in [2^23, 2^24) have integer spacing, n in the low bits. */
const ROUNDER: f32 = 12582912.0;
const ROUNDER_BITS: i32 = 0x4b400000;

export function expV(x: v128): v128 {
  // pmax/pmin (one instruction each on x86, unlike max/min) with x first: NaN passes through both.
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(EXP_LO)), f32x4.splat(EXP_HI));
  // Adding 1.5·2^23 rounds x·log2(e) to the nearest integer n and leaves n in the low mantissa bits,
  // cheaper than nearest + trunc_sat.
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(ROUNDER));
  const n = f32x4.sub(t, f32x4.splat(ROUNDER));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.98756915e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
  // n lies in [-150, 129]: split it so each factor 2^n1, 2^n2 is a normal float32.
  const ni = i32x4.sub(t, i32x4.splat(ROUNDER_BITS));
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(y, s1), s2);
}

const SIGN: i32 = 0x80000000;

/**
 * tanh on |x|, the sign copied back at the end (so tanh(-0) = -0): Cephes' odd polynomial below 0.625,
 * where 1 - 2/(e^2|x| + 1) would cancel, and that formula above (e^2|x| = Infinity gives exactly 1).
 */
export function tanhV(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(ax, ax);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(ax, f32x4.mul(f32x4.mul(p, z), ax));
  const e = expV(f32x4.add(ax, ax));
  const large = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
  const magnitude = v128.bitselect(small, large, f32x4.lt(ax, f32x4.splat(0.625)));
  return v128.or(magnitude, v128.and(x, i32x4.splat(SIGN)));
}

/** 1/(1 + e^-x) for x >= 0 and e^x/(1 + e^x) below, both from e = e^-|x| so neither overflows. */
export function sigmoidV(x: v128): v128 {
  const e = expV(f32x4.neg(f32x4.abs(x)));
  const numerator = v128.bitselect(f32x4.splat(1), e, f32x4.ge(x, f32x4.splat(0)));
  return f32x4.div(numerator, f32x4.add(f32x4.splat(1), e));
}
