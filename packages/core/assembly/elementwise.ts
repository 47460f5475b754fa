/**
 * @file Element-wise float32 kernels over whole f32x4 vectors. The caller rounds every buffer up to a
 * multiple of 16 bytes and copies out only the real elements, so there is no scalar tail and the last
 * partial vector is computed exactly like the others.
 */
import { expV, sigmoidV, tanhV } from './math';

export const ADD: i32 = 0;
export const SUB: i32 = 1;
export const MUL: i32 = 2;
export const DIV: i32 = 3;

export const NEG: i32 = 0;
export const RELU: i32 = 1;
export const EXP: i32 = 2;
export const TANH: i32 = 3;
export const SIGMOID: i32 = 4;

/** out = a (op) b over `vectors` f32x4 vectors; one loop per op, the switch outside it. */
export function binaryF32(op: i32, a: usize, b: usize, out: usize, vectors: i32): void {
  const end = out + ((<usize>vectors) << 4);
  switch (op) {
    case ADD:
      for (; out < end; out += 16, a += 16, b += 16) v128.store(out, f32x4.add(v128.load(a), v128.load(b)));
      return;
    case SUB:
      for (; out < end; out += 16, a += 16, b += 16) v128.store(out, f32x4.sub(v128.load(a), v128.load(b)));
      return;
    case MUL:
      for (; out < end; out += 16, a += 16, b += 16) v128.store(out, f32x4.mul(v128.load(a), v128.load(b)));
      return;
    case DIV:
      for (; out < end; out += 16, a += 16, b += 16) v128.store(out, f32x4.div(v128.load(a), v128.load(b)));
      return;
    default:
      unreachable();
  }
}

/** out = op(x) over `vectors` f32x4 vectors. */
export function unaryF32(op: i32, x: usize, out: usize, vectors: i32): void {
  const end = out + ((<usize>vectors) << 4);
  switch (op) {
    case NEG:
      for (; out < end; out += 16, x += 16) v128.store(out, f32x4.neg(v128.load(x)));
      return;
    case RELU: {
      // max, not pmax: NaN stays NaN and -0 becomes +0, as Math.max(x, 0) in the cpu kernel.
      const zero = f32x4.splat(0);
      for (; out < end; out += 16, x += 16) v128.store(out, f32x4.max(v128.load(x), zero));
      return;
    }
    case EXP:
      for (; out < end; out += 16, x += 16) v128.store(out, expV(v128.load(x)));
      return;
    case TANH:
      for (; out < end; out += 16, x += 16) v128.store(out, tanhV(v128.load(x)));
      return;
    case SIGMOID:
      for (; out < end; out += 16, x += 16) v128.store(out, sigmoidV(v128.load(x)));
      return;
    default:
      unreachable();
  }
}
