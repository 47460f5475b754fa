/**
 * @file The WebAssembly SIMD kernels' exports. Kernels take byte addresses into this module's memory;
 * the TypeScript side owns that memory (it grows it and places buffers above `heapBase()`), so nothing
 * here allocates.
 */
export { binaryF32, unaryF32 } from './elementwise';
export { gemm, gemmWorkBytes } from './gemm';
export { sumF32 } from './reduce';

/** First byte the TypeScript side may use: everything below holds this module's static data. */
export function heapBase(): usize {
  return __heap_base;
}
