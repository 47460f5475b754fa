/**
 * @file A sampled estimate of the range of `f` near `x` (the original engine's `estimate_bounds`,
 * fixed): it evaluates `f` at `x` itself, at the corners of the box `x ± eps` (all of them for up to
 * 2^12 corners; otherwise each coordinate moved alone plus the two extreme corners), and at `samples`
 * random points of the box. It never changes `x` (every evaluation gets a fresh tensor), works when
 * `x` requires grad, and records no graph. A sample is a lower estimate of the true range: use
 * `intervalBounds` for guaranteed bounds.
 */
import { noGrad, randomUniform, type Tensor, tensor } from '@optimgrad/core';

export interface EstimateBoundsOptions {
  /** Half-width of the box around `x` (default 1e-4). */
  readonly eps?: number;
  /** Extra uniformly random points in the box (default 0; reproducible with `manualSeed`). */
  readonly samples?: number;
}

const MAX_CORNER_DIMS = 12;

/**
 * The smallest and largest value any output of `f` takes at the sampled points of the box `x ± eps`.
 * @example const [lo, hi] = estimateBounds((t) => t.square().sum(), x, { eps: 0.1, samples: 100 });
 */
export function estimateBounds(
  f: (x: Tensor) => Tensor,
  x: Tensor,
  { eps = 1e-4, samples = 0 }: EstimateBoundsOptions = {},
): [number, number] {
  if (!(eps >= 0) || !Number.isFinite(eps))
    throw new Error(`estimateBounds: eps must be a finite number >= 0, got ${eps}`);
  if (!Number.isInteger(samples) || samples < 0) {
    throw new Error(`estimateBounds: samples must be a non-negative integer, got ${samples}`);
  }
  const base = Float64Array.from(x.data);
  const n = base.length;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const evaluate = (offsets: (i: number) => number) => {
    const data = base.map((v, i) => v + offsets(i));
    const input = tensor(x.dtype === 'float64' ? data : Float32Array.from(data), {
      dtype: x.dtype,
      shape: [...x.shape],
    });
    const out = noGrad(() => f(input));
    for (const v of out.data) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      if (Number.isNaN(v)) lo = hi = Number.NaN;
    }
  };
  evaluate(() => 0);
  if (n <= MAX_CORNER_DIMS) {
    for (let mask = 0; mask < 2 ** n; mask++) evaluate((i) => ((mask >> i) & 1 ? eps : -eps));
  } else {
    evaluate(() => -eps);
    evaluate(() => eps);
    for (let k = 0; k < n; k++) {
      evaluate((i) => (i === k ? -eps : 0));
      evaluate((i) => (i === k ? eps : 0));
    }
  }
  for (let s = 0; s < samples; s++) evaluate(() => (2 * randomUniform() - 1) * eps);
  return [lo, hi];
}
