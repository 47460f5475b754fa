/**
 * @file Outward rounding: the next float64 above or below a number, found by stepping its bit
 * pattern, and rounding to float32 in a chosen direction. Interval arithmetic uses these so that
 * rounding errors of the float64 computation can never make a bound unsound.
 */

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);
const f32 = new Float32Array(1);

/**
 * The smallest float64 greater than `x` (`x` itself for NaN and +Infinity).
 * @example nextUp(1) === 1 + Number.EPSILON
 */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Number.POSITIVE_INFINITY) return x;
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  i64[0] = (i64[0] as bigint) + (x > 0 ? 1n : -1n);
  return f64[0] as number;
}

/**
 * The largest float64 less than `x` (`x` itself for NaN and -Infinity).
 * @example nextDown(1) === 1 - Number.EPSILON / 2
 */
export function nextDown(x: number): number {
  return -nextUp(-x);
}

/**
 * The largest float32 value that is at most `x`.
 * @example roundDownToFloat32(0.1) <= 0.1
 */
export function roundDownToFloat32(x: number): number {
  f32[0] = x;
  const r = f32[0] as number;
  if (r <= x) return r;
  f32[0] = nextDownFloat32(r);
  return f32[0] as number;
}

/**
 * The smallest float32 value that is at least `x`.
 * @example roundUpToFloat32(0.1) >= 0.1
 */
export function roundUpToFloat32(x: number): number {
  return -roundDownToFloat32(-x);
}

const u32 = new Uint32Array(f32.buffer);

function nextDownFloat32(r: number): number {
  if (r === Number.NEGATIVE_INFINITY || Number.isNaN(r)) return r;
  if (r === 0) return -1.401298464324817e-45;
  f32[0] = r;
  u32[0] = (u32[0] as number) + (r > 0 ? -1 : 1);
  return f32[0] as number;
}
