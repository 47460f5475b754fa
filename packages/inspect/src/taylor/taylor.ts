/**
 * @file Taylor series from true higher-order derivatives: f⁽ᵏ⁾(x0) by differentiating the previous
 * derivative again (`grad(…, { createGraph: true })`) in float64, divided by k!. (The original engine's
 * Taylor plot reused the first derivative for every order.) Plot data and an SVG show f beside each
 * partial sum.
 */
import { formatShape, grad, noGrad, type Tensor, tensor } from '@optimgrad/core';
import { lineChart } from '../svg/chart';

/** A scalar function written with tensor ops: it gets a 0-d float64 tensor and returns a one-element tensor. */
export type ScalarFunction = (x: Tensor) => Tensor;

/**
 * Taylor coefficients f⁽ᵏ⁾(x0)/k! for k = 0..order, from repeated differentiation.
 * @example taylor((x) => x.exp(), 0, 4) // [1, 1, 0.5, 0.1666…, 0.04166…]
 */
export function taylor(f: ScalarFunction, x0: number, order: number): number[] {
  if (!Number.isInteger(order) || order < 0)
    throw new Error(`taylor: order must be a non-negative integer, got ${order}`);
  if (!Number.isFinite(x0)) throw new Error(`taylor: x0 must be a finite number, got ${x0}`);
  const x = tensor(x0, { dtype: 'float64', requiresGrad: true });
  let d = f(x);
  if (d.size !== 1) {
    throw new Error(
      `taylor: f must return a single-element tensor, got shape ${formatShape(d.shape)}; reduce it with .sum()`,
    );
  }
  const coefficients = [d.item()];
  let factorial = 1;
  for (let k = 1; k <= order; k++) {
    factorial *= k;
    if (!d.requiresGrad) {
      // The previous derivative no longer depends on x: every higher derivative is 0.
      coefficients.push(0);
      continue;
    }
    const [next] = grad(d, [x], { createGraph: true, allowUnused: true });
    d = next ?? tensor(0, { dtype: 'float64' });
    coefficients.push(d.item() / factorial);
  }
  return coefficients;
}

/**
 * Evaluates the polynomial Σ cₖ (x − x0)ᵏ.
 * @example evaluateTaylor([1, 1, 0.5], 0, 0.1) // 1.105
 */
export function evaluateTaylor(coefficients: readonly number[], x0: number, x: number): number {
  let value = 0;
  for (let k = coefficients.length - 1; k >= 0; k--) value = value * (x - x0) + (coefficients[k] as number);
  return value;
}

export interface TaylorPlotOptions {
  /** The x range to sample (default x0 ± 2). */
  readonly range?: readonly [number, number];
  /** Number of sample points (default 101). */
  readonly points?: number;
}

/** The samples of a Taylor plot: f and the partial sums of degree 0..order at each x. */
export interface TaylorPlotData {
  readonly x0: number;
  readonly coefficients: readonly number[];
  readonly xs: readonly number[];
  readonly f: readonly number[];
  /** `partials[k][i]`: the degree-k Taylor polynomial at `xs[i]`. */
  readonly partials: readonly (readonly number[])[];
}

/**
 * f and every partial Taylor polynomial sampled over a range.
 * @example const data = taylorPlotData((x) => x.sin(), 0, 5, { range: [-4, 4] });
 */
export function taylorPlotData(
  f: ScalarFunction,
  x0: number,
  order: number,
  { range = [x0 - 2, x0 + 2], points = 101 }: TaylorPlotOptions = {},
): TaylorPlotData {
  if (!Number.isInteger(points) || points < 2)
    throw new Error(`taylorPlotData: points must be an integer >= 2, got ${points}`);
  const [a, b] = range;
  if (!(a < b)) throw new Error(`taylorPlotData: range must be [low, high] with low < high, got [${a}, ${b}]`);
  const coefficients = taylor(f, x0, order);
  const xs = Array.from({ length: points }, (_, i) => a + ((b - a) * i) / (points - 1));
  const values = xs.map((x) => noGrad(() => f(tensor(x, { dtype: 'float64' })).item()));
  const partials = coefficients.map((_, k) => xs.map((x) => evaluateTaylor(coefficients.slice(0, k + 1), x0, x)));
  return { x0, coefficients, xs, f: values, partials };
}

/** What a Taylor chart shows and how it is labelled. */
export interface TaylorChartOptions {
  readonly title?: string;
  /** The partial sums drawn (default every degree from 1 up). */
  readonly degrees?: readonly number[];
  /** The variable's name, for the x axis and the legend (default `x`). */
  readonly variable?: string;
}

/**
 * An SVG chart of sampled Taylor plot data: f solid, each partial sum dashed, y limited to f's range
 * plus a margin so diverging polynomials leave the plot instead of flattening f.
 * @example writeFileSync('taylor.svg', taylorChart(taylorPlotData((x) => x.exp(), 0, 3), { variable: 't' }));
 */
export function taylorChart(data: TaylorPlotData, options: TaylorChartOptions = {}): string {
  const variable = options.variable ?? 'x';
  const finite = data.f.filter(Number.isFinite);
  const lo = finite.length > 0 ? Math.min(...finite) : -1;
  const hi = finite.length > 0 ? Math.max(...finite) : 1;
  const pad = Math.max((hi - lo) * 0.25, 1e-6);
  const degrees = options.degrees ?? data.partials.map((_, k) => k).filter((k) => k >= 1);
  return lineChart(
    [
      { name: `f(${variable})`, values: data.f, xs: data.xs, color: '#000000' },
      ...degrees.map((k) => ({ name: `degree ${k}`, values: data.partials[k] ?? [], xs: data.xs, dashed: true })),
    ],
    {
      title: options.title ?? `Taylor polynomials around ${variable}0 = ${data.x0}`,
      xLabel: variable,
      yLabel: 'y',
      yRange: [lo - pad, hi + pad],
      xRange: [data.xs[0] as number, data.xs[data.xs.length - 1] as number],
    },
  );
}

/**
 * An SVG chart of f and its partial Taylor polynomials around x0.
 * @example writeFileSync('taylor.svg', taylorSvg((x) => x.sin(), 0, 7, { range: [-6, 6] }));
 */
export function taylorSvg(
  f: ScalarFunction,
  x0: number,
  order: number,
  options: TaylorPlotOptions & TaylorChartOptions = {},
): string {
  return taylorChart(taylorPlotData(f, x0, order, options), options);
}
