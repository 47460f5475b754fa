/**
 * @file The one SVG chart module of optimgrad (inspect's plots and the demo's report use it): axes with
 * ticks (linear or log), axis labels, several series as polylines with a legend, and arrows. No chart
 * dependency; the output is a standalone `<svg>` string that browsers, GitHub READMEs and image viewers
 * render.
 */
import { formatNumber } from '@optimgrad/core';

/** One line of a chart. */
export interface Series {
  /** Its legend entry. */
  readonly name: string;
  /** y values; non-finite ones (and non-positive ones on a log axis) break the line. */
  readonly values: readonly number[];
  /** x of each value (default 0, 1, 2, …). */
  readonly xs?: readonly number[];
  readonly color?: string;
  /** Dashed stroke, e.g. for an approximation drawn over the exact curve. */
  readonly dashed?: boolean;
  /** Thin and translucent, e.g. noisy per-batch values under their running mean. */
  readonly faint?: boolean;
}

/** Titles, size and axes of a chart; every field is optional. */
export interface ChartOptions {
  /** Drawn above the plot and used as the SVG's `<title>`. */
  readonly title?: string;
  /** Text under the x axis. */
  readonly xLabel?: string;
  /** Text beside the y axis, rotated. */
  readonly yLabel?: string;
  /** Pixels (default 640 × 400), legend included. */
  readonly width?: number;
  readonly height?: number;
  /** Logarithmic y axis (non-positive values are left out); ticks at powers of ten, plus 2× and 5× over few decades. */
  readonly logY?: boolean;
  /** Fixed y range; values outside are clipped (the line breaks there). */
  readonly yRange?: readonly [number, number];
  /** Fixed x range (default: the data's). */
  readonly xRange?: readonly [number, number];
  /** Linear axis without `yRange`: widen the data's y range by this fraction of it on each side (default 0). */
  readonly yPadding?: number;
  /**
   * Tell series apart by more than colour: each gets its own dash pattern and marker shape (`SERIES_STYLES`),
   * drawn in the legend too. For charts with many similar lines, such as gradient norms per parameter.
   */
  readonly distinct?: boolean;
}

/** An arrow from (x, y) along (dx, dy), in data units. */
export interface Arrow {
  readonly x: number;
  readonly y: number;
  readonly dx: number;
  readonly dy: number;
  readonly color?: string;
}

/**
 * Colours for series, chosen to stay distinguishable for common colour-vision deficiencies.
 * @example lineChart([{ name: 'a', values: [1, 2], color: PALETTE[2] }])
 */
export const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#d55e00', '#56b4e9', '#f0e442', '#000000'];

/** Marker shapes of `distinct` series, in order. */
export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'triangle-down' | 'cross';

/**
 * Dash patterns and markers of `distinct` series: series k gets dash `k mod 4` and marker `k mod 6`, so two
 * series share both only 12 apart (and then their colours, 8 apart, differ).
 */
export const SERIES_STYLES: { readonly dashes: readonly (string | null)[]; readonly markers: readonly MarkerShape[] } =
  {
    dashes: [null, '7 3', '2 2', '9 3 2 3'],
    markers: ['circle', 'square', 'triangle', 'diamond', 'triangle-down', 'cross'],
  };

/** An SVG marker of `shape` centred at (x, y), about 7 px across. */
function marker(shape: MarkerShape, x: number, y: number, color: string): string {
  const r = 3.5;
  const at = (dx: number, dy: number) => `${(x + dx).toFixed(1)},${(y + dy).toFixed(1)}`;
  const fill = `fill="${color}" stroke="#ffffff" stroke-width="0.8"`;
  switch (shape) {
    case 'circle':
      return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r}" ${fill}/>`;
    case 'square':
      return `<rect x="${(x - r).toFixed(1)}" y="${(y - r).toFixed(1)}" width="${2 * r}" height="${2 * r}" ${fill}/>`;
    case 'triangle':
      return `<polygon points="${at(0, -r - 0.5)} ${at(r + 0.5, r)} ${at(-r - 0.5, r)}" ${fill}/>`;
    case 'triangle-down':
      return `<polygon points="${at(0, r + 0.5)} ${at(r + 0.5, -r)} ${at(-r - 0.5, -r)}" ${fill}/>`;
    case 'diamond':
      return `<polygon points="${at(0, -r - 1)} ${at(r + 1, 0)} ${at(0, r + 1)} ${at(-r - 1, 0)}" ${fill}/>`;
    case 'cross':
      return `<path d="M${at(-r, -r)}L${at(r, r)}M${at(-r, r)}L${at(r, -r)}" stroke="${color}" stroke-width="2" fill="none"/>`;
  }
}

