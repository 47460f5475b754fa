import { describe, expect, it } from 'vitest';
import {
  parseChoice,
  parseInteger,
  parseIntegerList,
  parseNumber,
  parseRange,
  splitFreeArguments,
} from '../src/cli-args';
import { formatError, UsageError } from '../src/errors';

describe('flag parsing', () => {
  it('parses numbers and names the flag when a value is not a number', () => {
    expect(parseNumber('--lr', '1e-3')).toBe(0.001);
    expect(() => parseNumber('--lr', 'fast')).toThrow('--lr: "fast" is not a number');
    expect(() => parseNumber('--lr', '')).toThrow(UsageError);
  });

  it('requires integers above a minimum', () => {
    expect(parseInteger('--epochs', '3', 1)).toBe(3);
    expect(() => parseInteger('--epochs', '0', 1)).toThrow('--epochs: "0" must be an integer >= 1');
    expect(() => parseInteger('--epochs', '2.5', 1)).toThrow(UsageError);
  });

  it('parses layer sizes and rejects empty entries', () => {
    expect(parseIntegerList('--hidden', '128,64')).toEqual([128, 64]);
    expect(() => parseIntegerList('--hidden', '128,,64')).toThrow(/comma-separated positive integers/);
  });

  it('parses ranges with negative ends and rejects reversed ones', () => {
    expect(parseRange('--x', '-1,1')).toEqual([-1, 1]);
    expect(() => parseRange('--x', '1,-1')).toThrow(/write it as -1,1/);
    expect(() => parseRange('--x', '1')).toThrow(/low,high/);
  });

  it('accepts a choice case-insensitively and lists the choices otherwise', () => {
    expect(parseChoice('--optimizer', 'Adam', ['sgd', 'adam'] as const)).toBe('adam');
    expect(() => parseChoice('--dataset', 'mnist', ['digits', 'moons'] as const)).toThrow(
      '--dataset: unknown value "mnist"; use one of digits, moons',
    );
  });

  it('splits free arguments into positionals and variable flags, keeping negative values', () => {
    const { positionals, flags } = splitFreeArguments(['x*y', '--x', '-1,1', '--y=3']);
    expect(positionals).toEqual(['x*y']);
    expect([...flags]).toEqual([
      ['x', '-1,1'],
      ['y', '3'],
    ]);
  });

  it('rejects a variable flag without a value or given twice', () => {
    expect(() => splitFreeArguments(['x', '--x'])).toThrow('option --x: missing value');
    expect(() => splitFreeArguments(['x', '--x', '1', '--x', '2'])).toThrow(/given twice/);
  });

  it('formats errors as one line unless debugging', () => {
    const error = new Error('bad thing\nmore detail');
    expect(formatError(error, false)).toBe('error: bad thing');
    expect(formatError(error, true)).toContain('at ');
  });
});
