/**
 * @file Element-wise float32 kernels over strided operands: binary ops, `where` and `copy`. The caller
 * coalesces the shape (src/backend/cpu/strided.ts), so a walk over the outer dims visits rows of the
 * innermost one; each row picks a loop by its inner strides: vector ⊕ vector, vector ⊕ scalar (a broadcast
 * row or a 0-d operand) or a strided scalar loop (transposes). The output is contiguous and written row after
 * row, so vector loops may run up to 3 elements past a row's end: the next row overwrites them and the
 * caller pads every buffer. Op codes match BINARY_OPS in src/backend/wasm/strided.ts.
 */

export const ADD: i32 = 0;
export const SUB: i32 = 1;
export const MUL: i32 = 2;
export const DIV: i32 = 3;
export const MAXIMUM: i32 = 4;
export const MINIMUM: i32 = 5;
export const EQ: i32 = 6;
export const NE: i32 = 7;
export const GT: i32 = 8;
export const GE: i32 = 9;
export const LT: i32 = 10;
export const LE: i32 = 11;
/** out = a !== 0 ? b : c (a is the condition) */
export const WHERE: i32 = 12;
/** out = a */
export const COPY: i32 = 13;

/** A vector of `p` read with element stride 0 (one value splat) or 1 (four consecutive values). */
function ld(p: usize, s: i32): v128 {
  return s === 0 ? v128.load32_splat(p) : v128.load(p);
}

/** One op on vectors, for the strided (scalar) path: a chain of ifs, taken per element only there. */
function opV(op: i32, a: v128, b: v128, c: v128): v128 {
  const one = f32x4.splat(1);
  if (op === ADD) return f32x4.add(a, b);
  if (op === SUB) return f32x4.sub(a, b);
  if (op === MUL) return f32x4.mul(a, b);
  if (op === DIV) return f32x4.div(a, b);
  // As the cpu kernel: a when a > b or a is NaN, else b (so maximum(+0, -0) is -0, as there).
  if (op === MAXIMUM) return v128.bitselect(a, b, v128.or(f32x4.gt(a, b), f32x4.ne(a, a)));
  if (op === MINIMUM) return v128.bitselect(a, b, v128.or(f32x4.lt(a, b), f32x4.ne(a, a)));
  if (op === EQ) return v128.and(f32x4.eq(a, b), one);
  if (op === NE) return v128.and(f32x4.ne(a, b), one);
  if (op === GT) return v128.and(f32x4.gt(a, b), one);
  if (op === GE) return v128.and(f32x4.ge(a, b), one);
  if (op === LT) return v128.and(f32x4.lt(a, b), one);
  if (op === LE) return v128.and(f32x4.le(a, b), one);
  // NaN !== 0 is true, -0 !== 0 false: the cpu kernel's `c !== 0`.
  if (op === WHERE) return v128.bitselect(b, c, f32x4.ne(a, f32x4.splat(0)));
  return a;
}

/**
 * One row of `n` elements; strides in elements. Strides of 0 and 1 take a vector loop per op (the op switch
 * outside the loop); other strides (transposes) a scalar loop.
 */
