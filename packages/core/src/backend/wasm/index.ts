/**
 * @file The WebAssembly SIMD backend: float32 matmul, element-wise ops (unary, binary with broadcast and
 * strided operands, where, strided copy), reductions and the fused SGD/Adam steps run in WebAssembly
 * (elementwise.ts, strided.ts, reduce.ts, optim.ts); float64 and the kinds listed there go to the fallback
 * backend, the cpu one by default. Data movement is copy-in, compute, copy-out through the module's memory,
 * whose cost `bench/wasm.ts` reports next to the kernels'.
 */
import type { TypedArray } from '../../dtype';
import type { Backend } from '../backend';
import { cpuBackend } from '../cpu/index';
import { unary } from './elementwise';
import { isWasmSimdSupported, type WasmKernels, wasmKernels } from './loader';
import { adamStep, sgdStep } from './optim';
import { reduce } from './reduce';
import { binary, copy, where } from './strided';

export { isWasmSimdSupported } from './loader';

function matmul(
  k: WasmKernels,
  fallback: Backend,
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  aOffsets: Int32Array,
  bOffsets: Int32Array,
  n: number,
  inner: number,
  m: number,
): void {
  if (!(a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array)) {
    fallback.matmul(a, b, out, aOffsets, bOffsets, n, inner, m);
    return;
  }
  const batches = aOffsets.length;
  const size = n * m;
  if (batches === 0 || size === 0) return;
  k.reset();
  // Broadcast batches repeat offsets into one copy of each operand.
  const pa = k.alloc(a.length);
  const pb = k.alloc(b.length);
  const pc = k.alloc(batches * size);
  const work = k.alloc(k.exports.gemmWorkBytes() / 4);
  if (work < 0) {
    fallback.matmul(a, b, out, aOffsets, bOffsets, n, inner, m);
    return;
  }
  k.f32(pa, a.length).set(a);
  k.f32(pb, b.length).set(b);
  for (let i = 0; i < batches; i++) {
    k.exports.gemm(
      pa + (aOffsets[i] as number) * 4,
      pb + (bOffsets[i] as number) * 4,
      pc + i * size * 4,
      n,
      inner,
      m,
      work,
    );
  }
  out.set(k.f32(pc, batches * size));
}

/**
 * A backend running float32 kernels in WebAssembly SIMD and delegating the rest to `fallback`.
 * Throws where WebAssembly SIMD is missing (check `isWasmSimdSupported()`, or use `setBackend('wasm')`,
 * which keeps the cpu backend there).
 */
export function createWasmBackend(fallback: Backend = cpuBackend): Backend {
  return wasmBackendWith(wasmKernels(), fallback);
}

/** The backend object over instantiated kernels `k`. */
export function wasmBackendWith(k: WasmKernels, fallback: Backend = cpuBackend): Backend {
  return {
    ...fallback,
    name: 'wasm',
    unary: (kind, x, out, p0, p1) => unary(k, fallback, kind, x, out, p0, p1),
    binary: (kind, a, b, out, shape) => binary(k, fallback, kind, a, b, out, shape),
    where: (cond, a, b, out, shape) => where(k, fallback, cond, a, b, out, shape),
    copy: (source, dest, shape) => copy(k, fallback, source, dest, shape),
    sgdStep: (t, options) => sgdStep(k, fallback, t, options),
    adamStep: (t, options) => adamStep(k, fallback, t, options),
    reduce: (kind, x, outer, size, inner, out) => reduce(k, fallback, kind, x, outer, size, inner, out),
    matmul: (a, b, out, aOffsets, bOffsets, n, inner, m) =>
      matmul(k, fallback, a, b, out, aOffsets, bOffsets, n, inner, m),
  };
}

/** The wasm backend when this runtime has WebAssembly SIMD, otherwise `fallback` itself. */
export function wasmBackendOr(fallback: Backend = cpuBackend): Backend {
  return isWasmSimdSupported() ? createWasmBackend(fallback) : fallback;
}
