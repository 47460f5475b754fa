/**
 * @file A tiny self-contained SVG line chart (axes, ticks, polylines, legend, optional log y axis) for
 * the report's loss, accuracy and gradient-norm curves, so the report needs no chart library.
 */

/** One named curve. */
export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  /** Dashed stroke, e.g. for a reference curve. */
  readonly dashed?: boolean;
  /** Drawn thin and translucent, e.g. noisy per-batch values under their average. */
  readonly faint?: boolean;
}

/** What to draw. */
export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly logY?: boolean;
  /** Clip the y axis to this range (points outside are clamped to the edge). */
  readonly yRange?: readonly [number, number];
  readonly width?: number;
  readonly height?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f'];

/**
 * Escapes text for SVG/HTML.
 * @example escapeXml('a < b'); // 'a &lt; b'
 */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function extent(values: readonly number[]): [number, number] {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return values.length > 0 ? [low, high] : [0, 1];
}

function niceTicks(low: number, high: number, count: number): number[] {
  if (low === high) return [low];
  const raw = (high - low) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** Tick positions (log10 of the value) for a log axis: the powers of ten, plus 2× and 5× when few. */
function logTicks(low: number, high: number): number[] {
  const ticks: number[] = [];
  for (let k = Math.floor(low); k <= Math.ceil(high); k++) {
    for (const m of high - low < 2.5 ? [1, 2, 5] : [1]) {
      const t = k + Math.log10(m);
      if (t >= low && t <= high) ticks.push(t);
    }
  }
  return ticks;
}

function formatTick(value: number, log: boolean): string {
  if (log) {
    const exponent = Math.floor(value + 1e-9);
    const mantissa = Math.round(10 ** (value - exponent));
    return exponent >= -2 && exponent <= 3
      ? String(Number((mantissa * 10 ** exponent).toPrecision(3)))
      : `${mantissa}e${exponent}`;
  }
  if (value !== 0 && (Math.abs(value) >= 1e4 || Math.abs(value) < 1e-3)) return value.toExponential(0);
  return String(Number(value.toPrecision(4)));
}

/**
 * Renders curves as a standalone SVG document string.
 * @example lineChartSvg({ title: 'loss', xLabel: 'step', yLabel: 'loss', series: [{ name: 'train', points: [[0, 1], [1, 0.5]] }] });
 */
export function lineChartSvg(options: LineChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const margin = { left: 64, right: 150, top: 36, bottom: 48 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const log = options.logY === true;
  const transformY = (y: number) => (log ? Math.log10(Math.max(y, 1e-30)) : y);
  const all = options.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => transformY(y));
  let [xLow, xHigh] = extent(xs);
  let [yLow, yHigh] = options.yRange ? [transformY(options.yRange[0]), transformY(options.yRange[1])] : extent(ys);
  if (xLow === xHigh) [xLow, xHigh] = [xLow - 1, xHigh + 1];
  if (yLow === yHigh) [yLow, yHigh] = [yLow - 1, yHigh + 1];
  if (!options.yRange) {
    const pad = (yHigh - yLow) * 0.05;
    [yLow, yHigh] = [yLow - pad, yHigh + pad];
  }
  const px = (x: number) => margin.left + ((x - xLow) / (xHigh - xLow)) * plotWidth;
  const py = (y: number) => {
    const clamped = Math.min(yHigh, Math.max(yLow, transformY(y)));
    return margin.top + (1 - (clamped - yLow) / (yHigh - yLow)) * plotHeight;
  };
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(options.title)}</text>`,
  ];
  for (const tick of niceTicks(xLow, xHigh, 6)) {
    const x = px(tick).toFixed(1);
    parts.push(
      `<line x1="${x}" y1="${margin.top}" x2="${x}" y2="${margin.top + plotHeight}" stroke="#eee"/>`,
      `<text x="${x}" y="${margin.top + plotHeight + 16}" text-anchor="middle">${formatTick(tick, false)}</text>`,
    );
  }
  const yTicks = log ? logTicks(yLow, yHigh) : niceTicks(yLow, yHigh, 6);
  for (const tick of yTicks) {
    const y = (margin.top + (1 - (tick - yLow) / (yHigh - yLow)) * plotHeight).toFixed(1);
    parts.push(
      `<line x1="${margin.left}" y1="${y}" x2="${margin.left + plotWidth}" y2="${y}" stroke="#eee"/>`,
      `<text x="${margin.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatTick(tick, log)}</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(16 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}${log ? ' (log scale)' : ''}</text>`,
  );
  options.series.forEach((series, index) => {
    const color = PALETTE[index % PALETTE.length] as string;
    const points = series.points
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
      .map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`)
      .join(' ');
    const dash = series.dashed ? ' stroke-dasharray="5 3"' : '';
    const weight = series.faint ? 'stroke-width="1" stroke-opacity="0.35"' : 'stroke-width="1.6"';
    parts.push(`<polyline fill="none" stroke="${color}" ${weight}${dash} points="${points}"/>`);
    const legendY = margin.top + 8 + index * 16;
    parts.push(
      `<line x1="${margin.left + plotWidth + 10}" y1="${legendY}" x2="${margin.left + plotWidth + 28}" y2="${legendY}" stroke="${color}" stroke-width="2"${dash}/>`,
      `<text x="${margin.left + plotWidth + 32}" y="${legendY}" dominant-baseline="middle">${escapeXml(series.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
