/**
 * @file `taylor "<expression>" --at 0 --order 5`: Taylor coefficients f⁽ᵏ⁾(x0)/k! of a one-variable
 * expression from true higher-order derivatives (inspect's `taylor`, built on repeated `grad` with
 * `createGraph`), printed with the polynomial, and a plot of f against its partial sums as SVG.
 */
import type { Tensor } from '@optimgrad/core';
import { taylorChart, taylorPlotData } from '@optimgrad/inspect';
import { compileExpression } from '@optimgrad/shared';
import { UsageError } from '../errors';
import { ensureOutputDir, formatNumber, type Print, writeReportFile } from '../terminal/output';

/** Options of the taylor command. */
export interface TaylorOptions {
  readonly at: number;
  readonly order: number;
  /** Half-width of the plotted interval around `at`. */
  readonly radius: number;
  readonly out: string;
}

/**
 * Writes a polynomial with the given coefficients around x0, e.g. `1 + x + 0.5 x^2`.
 * @example polynomialText([1, 1, 0.5], 0, 'x'); // '1 + x + 0.5·x^2'
 */
export function polynomialText(coefficients: readonly number[], x0: number, variable: string): string {
  const base = x0 === 0 ? variable : `(${variable} ${x0 > 0 ? '-' : '+'} ${formatNumber(Math.abs(x0))})`;
  const terms: string[] = [];
  coefficients.forEach((c, k) => {
    if (Math.abs(c) < 1e-12) return;
    const power = k === 0 ? '' : k === 1 ? base : `${base}^${k}`;
    const magnitude = Math.abs(c);
    const factor = k > 0 && Math.abs(magnitude - 1) < 1e-12 ? '' : formatNumber(magnitude);
    const body = factor && power ? `${factor}·${power}` : factor || power;
    terms.push(terms.length === 0 ? (c < 0 ? `-${body}` : body) : `${c < 0 ? '-' : '+'} ${body}`);
  });
  return terms.length === 0 ? '0' : terms.join(' ');
}

/**
 * Runs `taylor` on a raw expression argument.
 * @example runTaylor('exp(x)', { at: 0, order: 4, radius: 2, out: 'report' }, console.log);
 */
export function runTaylor(source: string, options: TaylorOptions, print: Print): void {
  const expression = compileExpression(source);
  ensureOutputDir(options.out);
  if (expression.variables.length > 1) {
    throw new UsageError(
      `taylor: "${source}" has ${expression.variables.length} variables (${expression.variables.join(', ')}); use an expression of one variable`,
    );
  }
  const variable = expression.variables[0] ?? 'x';
  const f = (x: Tensor) => expression.evaluate({ [variable]: x });
  // 161 samples keep the curves smooth over the plotted interval.
  const data = taylorPlotData(f, options.at, options.order, {
    range: [options.at - options.radius, options.at + options.radius],
    points: 161,
  });
  const { coefficients } = data;
  if (coefficients.some((c) => !Number.isFinite(c))) {
    throw new UsageError(
      `taylor: "${source}" is not differentiable ${options.order} times at ${variable} = ${options.at}`,
    );
  }
  print(
    `Taylor series of f(${variable}) = ${source} around ${variable} = ${formatNumber(options.at)}, order ${options.order}`,
  );
  print('  k   f^(k)(x0)/k!');
  coefficients.forEach((c, k) => {
    print(`  ${String(k).padStart(2)}  ${formatNumber(c, 10)}`);
  });
  print(`polynomial: ${polynomialText(coefficients, options.at, variable)}`);
  const svg = taylorChart(data, {
    title: `Taylor polynomials of ${source} around ${variable} = ${formatNumber(options.at)}`,
    variable,
  });
  const path = writeReportFile(options.out, 'taylor.svg', svg);
  print(`plot: ${path}`);
}
