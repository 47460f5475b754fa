/** @file The SVG chart helpers: what a chart draws for given series, checked on the SVG text. */
import { describe, expect, it } from 'vitest';
import { escapeXml, gradientNormChart, lineChart, niceTicks, SERIES_STYLES, sparkline } from '../src/index';

/** The text of every `<text>` element, in order. */
function labels(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] as string);
}

describe('lineChart', () => {
  it('draws one polyline per series, a legend entry each, and escaped titles and labels', () => {
    const svg = lineChart(
      [
        { name: 'a', values: [1, 0.1, 0.01] },
        { name: 'b <ref>', values: [2, 0.5], xs: [0, 2], dashed: true },
      ],
      { title: 'loss <train>', xLabel: 'step', yLabel: 'loss (log scale)', logY: true },
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/stroke-dasharray="5 3"/g)).toHaveLength(2); // the dashed line and its legend entry
    expect(labels(svg)).toEqual(
      expect.arrayContaining(['loss &lt;train&gt;', 'step', 'loss (log scale)', 'a', 'b &lt;ref&gt;']),
    );
  });

  it('labels a log axis with powers of ten, adding 2 and 5 when it spans few decades', () => {
    // 0.3 .. 2 rounds out to the decades 0.1 .. 10: two decades, so 1-2-5 ticks.
    const few = labels(lineChart([{ name: 'a', values: [2, 0.3] }], { logY: true }));
    for (const label of ['0.1', '0.2', '0.5', '1', '2', '5', '10']) expect(few).toContain(label);
    // 1e-4 .. 1: four decades, powers of ten only.
    const many = labels(lineChart([{ name: 'a', values: [1, 1e-4] }], { logY: true }));
    expect(many).toEqual(expect.arrayContaining(['1e-4', '0.001', '0.01', '0.1', '1']));
    expect(many).not.toContain('0.02');
  });

  it('tells distinct series apart by dash pattern and marker, in the lines and in the legend', () => {
    const series = Array.from({ length: 6 }, (_, k) => ({ name: `p${k}`, values: [1 + k, 2 + k, 3 + k] }));
    const svg = lineChart(series, { distinct: true });
    const dashes = [...svg.matchAll(/<polyline[^>]*?(?: stroke-dasharray="([^"]+)")? points=/g)].map(
      (m) => m[1] ?? null,
    );
    expect(dashes).toEqual([0, 1, 2, 3, 4, 5].map((k) => SERIES_STYLES.dashes[k % SERIES_STYLES.dashes.length]));
    // Each legend entry is a line with the series' dash pattern and its marker on it.
    const legend = [...svg.matchAll(/<line x1="(\d+)"[^>]*stroke-width="2"( stroke-dasharray="[^"]+")?\/>\n(<\w+)/g)];
    expect(legend).toHaveLength(6);
    expect(legend.map((m) => m[3])).toEqual(['<circle', '<rect', '<polygon', '<polygon', '<polygon', '<path']);
    expect(new Set(legend.map((m) => m[2] ?? 'solid')).size).toBe(4);
    // Markers on the lines too: three points each, one shape per series.
    expect(svg.match(/<circle [^>]*fill="#0072b2" stroke="#ffffff"/g)?.length).toBeGreaterThan(1);
    // Without the option a chart looks as before.
    expect(lineChart(series)).not.toContain('stroke="#ffffff"');
  });

  it('draws the gradient-flow chart with distinct series', () => {
    const svg = gradientNormChart({ 'fc.weight': [1, 0.5, 0.2], 'fc.bias': [0.9, 0.45, 0.25] });
    expect(svg).toContain(`stroke-dasharray="${SERIES_STYLES.dashes[1]}"`);
    expect(svg).toMatch(/<rect x="[\d.]+" y="[\d.]+" width="7" height="7" fill="#e69f00"/);
  });

  it('draws a faint series thin and translucent', () => {
    const svg = lineChart([{ name: 'batch', values: [3, 2, 1], faint: true }]);
    expect(svg).toContain('<polyline fill="none" stroke="#0072b2" stroke-width="1" stroke-opacity="0.35"');
  });

  it('puts the data at the scaled positions, padding a linear y range when asked', () => {
    // Default plot area: x from 64 to 640 - 150 = 490, y from 36 to 400 - 44 = 356.
    const exact = lineChart([{ name: 'a', values: [0, 1] }]);
    expect(exact).toContain('points="64.0,356.0 490.0,36.0"');
    // 10% of the range 0..1 on each side: y spans -0.1..1.1, so 0 sits at 356 - 320 / 12 = 329.3.
    const padded = lineChart([{ name: 'a', values: [0, 1] }], { yPadding: 0.1 });
    expect(padded).toContain('points="64.0,329.3 490.0,62.7"');
  });

  it('breaks a line at values outside a fixed y range', () => {
    const svg = lineChart([{ name: 'a', values: [0, 0.5, 5, 0.5, 0] }], { yRange: [0, 1] });
    expect(svg.match(/<polyline/g)).toHaveLength(2);
  });
});

describe('chart helpers', () => {
  it('picks round ticks', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 10, 4)).toEqual([0, 2.5, 5, 7.5, 10]);
  });

  it('escapes XML and draws sparklines', () => {
    expect(escapeXml('a < b & "c"')).toBe('a &lt; b &amp; &quot;c&quot;');
    expect(sparkline([1, 2, 3])).toBe('▁▅█');
    // One finite value sits mid-scale (its range is widened to value ± 1); NaN shows as '!'.
    expect(sparkline([1, Number.NaN])).toBe('▅!');
  });
});
