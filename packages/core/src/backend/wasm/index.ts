/**
 * @file The WebAssembly SIMD backend (preview): float32 matmul, add/sub/mul/div on contiguous equal-shape
 * inputs, neg/relu/exp/tanh/sigmoid and contiguous sums run in WebAssembly; everything else (float64,
 * broadcast or strided views, other kinds) goes to the fallback backend, the cpu one by default.
 * Data movement is copy-in, compute, copy-out through the module's memory: the simplest contract, whose
 * cost `bench/wasm.ts` reports next to the kernels'.
 */
import type { TypedArray } from '../../dtype';
import type { Shape } from '../../shape';
import type { Backend, BinaryKind, ReduceKind, StridedView, UnaryKind } from '../backend';
import { cpuBackend } from '../cpu/index';
import { isWasmSimdSupported, type WasmKernels, wasmKernels } from './loader';
import { matmul } from './matmul';

export { isWasmSimdSupported } from './loader';

/** Op codes of assembly/elementwise.ts. */
const BINARY_OPS: Partial<Record<BinaryKind, number>> = { add: 0, sub: 1, mul: 2, div: 3 };
const UNARY_OPS: Partial<Record<UnaryKind, number>> = { neg: 0, relu: 1, exp: 2, tanh: 3, sigmoid: 4 };

/** True when `view` reads `shape` row-major without gaps (size-1 dims may have any stride). */
function isContiguous(view: StridedView, shape: Shape): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d] as number;
    if (size !== 1 && view.strides[d] !== expected) return false;
    expected *= size;
  }
  return true;
}

function binary(
  k: WasmKernels,
  fallback: Backend,
  kind: BinaryKind,
  a: StridedView,
  b: StridedView,
  out: TypedArray,
  shape: Shape,
): void {
  const op = BINARY_OPS[kind];
  if (
    op === undefined ||
    !(a.data instanceof Float32Array && b.data instanceof Float32Array && out instanceof Float32Array) ||
    !isContiguous(a, shape) ||
    !isContiguous(b, shape)
  ) {
    fallback.binary(kind, a, b, out, shape);
    return;
  }
  const n = out.length;
  if (n === 0) return;
  k.reset();
  const pa = k.alloc(n);
  const pb = k.alloc(n);
  const po = k.alloc(n);
  if (po < 0) {
    fallback.binary(kind, a, b, out, shape);
    return;
  }
  k.f32(pa, n).set(a.data.subarray(a.offset, a.offset + n));
  k.f32(pb, n).set(b.data.subarray(b.offset, b.offset + n));
  k.exports.binaryF32(op, pa, pb, po, Math.ceil(n / 4));
  out.set(k.f32(po, n));
}

function unary(
  k: WasmKernels,
  fallback: Backend,
  kind: UnaryKind,
  x: TypedArray,
  out: TypedArray,
  p0: number,
  p1: number,
): void {
  const op = UNARY_OPS[kind];
  if (op === undefined || !(x instanceof Float32Array && out instanceof Float32Array)) {
    fallback.unary(kind, x, out, p0, p1);
    return;
  }
  const n = out.length;
  if (n === 0) return;
  k.reset();
  const px = k.alloc(n);
  const po = k.alloc(n);
  if (po < 0) {
    fallback.unary(kind, x, out, p0, p1);
    return;
  }
  k.f32(px, n).set(x.subarray(0, n));
  k.exports.unaryF32(op, px, po, Math.ceil(n / 4));
  out.set(k.f32(po, n));
}

function reduce(
  k: WasmKernels,
  fallback: Backend,
  kind: ReduceKind,
  x: TypedArray,
  outer: number,
  size: number,
  inner: number,
  out: TypedArray,
): void {
  if (kind !== 'sum' || !(x instanceof Float32Array && out instanceof Float32Array)) {
    fallback.reduce(kind, x, outer, size, inner, out);
    return;
  }
  const total = outer * size * inner;
  const results = outer * inner;
  if (results === 0) return;
  k.reset();
  const px = k.alloc(total);
  const po = k.alloc(results);
  if (po < 0) {
    fallback.reduce(kind, x, outer, size, inner, out);
    return;
  }
  k.f32(px, total).set(x.subarray(0, total));
  k.exports.sumF32(px, outer, size, inner, po);
  out.set(k.f32(po, results));
}

/**
 * A backend running float32 kernels in WebAssembly SIMD and delegating the rest to `fallback`.
 * Throws where WebAssembly SIMD is missing (check `isWasmSimdSupported()`, or use `setBackend('wasm')`,
 * which keeps the cpu backend there).
 */
export function createWasmBackend(fallback: Backend = cpuBackend): Backend {
  const k = wasmKernels();
  return {
    ...fallback,
    name: 'wasm',
    unary: (kind, x, out, p0, p1) => unary(k, fallback, kind, x, out, p0, p1),
    binary: (kind, a, b, out, shape) => binary(k, fallback, kind, a, b, out, shape),
    reduce: (kind, x, outer, size, inner, out) => reduce(k, fallback, kind, x, outer, size, inner, out),
    matmul: (...args) => matmul(fallback, ...args),
  };
}

/** The wasm backend when this runtime has WebAssembly SIMD, otherwise `fallback` itself. */
export function wasmBackendOr(fallback: Backend = cpuBackend): Backend {
  return isWasmSimdSupported() ? createWasmBackend(fallback) : fallback;
}
