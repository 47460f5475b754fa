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
function cubeV(x: v128): v128 {
  const lo = f64x2.promote_low_f32x4(x);
  const hi = f64x2.promote_low_f32x4(i64x2.shuffle(x, x, 1, 0));
  const lo3 = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.mul(lo, lo), lo));
  const hi3 = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.mul(hi, hi), hi));
  return i64x2.shuffle(lo3, hi3, 0, 2);
}

/**
 * out = op(x) over `vectors` f32x4 vectors; `p0`, `p1` are clamp's and inRange's bounds. One loop per op,
 * the switch outside it.
 */
export function unaryF32(op: i32, x: usize, out: usize, vectors: i32, p0: f32, p1: f32): void {
  const end = out + ((<usize>vectors) << 4);
  const lo = f32x4.splat(p0);
  const hi = f32x4.splat(p1);
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  switch (op) {
    case NEG:
      for (; out < end; out += 16, x += 16) v128.store(out, f32x4.neg(v128.load(x)));
      return;
    case RELU:
      // max, not pmax: NaN stays NaN and -0 becomes +0, as Math.max(x, 0) in the cpu kernel.
      for (; out < end; out += 16, x += 16) v128.store(out, f32x4.max(v128.load(x), zero));
      return;
    case EXP:
      for (; out < end; out += 16, x += 16) v128.store(out, expV(v128.load(x)));
      return;
    case TANH:
      for (; out < end; out += 16, x += 16) v128.store(out, tanhV(v128.load(x)));
      return;
    case SIGMOID:
      for (; out < end; out += 16, x += 16) v128.store(out, sigmoidV(v128.load(x)));
      return;
    case LOG:
      for (; out < end; out += 16, x += 16) v128.store(out, logV(v128.load(x)));
      return;
    case SQRT:
      for (; out < end; out += 16, x += 16) v128.store(out, f32x4.sqrt(v128.load(x)));
      return;
    case ABS:
      for (; out < end; out += 16, x += 16) v128.store(out, f32x4.abs(v128.load(x)));
      return;
    case RECIPROCAL:
      for (; out < end; out += 16, x += 16) v128.store(out, f32x4.div(one, v128.load(x)));
      return;
    case SQUARE:
      for (; out < end; out += 16, x += 16) {
        const v = v128.load(x);
        v128.store(out, f32x4.mul(v, v));
      }
      return;
    case LOG1P:
      for (; out < end; out += 16, x += 16) v128.store(out, log1pV(v128.load(x)));
      return;
    case EXPM1:
      for (; out < end; out += 16, x += 16) v128.store(out, expm1V(v128.load(x)));
      return;
    case SIGN: {
      // torch.sign: 0 for NaN and for ±0.
      const minusOne = f32x4.splat(-1);
      for (; out < end; out += 16, x += 16) {
        const v = v128.load(x);
        v128.store(out, v128.or(v128.and(f32x4.gt(v, zero), one), v128.and(f32x4.lt(v, zero), minusOne)));
      }
      return;
    }
    case FLOOR:
      for (; out < end; out += 16, x += 16) v128.store(out, f32x4.floor(v128.load(x)));
      return;
    case ROUND:
      // nearest is round-half-to-even, as torch.round.
      for (; out < end; out += 16, x += 16) v128.store(out, f32x4.nearest(v128.load(x)));
      return;
    case ISFINITE:
      // x - x is 0 exactly for finite x and NaN for ±Infinity and NaN.
      for (; out < end; out += 16, x += 16) {
        const v = v128.load(x);
        v128.store(out, v128.and(f32x4.eq(f32x4.sub(v, v), zero), one));
      }
      return;
    case CLAMP:
      // max/min as Math.max/Math.min: NaN in x or a bound passes through, -0 < +0.
      for (; out < end; out += 16, x += 16) v128.store(out, f32x4.min(f32x4.max(v128.load(x), lo), hi));
      return;
    case IN_RANGE:
      for (; out < end; out += 16, x += 16) {
        const v = v128.load(x);
        v128.store(out, v128.and(v128.and(f32x4.ge(v, lo), f32x4.le(v, hi)), one));
      }
      return;
    case CUBE:
      for (; out < end; out += 16, x += 16) v128.store(out, cubeV(v128.load(x)));
      return;
    default:
      unreachable();
  }
}
