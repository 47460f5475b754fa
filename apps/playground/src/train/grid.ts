/**
 * @file The input plane the page draws: a box around the data, and the grid of points at which the
 * network's class probabilities are evaluated for the decision-boundary heat map.
 */

/** A box in the input plane. */
export interface Box {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

/**
 * A square box around every point, 15% wider than the data on each side, so the boundary shows beyond it.
 * @example domainOf([0, 0, 1, 1]); // { x0: -0.15, x1: 1.15, y0: -0.15, y1: 1.15 }
 */
export function domainOf(points: readonly number[]): Box {
  let x0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = points[i] as number;
    const y = points[i + 1] as number;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  if (!(x0 <= x1 && y0 <= y1)) return { x0: -1, x1: 1, y0: -1, y1: 1 };
  // Square, so distances look the same in both directions.
  const half = Math.max(x1 - x0, y1 - y0, 1e-3) / 2;
  const pad = half * 0.15;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return { x0: cx - half - pad, x1: cx + half + pad, y0: cy - half - pad, y1: cy + half + pad };
}

/**
 * The centres of a `size` × `size` grid over the box, row by row from the top (largest y), as `x, y` pairs.
 * @example gridPoints({ x0: 0, x1: 2, y0: 0, y1: 2 }, 2); // [0.5, 1.5, 1.5, 1.5, 0.5, 0.5, 1.5, 0.5]
 */
export function gridPoints(box: Box, size: number): number[] {
  const points: number[] = [];
  for (let row = 0; row < size; row++) {
    const y = box.y1 - ((row + 0.5) / size) * (box.y1 - box.y0);
    for (let column = 0; column < size; column++) {
      points.push(box.x0 + ((column + 0.5) / size) * (box.x1 - box.x0), y);
    }
  }
  return points;
}
