/**
 * @file The p-norm of a list of numbers with torch.norm's conventions: p = Infinity is the largest
 * magnitude, p = -Infinity the smallest, p = 0 counts the non-zero entries.
 */

/**
 * `(Σ |x|^p)^(1/p)` over `values`, with the special orders of torch.linalg.vector_norm.
 * @example vectorNorm([3, 4], 2); // 5
 */
export function vectorNorm(values: ArrayLike<number>, p: number): number {
  const n = values.length;
  if (p === Number.POSITIVE_INFINITY || p === Number.NEGATIVE_INFINITY) {
    if (n === 0) return p > 0 ? 0 : Number.POSITIVE_INFINITY;
    let best = Math.abs(values[0] as number);
    for (let i = 1; i < n; i++) {
      const a = Math.abs(values[i] as number);
      // NaN wins, as in torch.max / torch.min.
      if (Number.isNaN(a) || (p > 0 ? a > best : a < best)) best = a;
      if (Number.isNaN(best)) return best;
    }
    return best;
  }
  if (p === 0) {
    let count = 0;
    for (let i = 0; i < n; i++) if ((values[i] as number) !== 0) count++;
    return count;
  }
  let sum = 0;
  if (p === 2) {
    for (let i = 0; i < n; i++) sum += (values[i] as number) * (values[i] as number);
    return Math.sqrt(sum);
  }
  if (p === 1) {
    for (let i = 0; i < n; i++) sum += Math.abs(values[i] as number);
    return sum;
  }
  for (let i = 0; i < n; i++) sum += Math.abs(values[i] as number) ** p;
  return sum ** (1 / p);
}