/** At most this many markers per series, so a long series stays a line, not a row of shapes. */
const MARKERS_PER_SERIES = 8;

const MARGIN = { left: 64, right: 150, top: 36, bottom: 44 };

/**
 * Escapes text for use inside SVG/XML.
 * @example escapeXml('a < b') // 'a &lt; b'
 */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * About `count` round tick values covering [min, max].
 * @example niceTicks(0, 1) // [0, 0.2, 0.4, 0.6, 0.8, 1]
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** A tick label: 3 significant digits, exponent notation outside [0.001, 10000) so labels stay short. */
function fmt(v: number): string {
  return formatNumber(v, { digits: 3, plainRange: [1e-3, 1e4] });
}

/**
 * Tick values of a log axis spanning 10^low..10^high: the powers of ten, plus 2× and 5× when it spans
 * fewer than 2.5 decades, so a short axis still gets several labels.
 */
function logTicks(low: number, high: number): number[] {
  const ticks: number[] = [];
  const multiples = high - low < 2.5 ? [1, 2, 5] : [1];
  for (let k = Math.floor(low); k <= Math.ceil(high); k++) {
    for (const m of multiples) {
      const t = k + Math.log10(m);
      if (t >= low - 1e-9 && t <= high + 1e-9) ticks.push(Number((m * 10 ** k).toPrecision(12)));
    }
  }
  return ticks;
}

interface Frame {
  readonly width: number;
  readonly height: number;
  readonly sx: (x: number) => number;
  readonly sy: (y: number) => number;
  readonly parts: string[];
}

function finiteRange(values: readonly number[], fallback: readonly [number, number]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (lo > hi) return [fallback[0], fallback[1]];
  if (lo === hi) return [lo - 1, hi + 1];
  return [lo, hi];
}

