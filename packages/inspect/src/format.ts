/** @file Small tensor summaries shared by every tool: exact values for small tensors, statistics for big ones. */
import { formatNumber as formatCoreNumber, formatShape, type NestedArray, noGrad, type Tensor } from '@optimgrad/core';

/** Statistics of a tensor too big to print in full. */
export interface TensorSummary {
  readonly shape: readonly number[];
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly norm: number;
}

/** A tensor's value as the tools report it: a number, nested arrays, or a summary. */
export type ValueView = number | NestedArray | TensorSummary;

/**
 * The L2 norm of a tensor's elements, computed in float64.
 * @example l2Norm(tensor([3, 4])) // 5
 */
export function l2Norm(t: Tensor): number {
  const data = t.data;
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += (data[i] as number) * (data[i] as number);
  return Math.sqrt(sum);
}

/**
 * Mean, min, max and L2 norm of a tensor.
 * @example summarize(tensor([1, 2])).mean // 1.5
 */
export function summarize(t: Tensor): TensorSummary {
  const data = t.data;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { shape: [...t.shape], mean: data.length ? sum / data.length : 0, min, max, norm: l2Norm(t) };
}

/**
 * The tensor itself when it has at most `limit` elements (a number for one element), else a summary.
 * @example viewOf(tensor([[1, 2]])) // [[1, 2]]
 */
export function viewOf(t: Tensor, limit = 16): ValueView {
  return noGrad(() => {
    if (t.size === 1) return t.data[0] as number;
    if (t.size <= limit) return t.detach().toArray();
    return summarize(t);
  });
}

/**
 * A short human-readable rendering of a value view.
 * @example formatView(2) // '2'
 */
export function formatView(v: ValueView): string {
  if (typeof v === 'number') return formatNumber(v);
  if (Array.isArray(v)) {
    // JSON writes NaN and ±Infinity as null; mark them and unquote them afterwards.
    const marked = (x: unknown) =>
      typeof x !== 'number' ? x : Number.isFinite(x) ? Number(formatNumber(x)) : `\u0000${String(x)}\u0000`;
    return JSON.stringify(v, (_k, x) => marked(x)).replace(/"\\u0000(-?Infinity|NaN)\\u0000"/g, '$1');
  }
  const s = v as TensorSummary;
  return `shape ${formatShape(s.shape)} mean ${formatNumber(s.mean)} min ${formatNumber(s.min)} max ${formatNumber(s.max)} norm ${formatNumber(s.norm)}`;
}

/**
 * A number as the inspect tools print it: core's `formatNumber` with at most 6 significant digits,
 * integers below 1e9 in full (node counts, indices and exact gradients are never rounded).
 * @example formatNumber(1 / 3) // '0.333333'
 */
export function formatNumber(v: number): string {
  return formatCoreNumber(v, { exactIntegersBelow: 1e9 });
}
