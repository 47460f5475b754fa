/**
 * @file The WebAssembly SIMD kernels' exports. Kernels take byte addresses into this module's memory;
 * the TypeScript side owns that memory (it grows it and places buffers above `heapBase()`), so nothing
 * here allocates.
 */
export { unaryF32 } from './elementwise';
export { gemm, gemmWorkBytes } from './gemm';
export { adamPlainF32, sgdMomentumF32, sgdPlainF32 } from './optim';
export { extremumF32, sumF32 } from './reduce';
export { stridedF32 } from './strided';

/** First byte the TypeScript side may use: everything below holds this module's static data. */
export function heapBase(): usize {
  return __heap_base;
}
