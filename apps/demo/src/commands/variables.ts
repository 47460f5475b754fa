/**
 * @file Binds the variables of an expression to the `--name value` flags of a command, and reports
 * missing or extra ones in terms of what the user typed.
 */

import { type CompiledExpression, compileExpression } from '@optimgrad/shared';
import { parseNumber, parseRange, splitFreeArguments } from '../cli-args';
import { UsageError } from '../errors';

/** An expression and the raw value text for each of its variables. */
export interface BoundExpression {
  readonly expression: CompiledExpression;
  readonly raw: ReadonlyMap<string, string>;
}

/**
 * Reads the expression (the single positional argument) and one flag per variable.
 * @example bindExpression('explain', ['x*y', '--x', '2', '--y', '3']);
 */
export function bindExpression(command: string, args: readonly string[], example: string): BoundExpression {
  const { positionals, flags } = splitFreeArguments(args);
  if (positionals.length === 0) throw new UsageError(`${command}: missing expression; for example ${example}`);
  if (positionals.length > 1) {
    throw new UsageError(
      `${command}: expected one expression but got ${positionals.length} (${positionals.map((p) => `"${p}"`).join(', ')}); quote the expression`,
    );
  }
  const expression = compileExpression(positionals[0] as string);
  const missing = expression.variables.filter((name) => !flags.has(name));
  if (missing.length > 0) {
    throw new UsageError(
      `${command}: no value for ${missing.join(', ')}; pass ${missing.map((name) => `--${name} <value>`).join(' ')}`,
    );
  }
  const extra = [...flags.keys()].filter((name) => !expression.variables.includes(name));
  if (extra.length > 0) {
    const known = expression.variables.length > 0 ? expression.variables.join(', ') : 'none';
    throw new UsageError(
      `${command}: unknown option ${extra.map((name) => `--${name}`).join(', ')}; the expression's variables are ${known}`,
    );
  }
  return { expression, raw: flags };
}

/**
 * The numeric value of each variable (`--x 2`).
 * @example pointValues(bound); // Map { 'x' => 2, 'y' => 3 }
 */
export function pointValues(bound: BoundExpression): Map<string, number> {
  return new Map([...bound.raw].map(([name, text]) => [name, parseNumber(`--${name}`, text)]));
}

/**
 * The range of each variable (`--x -1,1`); a single number is a point range.
 * @example rangeValues(bound); // Map { 'x' => [-1, 1] }
 */
export function rangeValues(bound: BoundExpression): Map<string, [number, number]> {
  return new Map(
    [...bound.raw].map(([name, text]): [string, [number, number]] => {
      if (!text.includes(',')) {
        const value = parseNumber(`--${name}`, text);
        return [name, [value, value]];
      }
      return [name, parseRange(`--${name}`, text)];
    }),
  );
}
