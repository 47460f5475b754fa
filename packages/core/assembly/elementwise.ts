/**
 * @file Element-wise float32 kernels of one input over whole f32x4 vectors. The caller rounds every buffer
 * up to a multiple of 16 bytes and copies out only the real elements, so there is no scalar tail and the
 * last partial vector is computed exactly like the others. Op codes match UNARY_OPS in
 * src/backend/wasm/elementwise.ts.
 */
import { expm1V, expV, log1pV, logV, sigmoidV, tanhV } from './math';

export const NEG: i32 = 0;
export const RELU: i32 = 1;
export const EXP: i32 = 2;
export const TANH: i32 = 3;
export const SIGMOID: i32 = 4;
export const LOG: i32 = 5;
export const SQRT: i32 = 6;
export const ABS: i32 = 7;
export const RECIPROCAL: i32 = 8;
export const SQUARE: i32 = 9;
export const LOG1P: i32 = 10;
export const EXPM1: i32 = 11;
export const SIGN: i32 = 12;
export const FLOOR: i32 = 13;
export const ROUND: i32 = 14;
export const ISFINITE: i32 = 15;
/** min(max(x, p0), p1) */
export const CLAMP: i32 = 16;
/** 1 where p0 <= x <= p1 (the caller rounds p0 up and p1 down to float32) */
export const IN_RANGE: i32 = 17;
/** x³ in float64, rounded once to float32 as the cpu kernel's x ** 3 */
export const CUBE: i32 = 18;

/** x³ per lane in float64: both halves promoted, cubed exactly enough that one rounding remains. */
@inline
function cubeV(x: v128): v128 {
  const lo = f64x2.promote_low_f32x4(x);
  const hi = f64x2.promote_low_f32x4(i64x2.shuffle(x, x, 1, 0));
  const lo3 = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.mul(lo, lo), lo));
  const hi3 = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.mul(hi, hi), hi));
  return i64x2.shuffle(lo3, hi3, 0, 2);
}

/** One op on a vector; `op` is a constant at every (inlined) call, so the chain of ifs folds away. */
@inline
function unaryV(op: i32, x: v128, lo: v128, hi: v128): v128 {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  if (op == NEG) return f32x4.neg(x);
  // max, not pmax: NaN stays NaN and -0 becomes +0, as Math.max(x, 0) in the cpu kernel.
  if (op == RELU) return f32x4.max(x, zero);
  if (op == EXP) return expV(x);
  if (op == TANH) return tanhV(x);
  if (op == SIGMOID) return sigmoidV(x);
  if (op == LOG) return logV(x);
  if (op == SQRT) return f32x4.sqrt(x);
  if (op == ABS) return f32x4.abs(x);
  if (op == RECIPROCAL) return f32x4.div(one, x);
  if (op == SQUARE) return f32x4.mul(x, x);
  if (op == LOG1P) return log1pV(x);
  if (op == EXPM1) return expm1V(x);
  // torch.sign: 0 for NaN and for ±0.
  if (op == SIGN) return v128.or(v128.and(f32x4.gt(x, zero), one), v128.and(f32x4.lt(x, zero), f32x4.splat(-1)));
  if (op == FLOOR) return f32x4.floor(x);
  // nearest is round-half-to-even, as torch.round.
  if (op == ROUND) return f32x4.nearest(x);
  // x - x is 0 exactly for finite x and NaN for ±Infinity and NaN.
  if (op == ISFINITE) return v128.and(f32x4.eq(f32x4.sub(x, x), zero), one);
  // max/min as Math.max/Math.min: NaN in x or a bound passes through, -0 < +0.
  if (op == CLAMP) return f32x4.min(f32x4.max(x, lo), hi);
  if (op == IN_RANGE) return v128.and(v128.and(f32x4.ge(x, lo), f32x4.le(x, hi)), one);
  if (op == CUBE) return cubeV(x);
  unreachable();
  return x;
}

@inline
function unaryLoop(op: i32, x: usize, out: usize, end: usize, lo: v128, hi: v128): void {
  for (; out < end; out += 16, x += 16) v128.store(out, unaryV(op, v128.load(x), lo, hi));
}

/** out = op(x) over `vectors` f32x4 vectors; `p0`, `p1` are clamp's and inRange's bounds. */
export function unaryF32(op: i32, x: usize, out: usize, vectors: i32, p0: f32, p1: f32): void {
  const end = out + ((<usize>vectors) << 4);
  const lo = f32x4.splat(p0);
  const hi = f32x4.splat(p1);
  switch (op) {
    case NEG: unaryLoop(NEG, x, out, end, lo, hi); return;
    case RELU: unaryLoop(RELU, x, out, end, lo, hi); return;
    case EXP: unaryLoop(EXP, x, out, end, lo, hi); return;
    case TANH: unaryLoop(TANH, x, out, end, lo, hi); return;
    case SIGMOID: unaryLoop(SIGMOID, x, out, end, lo, hi); return;
    case LOG: unaryLoop(LOG, x, out, end, lo, hi); return;
    case SQRT: unaryLoop(SQRT, x, out, end, lo, hi); return;
    case ABS: unaryLoop(ABS, x, out, end, lo, hi); return;
    case RECIPROCAL: unaryLoop(RECIPROCAL, x, out, end, lo, hi); return;
    case SQUARE: unaryLoop(SQUARE, x, out, end, lo, hi); return;
    case LOG1P: unaryLoop(LOG1P, x, out, end, lo, hi); return;
    case EXPM1: unaryLoop(EXPM1, x, out, end, lo, hi); return;
    case SIGN: unaryLoop(SIGN, x, out, end, lo, hi); return;
    case FLOOR: unaryLoop(FLOOR, x, out, end, lo, hi); return;
    case ROUND: unaryLoop(ROUND, x, out, end, lo, hi); return;
    case ISFINITE: unaryLoop(ISFINITE, x, out, end, lo, hi); return;
    case CLAMP: unaryLoop(CLAMP, x, out, end, lo, hi); return;
    case IN_RANGE: unaryLoop(IN_RANGE, x, out, end, lo, hi); return;
    case CUBE: unaryLoop(CUBE, x, out, end, lo, hi); return;
    default: unreachable();
  }
}