/** Sets up scales, draws the frame, grid, ticks and labels. */
function frame(xDomain: readonly [number, number], yDomain: readonly [number, number], options: ChartOptions): Frame {
  const width = options.width ?? 640;
  const height = options.height ?? 400;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const logY = options.logY ?? false;
  const [x0, x1] = xDomain;
  const [y0, y1] = logY ? [Math.log10(yDomain[0]), Math.log10(yDomain[1])] : yDomain;
  const sx = (x: number) => MARGIN.left + ((x - x0) / (x1 - x0 || 1)) * plotW;
  const sy = (y: number) => MARGIN.top + plotH - (((logY ? Math.log10(y) : y) - y0) / (y1 - y0 || 1)) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    `<title>${escapeXml(options.title ?? 'chart')}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  const yTicks = logY ? logTicks(y0, y1) : niceTicks(y0, y1);
  for (const t of yTicks) {
    const y = sy(t).toFixed(1);
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${fmt(t)}</text>`);
  }
  for (const t of niceTicks(x0, x1)) {
    const x = sx(t).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#f0f0f0"/>`);
    parts.push(`<text x="${x}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${fmt(t)}</text>`);
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
  );
  if (options.title) {
    parts.push(
      `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(options.title)}</text>`,
    );
  }
  if (options.xLabel) {
    parts.push(
      `<text x="${MARGIN.left + plotW / 2}" y="${height - 8}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    );
  }
  if (options.yLabel) {
    const cy = MARGIN.top + plotH / 2;
    parts.push(
      `<text x="14" y="${cy}" text-anchor="middle" transform="rotate(-90 14 ${cy})">${escapeXml(options.yLabel)}</text>`,
    );
  }
  return { width, height, sx, sy, parts };
}

/**
 * A line chart of several series as a standalone SVG string.
 * @example lineChart([{ name: 'loss', values: [3, 2, 1.5] }], { title: 'Loss', logY: true })
 */
export function lineChart(series: readonly Series[], options: ChartOptions = {}): string {
  const logY = options.logY ?? false;
  const usable = (v: number) => Number.isFinite(v) && (!logY || v > 0);
  const xs = series.flatMap((s) => s.values.map((_, i) => s.xs?.[i] ?? i));
  const ys = series.flatMap((s) => s.values.filter(usable));
  const xDomain = options.xRange ?? finiteRange(xs, [0, 1]);
  let yDomain = options.yRange ?? finiteRange(ys, logY ? [0.1, 10] : [0, 1]);
  if (!logY && options.yRange === undefined && options.yPadding !== undefined) {
    const pad = (yDomain[1] - yDomain[0]) * options.yPadding;
    yDomain = [yDomain[0] - pad, yDomain[1] + pad];
  }
  if (logY && options.yRange === undefined) {
    yDomain = [10 ** Math.floor(Math.log10(yDomain[0])), 10 ** Math.ceil(Math.log10(yDomain[1]))];
    if (yDomain[0] === yDomain[1]) yDomain = [yDomain[0] / 10, yDomain[1] * 10];
  }
  const f = frame(xDomain, yDomain, { ...options, logY });
  const [lo, hi] = yDomain;
  const distinct = options.distinct ?? false;
  series.forEach((s, k) => {
    const color = s.color ?? (PALETTE[k % PALETTE.length] as string);
    const pattern = distinct ? SERIES_STYLES.dashes[k % SERIES_STYLES.dashes.length] : s.dashed ? '5 3' : null;
    const dash = pattern ? ` stroke-dasharray="${pattern}"` : '';
    const shape = distinct ? (SERIES_STYLES.markers[k % SERIES_STYLES.markers.length] as MarkerShape) : null;
    const weight = s.faint ? 'stroke-width="1" stroke-opacity="0.35"' : 'stroke-width="1.8"';
    let segment: string[] = [];
    const flush = () => {
      if (segment.length > 1) {
        f.parts.push(`<polyline fill="none" stroke="${color}" ${weight}${dash} points="${segment.join(' ')}"/>`);
      } else if (segment.length === 1 && shape === null) {
        const [x, y] = (segment[0] as string).split(',');
        f.parts.push(`<circle cx="${x}" cy="${y}" r="2" fill="${color}"/>`);
      }
      segment = [];
    };
    const drawn: [number, number][] = [];
    s.values.forEach((v, i) => {
      if (!usable(v) || v < lo || v > hi) {
        flush();
        return;
      }
      const point: [number, number] = [f.sx(s.xs?.[i] ?? i), f.sy(v)];
      drawn.push(point);
      segment.push(`${point[0].toFixed(1)},${point[1].toFixed(1)}`);
    });
    flush();
    if (shape !== null && drawn.length > 0) {
      // Evenly spaced markers, each series starting a little later, so lines that overlap still show all shapes.
      const stride = Math.max(1, Math.ceil(drawn.length / MARKERS_PER_SERIES));
      const start = Math.floor(((k % series.length) * stride) / Math.max(1, series.length));
      for (let i = start; i < drawn.length; i += stride) {
        const [x, y] = drawn[i] as [number, number];
        f.parts.push(marker(shape, x, y, color));
      }
    }
    const ly = MARGIN.top + 8 + k * 16;
    const lx = f.width - MARGIN.right + 12;
    const legendLength = shape === null ? 18 : 26;
    f.parts.push(
      `<line x1="${lx}" x2="${lx + legendLength}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`,
    );
    if (shape !== null) f.parts.push(marker(shape, lx + legendLength / 2, ly, color));
    f.parts.push(`<text x="${lx + legendLength + 6}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
  });
  f.parts.push('</svg>');
  return f.parts.join('\n');
}

/**
 * Arrows (a vector field) as a standalone SVG string; arrow lengths are in data units.
 * @example arrowChart([{ x: 0, y: 0, dx: 1, dy: 0 }], { xRange: [-1, 1], yRange: [-1, 1] })
 */
export function arrowChart(
  arrows: readonly Arrow[],
  options: ChartOptions & { readonly xRange: readonly [number, number]; readonly yRange: readonly [number, number] },
): string {
  const f = frame(options.xRange, options.yRange, { ...options, logY: false });
  f.parts.push(
    '<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>',
  );
  for (const a of arrows) {
    const x1 = f.sx(a.x);
    const y1 = f.sy(a.y);
    const x2 = f.sx(a.x + a.dx);
    const y2 = f.sy(a.y + a.dy);
    if (![x1, y1, x2, y2].every(Number.isFinite)) continue;
    f.parts.push(
      `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${a.color ?? '#0072b2'}" stroke-width="1.4" marker-end="url(#head)"/>`,
    );
  }
  f.parts.push('</svg>');
  return f.parts.join('\n');
}

const BARS = '▁▂▃▄▅▆▇█';

/**
 * A one-line sparkline of values (`▁▂▃▄▅▆▇█`), optionally on a log scale; non-finite values show as `!`.
 * @example sparkline([1, 2, 3]) // '▁▅█'
 */
export function sparkline(values: readonly number[], { log = false }: { log?: boolean } = {}): string {
  const map = (v: number) => (log ? (v > 0 ? Math.log10(v) : Number.NaN) : v);
  const mapped = values.map(map);
  const [lo, hi] = finiteRange(mapped, [0, 1]);
  return mapped
    .map((v, i) => {
      if (!Number.isFinite(values[i] as number)) return '!';
      if (!Number.isFinite(v)) return ' ';
      const level = hi > lo ? Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1)) : 0;
      return BARS[Math.min(BARS.length - 1, Math.max(0, level))];
    })
    .join('');
}
