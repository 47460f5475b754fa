/**
 * @file The one number formatter and the one shape formatter of optimgrad: error messages, tensor
 * printing, the inspect tools and the demo all print numbers and shapes through these, so a value reads
 * the same wherever it appears.
 */

/** A shape as `[2, 3]` (`[]` for a scalar); defined beside the other shape helpers, exported from here. */
export { formatShape } from './shape';

/** How `formatNumber` writes a number; the defaults give at most 6 significant digits in plain notation. */
export interface FormatNumberOptions {
  /** Significant digits kept (default 6). Trailing zeros are always dropped. */
  readonly digits?: number;
  /**
   * Integers smaller in magnitude than this are written in full rather than rounded to `digits`
   * (default 0: none), so counts and indices are never rounded.
   */
  readonly exactIntegersBelow?: number;
  /** Appended to integers written in full, e.g. `'.'` to write a float 2 as `2.`, as PyTorch does. */
  readonly integerSuffix?: string;
  /**
   * Magnitudes `[low, high)` written in plain notation; others are written `1.5e-5` / `2e+6`.
   * Default: JavaScript's own rule (exponents below 1e-6 and from 1e21).
   */
  readonly plainRange?: readonly [number, number];
}

/**
 * A number rounded to a few significant digits, without trailing zeros; `NaN`, `Infinity` and
 * `-Infinity` as JavaScript writes them.
 * @example formatNumber(1 / 3) // '0.333333'
 * @example formatNumber(1234567, { exactIntegersBelow: 1e9 }) // '1234567'
 * @example formatNumber(0.0000123, { plainRange: [1e-4, 1e6] }) // '1.23e-5'
 * @example formatNumber(2, { exactIntegersBelow: 1e16, integerSuffix: '.' }) // '2.'
 */
export function formatNumber(value: number, options: FormatNumberOptions = {}): string {
  const digits = options.digits ?? 6;
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < (options.exactIntegersBelow ?? 0)) {
    return `${value}${options.integerSuffix ?? ''}`;
  }
  if (value === 0) return '0';
  const range = options.plainRange;
  const magnitude = Math.abs(value);
  if (range !== undefined && (magnitude < range[0] || magnitude >= range[1])) {
    return value.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  }
  return String(Number(value.toPrecision(digits)));
}
