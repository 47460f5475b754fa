/**
 * @file `explain "<expression>" --x 2 --y 3`: evaluates the expression as an optimgrad graph, runs
 * backward, and prints the value, each gradient, the chain rule step by step and every gradient path
 * (the original engine's Quick Start, explained), then writes the graph as SVG.
 */
import { type Tensor, tensor } from '@optimgrad/core';
import { chainRuleWalkthrough, explainGradientPaths, toSvg } from '@optimgrad/inspect';
import { UsageError } from '../errors';
import { ensureOutputDir, formatNumber, type Print, writeReportFile } from '../terminal/output';
import { bindExpression, pointValues } from './variables';

/** Options of the explain command. */
export interface ExplainOptions {
  readonly out: string;
}

/**
 * Runs `explain` on raw arguments (expression and variable flags).
 * @example await runExplain(['x*y + x^2', '--x', '2', '--y', '3'], { out: 'report' }, console.log);
 */
export async function runExplain(args: readonly string[], options: ExplainOptions, print: Print): Promise<void> {
  const bound = bindExpression('explain', args, 'explain "x*y + x^2" --x 2 --y 3');
  ensureOutputDir(options.out);
  const { expression } = bound;
  if (expression.variables.length === 0) {
    throw new UsageError(
      `explain: "${expression.source}" has no variables, so there is nothing to differentiate; try "x*y + x^2"`,
    );
  }
  const values = pointValues(bound);
  const leaves: Record<string, Tensor> = {};
  for (const name of expression.variables) {
    leaves[name] = tensor(values.get(name) as number, { dtype: 'float64', requiresGrad: true });
  }
  const output = expression.evaluate(leaves);
  const at = expression.variables.map((name) => `${name} = ${formatNumber(values.get(name) as number)}`).join(', ');
  print(`f(${expression.variables.join(', ')}) = ${expression.source}   at ${at}`);
  print(`value: f = ${formatNumber(output.item(), 10)}`);
  if (!output.requiresGrad) {
    print('the expression does not depend on its variables, so every gradient is 0');
    return;
  }
  if (output.gradFn === null) {
    print(
      `the expression is the variable ${expression.variables[0]} itself, so its gradient is 1 and there is no chain rule to apply`,
    );
    return;
  }
  const walkthrough = chainRuleWalkthrough(output, { params: leaves });
  const paths = expression.variables.map((name) => explainGradientPaths(output, leaves[name] as Tensor));
  output.backward(undefined, { retainGraph: true });
  print('');
  print('gradients:');
  for (const name of expression.variables) {
    const gradient = (leaves[name] as Tensor).grad;
    print(`  df/d${name} = ${gradient === null ? '0' : formatNumber(gradient.item(), 10)}`);
  }
  print('');
  print('chain rule, step by step (in the order backward runs):');
  for (const line of walkthrough.toString().split('\n')) print(`  ${line}`);
  print('');
  print('gradient paths (product of local derivatives along each path; their sum is the gradient):');
  expression.variables.forEach((name, index) => {
    print(`  to ${name}:`);
    for (const line of (paths[index] as ReturnType<typeof explainGradientPaths>).toString().split('\n'))
      print(`    ${line}`);
  });
  const svg = await toSvg(output, { params: leaves });
  const path = writeReportFile(options.out, 'explain-graph.svg', svg);
  print('');
  print(`graph: ${path}`);
}
