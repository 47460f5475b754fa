/**
 * @file The p-norm of a list of numbers with torch.norm's conventions: p = Infinity is the largest
 * magnitude, p = -Infinity the smallest, p = 0 counts the non-zero entries. The loop is the backend's
 * `vectorNorm` kernel, so gradients are measured where the backend keeps them.
 */
import { getBackend } from '@optimgrad/core';

/**
 * `(Σ |x|^p)^(1/p)` over `values`, with the special orders of torch.linalg.vector_norm.
 * @example vectorNorm([3, 4], 2); // 5
 */
export function vectorNorm(values: ArrayLike<number>, p: number): number {
  const data = values instanceof Float32Array || values instanceof Float64Array ? values : Float64Array.from(values);
  return getBackend().vectorNorm(data, p);
}
