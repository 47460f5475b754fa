import { tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import {
  evaluateTaylor,
  gradientField,
  gradientFieldSvg,
  taylor,
  taylorChart,
  taylorPlotData,
  taylorSvg,
} from '../src/index';

const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));

function expectCoefficients(actual: number[], expected: number[], tolerance = 1e-12): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, k) => {
    const want = expected[k] as number;
    expect(Math.abs(v - want)).toBeLessThanOrEqual(tolerance * (1 + Math.abs(want)));
  });
}

describe('taylor', () => {
  it('gives 1/k! for exp at 0 and e/k! at 1', () => {
    expectCoefficients(
      taylor((x) => x.exp(), 0, 6),
      [0, 1, 2, 3, 4, 5, 6].map((k) => 1 / factorial(k)),
    );
    expectCoefficients(
      taylor((x) => x.exp(), 1, 4),
      [0, 1, 2, 3, 4].map((k) => Math.E / factorial(k)),
    );
  });

  it('gives the alternating odd series of sin and the shifted series at π/2', () => {
    expectCoefficients(
      taylor((x) => x.sin(), 0, 7),
      [0, 1, 0, -1 / 6, 0, 1 / 120, 0, -1 / 5040],
    );
    expectCoefficients(
      taylor((x) => x.sin(), Math.PI / 2, 4),
      [1, 0, -1 / 2, 0, 1 / 24],
      1e-12,
    );
  });

  it('gives (-1)^(k+1)/k for log(1+x) and 1 for every k of 1/(1-x)', () => {
    expectCoefficients(
      taylor((x) => x.add(1).log(), 0, 6),
      [0, 1, -1 / 2, 1 / 3, -1 / 4, 1 / 5, -1 / 6],
    );
    expectCoefficients(
      taylor((x) => x.log1p(), 0, 3),
      [0, 1, -1 / 2, 1 / 3],
    );
    expectCoefficients(
      taylor((x) => x.neg().add(1).reciprocal(), 0, 6),
      [1, 1, 1, 1, 1, 1, 1],
    );
    // 1/(1-x) around 0.5: f^(k)(x)/k! = 1/(1-x)^(k+1) = 2^(k+1).
    expectCoefficients(
      taylor((x) => x.rsub(1).pow(-1), 0.5, 4),
      [2, 4, 8, 16, 32],
    );
  });

  it('stops at the degree of a polynomial: higher coefficients are exactly 0', () => {
    expect(taylor((x) => x.pow(3).mul(2).add(x), 1, 5)).toEqual([3, 7, 6, 2, 0, 0]);
  });

  it('rejects a negative order and non-scalar outputs', () => {
    expect(() => taylor((x) => x, 0, -1)).toThrow(/order must be a non-negative integer/);
    expect(() => taylor((x) => x.expand(2), 0, 1)).toThrow(/single-element tensor, got shape \[2\]/);
  });
});

describe('taylorPlotData and taylorSvg', () => {
  it('samples f and partial sums that converge to f near x0', () => {
    const data = taylorPlotData((x) => x.exp(), 0, 8, { range: [-1, 1], points: 21 });
    expect(data.xs).toHaveLength(21);
    expect(data.partials).toHaveLength(9);
    const i = 15; // x = 0.5
    expect(data.xs[i]).toBeCloseTo(0.5, 12);
    const errors = data.partials.map((p) => Math.abs((p[i] as number) - Math.exp(0.5)));
    for (let k = 1; k < errors.length; k++) expect(errors[k]).toBeLessThan(errors[k - 1] as number);
    expect(errors[8]).toBeLessThan(1e-7);
    expect(evaluateTaylor([1, 2, 3], 1, 2)).toBe(6);
  });

  it('draws f and each partial polynomial as SVG lines with a legend', () => {
    const svg = taylorSvg((x) => x.sin(), 0, 5, { range: [-4, 4] });
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    for (const label of ['f(x)', 'degree 1', 'degree 5']) expect(svg).toContain(`>${label}<`);
  });

  it('names the variable on the axis and in the legend with taylorChart', () => {
    const svg = taylorChart(
      taylorPlotData((t) => t.exp(), 0, 2),
      { variable: 't', degrees: [2] },
    );
    for (const label of ['f(t)', 'degree 2', 'Taylor polynomials around t0 = 0']) expect(svg).toContain(`>${label}<`);
    expect(svg).not.toContain('>degree 1<');
    expect(svg.match(/<polyline/g)).toHaveLength(2);
  });
});

describe('gradientField', () => {
  it('samples the gradient of x² + 3xy on a grid', () => {
    const points = gradientField((x, y) => x.square().add(x.mul(y).mul(3)), { xRange: [-1, 1], yRange: [0, 2], n: 3 });
    expect(points).toHaveLength(9);
    for (const p of points) {
      expect(p.value).toBeCloseTo(p.x * p.x + 3 * p.x * p.y, 12);
      expect(p.dx).toBeCloseTo(2 * p.x + 3 * p.y, 12);
      expect(p.dy).toBeCloseTo(3 * p.x, 12);
    }
  });

  it('gives a zero derivative for a variable f does not use, and for a constant f', () => {
    const [p] = gradientField((x) => x.square(), { n: 2 });
    expect(p).toEqual({ x: -2, y: -2, value: 4, dx: -4, dy: 0 });
    const constant = gradientField(() => tensor(3, { dtype: 'float64' }), { n: 2 });
    expect(constant.map((q) => [q.value, q.dx, q.dy])).toEqual([
      [3, 0, 0],
      [3, 0, 0],
      [3, 0, 0],
      [3, 0, 0],
    ]);
    expect(() => gradientField((x) => x.expand(2), { n: 2 })).toThrow(
      'gradientField: f must return a single-element tensor, got shape [2]',
    );
  });

  it('draws one arrow per grid point with a non-zero gradient', () => {
    const svg = gradientFieldSvg((x, y) => x.sin().mul(y.cos()), { n: 6, descent: true });
    expect(svg.match(/<line [^>]*marker-end/g)?.length).toBe(36);
    expect(svg).toContain('descent');
  });
});