function row(op: i32, a: usize, sa: i32, b: usize, sb: i32, c: usize, sc: i32, out: usize, n: i32): void {
  const end = out + ((<usize>n) << 2);
  if (op === COPY) {
    if (sa === 1) memory.copy(out, a, (<usize>n) << 2);
    else if (sa === 0) {
      const v = v128.load32_splat(a);
      for (; out < end; out += 16) v128.store(out, v);
    } else {
      const step = (<isize>sa) << 2;
      for (; out < end; out += 4, a += step) store<f32>(out, load<f32>(a));
    }
    return;
  }
  if (<u32>sa > 1 || <u32>sb > 1 || <u32>sc > 1) {
    const ba = (<isize>sa) << 2;
    const bb = (<isize>sb) << 2;
    const bc = (<isize>sc) << 2;
    for (; out < end; out += 4, a += ba, b += bb, c += bc) {
      v128.store32_lane(out, opV(op, v128.load32_splat(a), v128.load32_splat(b), v128.load32_splat(c)), 0);
    }
    return;
  }
  // Pointer steps per vector: 16 bytes for stride 1, none for a broadcast (stride 0) operand.
  const da = (<usize>sa) << 4;
  const db = (<usize>sb) << 4;
  const dc = (<usize>sc) << 4;
  const one = f32x4.splat(1);
  switch (op) {
    case ADD:
      for (; out < end; out += 16, a += da, b += db) v128.store(out, f32x4.add(ld(a, sa), ld(b, sb)));
      return;
    case SUB:
      for (; out < end; out += 16, a += da, b += db) v128.store(out, f32x4.sub(ld(a, sa), ld(b, sb)));
      return;
    case MUL:
      for (; out < end; out += 16, a += da, b += db) v128.store(out, f32x4.mul(ld(a, sa), ld(b, sb)));
      return;
    case DIV:
      for (; out < end; out += 16, a += da, b += db) v128.store(out, f32x4.div(ld(a, sa), ld(b, sb)));
      return;
    case MAXIMUM:
      for (; out < end; out += 16, a += da, b += db) {
        const x = ld(a, sa);
        const y = ld(b, sb);
        v128.store(out, v128.bitselect(x, y, v128.or(f32x4.gt(x, y), f32x4.ne(x, x))));
      }
      return;
    case MINIMUM:
      for (; out < end; out += 16, a += da, b += db) {
        const x = ld(a, sa);
        const y = ld(b, sb);
        v128.store(out, v128.bitselect(x, y, v128.or(f32x4.lt(x, y), f32x4.ne(x, x))));
      }
      return;
    case EQ:
      for (; out < end; out += 16, a += da, b += db) v128.store(out, v128.and(f32x4.eq(ld(a, sa), ld(b, sb)), one));
      return;
    case NE:
      for (; out < end; out += 16, a += da, b += db) v128.store(out, v128.and(f32x4.ne(ld(a, sa), ld(b, sb)), one));
      return;
    case GT:
      for (; out < end; out += 16, a += da, b += db) v128.store(out, v128.and(f32x4.gt(ld(a, sa), ld(b, sb)), one));
      return;
    case GE:
      for (; out < end; out += 16, a += da, b += db) v128.store(out, v128.and(f32x4.ge(ld(a, sa), ld(b, sb)), one));
      return;
    case LT:
      for (; out < end; out += 16, a += da, b += db) v128.store(out, v128.and(f32x4.lt(ld(a, sa), ld(b, sb)), one));
      return;
    case LE:
      for (; out < end; out += 16, a += da, b += db) v128.store(out, v128.and(f32x4.le(ld(a, sa), ld(b, sb)), one));
      return;
    case WHERE: {
      const zero = f32x4.splat(0);
      for (; out < end; out += 16, a += da, b += db, c += dc) {
        v128.store(out, v128.bitselect(ld(b, sb), ld(c, sc), f32x4.ne(ld(a, sa), zero)));
      }
      return;
    }
    default:
      unreachable();
  }
}

/**
 * out (contiguous) = a (op) b, or where(a, b, c), or copy(a): walks `rank` coalesced dims. `dims` holds i32s: the shape, then the element strides of a, b and c (rank
 * each), then `rank` words of scratch for the counters. Offsets of a, b, c are already in the pointers.
 */
export function stridedF32(op: i32, rank: i32, dims: usize, a: usize, b: usize, c: usize, out: usize): void {
  const last = rank - 1;
  const shape = dims;
  const stridesA = dims + ((<usize>rank) << 2);
  const stridesB = stridesA + ((<usize>rank) << 2);
  const stridesC = stridesB + ((<usize>rank) << 2);
  const counter = stridesC + ((<usize>rank) << 2);
  const n = load<i32>(shape + ((<usize>last) << 2));
  const sa = load<i32>(stridesA + ((<usize>last) << 2));
  const sb = load<i32>(stridesB + ((<usize>last) << 2));
  const sc = load<i32>(stridesC + ((<usize>last) << 2));
  let rows: i32 = 1;
  for (let d = 0; d < last; d++) {
    rows *= load<i32>(shape + ((<usize>d) << 2));
    store<i32>(counter + ((<usize>d) << 2), 0);
  }
  const rowBytes = (<usize>n) << 2;
  for (let r = 0; r < rows; r++) {
    row(op, a, sa, b, sb, c, sc, out, n);
    out += rowBytes;
    for (let d = last - 1; d >= 0; d--) {
      const at = (<usize>d) << 2;
      const size = load<i32>(shape + at);
      const count = load<i32>(counter + at) + 1;
      const ba = (<isize>load<i32>(stridesA + at)) << 2;
      const bb = (<isize>load<i32>(stridesB + at)) << 2;
      const bc = (<isize>load<i32>(stridesC + at)) << 2;
      if (count < size) {
        store<i32>(counter + at, count);
        a += ba;
        b += bb;
        c += bc;
        break;
      }
      store<i32>(counter + at, 0);
      a -= ba * <isize>(size - 1);
      b -= bb * <isize>(size - 1);
      c -= bc * <isize>(size - 1);
    }
  }
}
