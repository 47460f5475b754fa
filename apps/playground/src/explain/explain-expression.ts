/**
 * @file The Explain tab's computation, without the DOM: compile the expression (the parser shared with
 * the demo's `explain`), evaluate it at the given values, run backward, and collect the value, each
 * gradient, inspect's chain-rule walkthrough and gradient paths. Any problem comes back as a message
 * and, for a syntax error, the position to point at; it is never thrown to the page.
 */
import { formatNumber, type Tensor, tensor } from '@optimgrad/core';
import { chainRuleWalkthrough, explainGradientPaths } from '@optimgrad/inspect';
import { compileExpression, ExpressionError } from '@optimgrad/shared';

/** A successful explanation. */
export interface Explanation {
  readonly ok: true;
  readonly variables: readonly string[];
  readonly value: number;
  readonly gradients: Readonly<Record<string, number>>;
  readonly walkthrough: string;
  readonly paths: Readonly<Record<string, string>>;
  /** Set when there is no chain rule to show (a constant, or a bare variable). */
  readonly note: string | null;
  /** The output and its leaves, for drawing the graph. */
  readonly output: Tensor;
  readonly leaves: Readonly<Record<string, Tensor>>;
}

/** A failed one: what went wrong and, when known, where in the text. */
export interface ExplainFailure {
  readonly ok: false;
  readonly message: string;
  readonly position: number | null;
  /** The variables found before the failure (empty when the text does not parse). */
  readonly variables: readonly string[];
}

/**
 * The variables of an expression, or null when it does not parse (the page then keeps the value inputs it shows).
 * @example variablesOf('x*y + x^2'); // ['x', 'y']
 */
export function variablesOf(source: string): readonly string[] | null {
  try {
    return compileExpression(source).variables;
  } catch {
    return null;
  }
}

/**
 * Explains `source` at `values`; never throws.
 * @example explainExpression('x*y + x^2', { x: 2, y: 3 }); // { ok: true, value: 10, gradients: { x: 7, y: 2 }, … }
 */
export function explainExpression(
  source: string,
  values: Readonly<Record<string, number | undefined>>,
): Explanation | ExplainFailure {
  let variables: readonly string[] = [];
  try {
    const expression = compileExpression(source);
    variables = expression.variables;
    const leaves: Record<string, Tensor> = {};
    for (const name of variables) {
      const value = values[name];
      if (value === undefined || !Number.isFinite(value)) {
        return { ok: false, message: `give ${name} a finite value`, position: null, variables };
      }
      leaves[name] = tensor(value, { dtype: 'float64', requiresGrad: true });
    }
    const output = expression.evaluate(leaves);
    const value = output.item();
    const gradients: Record<string, number> = {};
    const paths: Record<string, string> = {};
    let walkthrough = '';
    let note: string | null = null;
    if (variables.length === 0 || !output.requiresGrad) {
      note = 'the expression does not depend on any variable, so every gradient is 0';
    } else if (output.gradFn === null) {
      note = `the expression is the variable ${variables[0]} itself: its gradient is 1 and there is no chain rule to apply`;
    } else {
      walkthrough = chainRuleWalkthrough(output, { params: leaves }).toString();
      for (const name of variables) paths[name] = explainGradientPaths(output, leaves[name] as Tensor).toString();
      output.backward(undefined, { retainGraph: true });
    }
    for (const name of variables) {
      const leaf = leaves[name] as Tensor;
      gradients[name] = leaf === output ? 1 : (leaf.grad?.item() ?? 0);
    }
    return { ok: true, variables, value, gradients, walkthrough, paths, note, output, leaves };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = error instanceof ExpressionError ? (error.position ?? null) : null;
    return { ok: false, message, position, variables };
  }
}

/**
 * A number as the page prints it (core's formatter, ten significant digits).
 * @example formatValue(7); // '7'
 */
export function formatValue(value: number): string {
  return formatNumber(value, { digits: 10 });
}
