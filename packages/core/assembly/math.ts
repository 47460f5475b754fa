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

const SQRT_HALF: f32 = <f32>Math.SQRT1_2;
/** The smallest normal float32: subnormal inputs are scaled by 2^23 first, so frexp's exponent is exact. */
const MIN_NORMAL: f32 = 1.17549435e-38;

/**
 * Natural log after Cephes' logf: x = m·2^e with m in [√½, √2), log(1 + f) for f = m - 1 by a degree-9
 * polynomial, then e·ln2 added in two parts (LN2_HI·e is exact). Subnormals are scaled by 2^23 first.
 * log(±0) = -Infinity, log(x < 0) = NaN, log(+Infinity) = +Infinity, NaN passes through.
 */
export function logV(x: v128): v128 {
  const subnormal = f32x4.lt(x, f32x4.splat(MIN_NORMAL));
  const scaled = v128.bitselect(f32x4.mul(x, f32x4.splat(8388608.0)), x, subnormal);
  const bits = scaled;
  // frexp: exponent e with m = mantissa·2^-1 in [0.5, 1).
  let e = i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(126));
  e = i32x4.sub(e, v128.and(subnormal, i32x4.splat(23)));
  const m = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  // m < √½: use 2m - 1 and e - 1, so f lies in [√½ - 1, √2 - 1).
  const low = f32x4.lt(m, f32x4.splat(SQRT_HALF));
  e = i32x4.add(e, low); // the mask is -1 where true
  const f = f32x4.sub(f32x4.add(m, v128.and(low, m)), f32x4.splat(1));
  const ef = f32x4.convert_i32x4_s(e);
  const z = f32x4.mul(f, f);
  let p = f32x4.splat(7.0376836292e-2);
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(-1.151461031e-1));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(1.167699874e-1));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(-1.2420140846e-1));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(1.4249322787e-1));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(-1.6668057665e-1));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(2.0000714765e-1));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(-2.4999993993e-1));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(3.3333331174e-1));
  let y = f32x4.mul(f32x4.mul(p, f), z);
  y = f32x4.add(y, f32x4.mul(ef, f32x4.splat(LN2_LO)));
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
  let r = f32x4.add(f, y);
  r = f32x4.add(r, f32x4.mul(ef, f32x4.splat(LN2_HI)));
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x, f32x4.splat(0)));
  r = v128.bitselect(x, r, v128.or(f32x4.ne(x, x), f32x4.eq(x, f32x4.splat(Infinity))));
  return v128.bitselect(f32x4.splat(NaN), r, f32x4.lt(x, f32x4.splat(0)));
}

/**
 * log(1 + x) as log(u) + (x - (u - 1))/u with u = 1 + x rounded: the quotient restores what rounding u
 * lost (Goldberg's correction). Where it is not a number (u = 0 or Infinity) it is dropped; u = 1 gives x.
 */
export function log1pV(x: v128): v128 {
  const u = f32x4.add(x, f32x4.splat(1));
  const correction = f32x4.div(f32x4.sub(x, f32x4.sub(u, f32x4.splat(1))), u);
  const finite = f32x4.eq(correction, correction);
  // -0 and tiny x: u = 1, log(u) = 0 and the correction is x itself; return x so -0 keeps its sign.
  const r = f32x4.add(logV(u), v128.and(correction, finite));
  return v128.bitselect(x, r, f32x4.eq(u, f32x4.splat(1)));
}

/**
 * e^x - 1 without cancellation: x = n·ln2 + r as in expV, e^r - 1 by its Taylor series to r^8 (|r| <= ln2/2,
 * truncation below 2^-32 relative), then 2^n·((e^r - 1) + (1 - 2^-n)), where 1 - 2^-n is exact for the n that
 * matter and 2^n is applied as two factors so e^89 still overflows to Infinity. x = ±0 returns x.
 */
export function expm1V(x: v128): v128 {
  // Below -18 the result rounds to -1; the clamp lets NaN through (pmax/pmin with x first).
  const c = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-18.0)), f32x4.splat(EXP_HI));
  const t = f32x4.add(f32x4.mul(c, f32x4.splat(LOG2E)), f32x4.splat(ROUNDER));
  const n = f32x4.sub(t, f32x4.splat(ROUNDER));
  let r = f32x4.sub(c, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let q = f32x4.splat(<f32>(1.0 / 40320.0));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(<f32>(1.0 / 5040.0)));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(<f32>(1.0 / 720.0)));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(<f32>(1.0 / 120.0)));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(<f32>(1.0 / 24.0)));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(<f32>(1.0 / 6.0)));
  q = f32x4.add(f32x4.mul(q, r), f32x4.splat(0.5));
  const em = f32x4.add(r, f32x4.mul(f32x4.mul(r, r), q));
  const ni = i32x4.sub(t, i32x4.splat(ROUNDER_BITS));
  // 2^-min(n, 30): beyond 24, 1 - 2^-n rounds to 1 anyway.
  const inverse = i32x4.shl(i32x4.sub(i32x4.splat(127), i32x4.min_s(ni, i32x4.splat(30))), 23);
  const sum = f32x4.add(em, f32x4.sub(f32x4.splat(1), inverse));
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  const result = f32x4.mul(f32x4.mul(sum, s1), s2);
  return v128.bitselect(x, result, f32x4.eq(x, f32x4.splat(0)));
}
