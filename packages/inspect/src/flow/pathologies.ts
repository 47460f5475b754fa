/**
 * @file Warnings for vanishing and exploding gradients, per parameter, from the recent mean of its
 * gradient norms (as the original engine's gradient-flow monitor did), plus non-finite norms.
 */

export interface PathologyOptions {
  /** A recent mean norm below this is reported as vanishing (default 1e-6). */
  readonly low?: number;
  /** A recent mean norm above this is reported as exploding (default 1e2). */
  readonly high?: number;
  /** How many of the latest steps the mean covers (default 10). */
  readonly window?: number;
}

/**
 * Warnings per parameter whose recent mean gradient norm vanishes, explodes or is not finite (healthy parameters are left out).
 * @example detectGradientPathologies(tracker.history) // { 'layers.0.weight': ['vanishing gradient: …'] }
 */
export function detectGradientPathologies(
  history: Readonly<Record<string, readonly number[]>>,
  { low = 1e-6, high = 1e2, window = 10 }: PathologyOptions = {},
): Record<string, string[]> {
  if (!(low < high)) throw new Error(`detectGradientPathologies: low (${low}) must be smaller than high (${high})`);
  if (!Number.isInteger(window) || window < 1) {
    throw new Error(`detectGradientPathologies: window must be a positive integer, got ${window}`);
  }
  const warnings: Record<string, string[]> = {};
  for (const [name, norms] of Object.entries(history)) {
    const recent = norms.slice(-window);
    if (recent.length === 0) continue;
    const found: string[] = [];
    const nonFinite = recent.filter((v) => !Number.isFinite(v)).length;
    const mean = recent.reduce((s, v) => s + v, 0) / recent.length;
    const span = `over the last ${recent.length} step${recent.length === 1 ? '' : 's'}`;
    if (nonFinite > 0)
      found.push(`non-finite gradient: ${nonFinite} of the last ${recent.length} norms are NaN or Infinity`);
    else if (mean < low) {
      found.push(`vanishing gradient: mean norm ${mean.toExponential(2)} ${span} is below ${low}`);
    } else if (mean > high) {
      found.push(`exploding gradient: mean norm ${mean.toExponential(2)} ${span} is above ${high}`);
    }
    if (found.length > 0) warnings[name] = found;
  }
  return warnings;
}
