/**
 * @file The gradient field of a function of two variables: samples on a grid with the gradient at
 * each point (core's `vjp`, in float64: zero for a variable f does not use), and an SVG of arrows
 * scaled to the grid spacing.
 */
import { formatShape, type Tensor, tensor, vjp } from '@optimgrad/core';
import { arrowChart } from '../svg/chart';

/** A scalar function of two scalar tensors. */
export type Function2D = (x: Tensor, y: Tensor) => Tensor;

/** One grid point: position, value and gradient. */
export interface FieldPoint {
  readonly x: number;
  readonly y: number;
  readonly value: number;
  readonly dx: number;
  readonly dy: number;
}

export interface GradientFieldOptions {
  readonly xRange?: readonly [number, number];
  readonly yRange?: readonly [number, number];
  /** Grid points per axis (default 15). */
  readonly n?: number;
}

/**
 * Samples f on an n×n grid with its gradient (∂f/∂x, ∂f/∂y) at every point.
 * @example gradientField((x, y) => x.square().add(y.square()), { n: 5 })[0] // { x: -2, y: -2, value: 8, dx: -4, dy: -4 }
 */
export function gradientField(
  f: Function2D,
  { xRange = [-2, 2], yRange = [-2, 2], n = 15 }: GradientFieldOptions = {},
): FieldPoint[] {
  if (!Number.isInteger(n) || n < 2) throw new Error(`gradientField: n must be an integer >= 2, got ${n}`);
  const scalar = (x: Tensor, y: Tensor): Tensor => {
    const out = f(x, y);
    if (out.size !== 1) {
      throw new Error(`gradientField: f must return a single-element tensor, got shape ${formatShape(out.shape)}`);
    }
    return out;
  };
  const points: FieldPoint[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const xv = xRange[0] + ((xRange[1] - xRange[0]) * i) / (n - 1);
      const yv = yRange[0] + ((yRange[1] - yRange[0]) * j) / (n - 1);
      const at = [tensor(xv, { dtype: 'float64' }), tensor(yv, { dtype: 'float64' })];
      const [value, [dx, dy]] = vjp(scalar, at);
      points.push({ x: xv, y: yv, value: value.item(), dx: (dx as Tensor).item(), dy: (dy as Tensor).item() });
    }
  }
  return points;
}

/**
 * An SVG of the gradient field as arrows (longest arrow = one grid cell; colour darkens with magnitude).
 * @example writeFileSync('field.svg', gradientFieldSvg((x, y) => x.sin().mul(y.cos())));
 */
export function gradientFieldSvg(
  f: Function2D,
  options: GradientFieldOptions & { readonly title?: string; readonly descent?: boolean } = {},
): string {
  const xRange = options.xRange ?? [-2, 2];
  const yRange = options.yRange ?? [-2, 2];
  const n = options.n ?? 15;
  const points = gradientField(f, { xRange, yRange, n });
  const largest = Math.max(...points.map((p) => Math.hypot(p.dx, p.dy)).filter(Number.isFinite), 1e-300);
  const cell = Math.min(xRange[1] - xRange[0], yRange[1] - yRange[0]) / (n - 1);
  const sign = options.descent ? -1 : 1;
  const arrows = points.map((p) => {
    const m = Math.hypot(p.dx, p.dy) / largest;
    const light = Math.round(200 * (1 - m)); // 200 (pale) for short arrows down to 0 (dark blue) for the longest
    return {
      x: p.x,
      y: p.y,
      dx: (sign * p.dx * 0.9 * cell) / largest,
      dy: (sign * p.dy * 0.9 * cell) / largest,
      color: `rgb(${light}, ${Math.round(60 + light * 0.8)}, 200)`,
    };
  });
  const pad = cell;
  return arrowChart(arrows, {
    title: options.title ?? (options.descent ? 'Negative gradient field (descent directions)' : 'Gradient field'),
    xLabel: 'x',
    yLabel: 'y',
    xRange: [xRange[0] - pad, xRange[1] + pad],
    yRange: [yRange[0] - pad, yRange[1] + pad],
  });
}
