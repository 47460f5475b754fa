/**
 * @file Parsing and checking flag values (numbers, lists, ranges) and free-form variable flags such
 * as `--x 2 --y 3`, so every command reports a bad value the same way: which flag, what was given,
 * what is expected.
 */
import { UsageError } from './errors';

/**
 * Parses a finite number, or throws a `UsageError` naming the flag.
 * @example parseNumber('--lr', '0.01'); // 0.01
 */
export function parseNumber(flag: string, text: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) {
    throw new UsageError(`${flag}: "${text}" is not a number; pass a finite number such as 0.5`);
  }
  return value;
}

/**
 * Parses an integer at least `min` (and at most `max`), or throws a `UsageError` naming the flag.
 * @example parseInteger('--epochs', '5', 1, 1000); // 5
 */
export function parseInteger(flag: string, text: string, min: number, max = Number.POSITIVE_INFINITY): number {
  const value = parseNumber(flag, text);
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.POSITIVE_INFINITY ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`${flag}: "${text}" must be an integer ${range}`);
  }
  return value;
}

/**
 * Parses a positive number, or throws a `UsageError` naming the flag.
 * @example parsePositive('--lr', '1e-3'); // 0.001
 */
export function parsePositive(flag: string, text: string): number {
  const value = parseNumber(flag, text);
  if (value <= 0) throw new UsageError(`${flag}: "${text}" must be greater than 0`);
  return value;
}

/**
 * Parses a comma-separated list of positive integers (layer sizes), or throws a `UsageError`.
 * @example parseIntegerList('--hidden', '128,64'); // [128, 64]
 */
export function parseIntegerList(
  flag: string,
  text: string,
  max = Number.POSITIVE_INFINITY,
  maxCount = Number.POSITIVE_INFINITY,
): number[] {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.some((part) => part === '')) {
    throw new UsageError(`${flag}: "${text}" must be comma-separated positive integers such as 128,64`);
  }
  if (parts.length > maxCount) {
    throw new UsageError(`${flag}: "${text}" has ${parts.length} sizes; give at most ${maxCount}`);
  }
  return parts.map((part) => parseInteger(flag, part, 1, max));
}

/**
 * Parses `low,high` into a range with low <= high, or throws a `UsageError`.
 * @example parseRange('--x', '-1,1'); // [-1, 1]
 */
export function parseRange(flag: string, text: string): [number, number] {
  const parts = text.split(',');
  if (parts.length !== 2) {
    throw new UsageError(`${flag}: "${text}" must be a range low,high such as -1,1`);
  }
  const low = parseNumber(flag, parts[0] as string);
  const high = parseNumber(flag, parts[1] as string);
  if (low > high) throw new UsageError(`${flag}: range "${text}" has low > high; write it as ${high},${low}`);
  return [low, high];
}

/**
 * Parses one of a fixed set of choices, or throws a `UsageError` listing them.
 * @example parseChoice('--optimizer', 'adam', ['sgd', 'adam'] as const); // 'adam'
 */
export function parseChoice<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  const found = choices.find((choice) => choice === text.toLowerCase());
  if (found === undefined) {
    throw new UsageError(`${flag}: unknown value "${text}"; use one of ${choices.join(', ')}`);
  }
  return found;
}

/** Positional arguments and `--name value` pairs found in a raw argument list. */
export interface FreeArguments {
  readonly positionals: string[];
  readonly flags: Map<string, string>;
}

/**
 * Splits raw arguments into positionals and `--name value` / `--name=value` flags (values may start
 * with `-`, as in `--x -1,1`). Throws a `UsageError` on a flag without a value or given twice.
 * @example splitFreeArguments(['x*y', '--x', '2']); // { positionals: ['x*y'], flags: Map { 'x' => '2' } }
 */
export function splitFreeArguments(args: readonly string[]): FreeArguments {
  const positionals: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--') || arg === '--') {
      if (arg !== '--') positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
    let value: string | undefined;
    if (equals !== -1) value = arg.slice(equals + 1);
    else {
      value = args[i + 1];
      i++;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new UsageError(`option --${name}: not a valid variable name; use letters, digits and _`);
    }
    if (value === undefined) throw new UsageError(`option --${name}: missing value; write --${name} <value>`);
    if (flags.has(name)) throw new UsageError(`option --${name}: given twice; pass each variable once`);
    flags.set(name, value);
  }
  return { positionals, flags };
}
