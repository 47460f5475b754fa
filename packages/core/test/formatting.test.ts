/** @file formatNumber and formatShape: the printed text every package shares. */
import { describe, expect, it } from 'vitest';
import { formatNumber, formatShape } from '../src/index';

describe('formatNumber', () => {
  it('keeps 6 significant digits and drops trailing zeros by default', () => {
    expect(formatNumber(1 / 3)).toBe('0.333333');
    expect(formatNumber(2.5)).toBe('2.5');
    expect(formatNumber(1234567)).toBe('1234570');
    expect(formatNumber(0.0000123456789)).toBe('0.0000123457');
    expect(formatNumber(-0)).toBe('0');
  });

  it('writes non-finite values as JavaScript does', () => {
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(formatNumber(Number.NEGATIVE_INFINITY, { plainRange: [1e-4, 1e6] })).toBe('-Infinity');
  });

  it('writes integers in full below exactIntegersBelow, with an optional suffix', () => {
    expect(formatNumber(1234567, { exactIntegersBelow: 1e9 })).toBe('1234567');
    expect(formatNumber(1234567891, { exactIntegersBelow: 1e9 })).toBe('1234570000');
    expect(formatNumber(2, { exactIntegersBelow: 1e16, integerSuffix: '.' })).toBe('2.');
    expect(formatNumber(0, { exactIntegersBelow: 1e16, integerSuffix: '.' })).toBe('0.');
    expect(formatNumber(2.5, { exactIntegersBelow: 1e16, integerSuffix: '.' })).toBe('2.5');
  });

  it('switches to exponent notation outside plainRange', () => {
    const range = [1e-4, 1e6] as const;
    expect(formatNumber(0.0000123, { plainRange: range })).toBe('1.23e-5');
    expect(formatNumber(1e6, { plainRange: range })).toBe('1e+6');
    expect(formatNumber(-2345678, { plainRange: range })).toBe('-2.34568e+6');
    expect(formatNumber(999999, { plainRange: range })).toBe('999999');
    expect(formatNumber(0, { plainRange: range })).toBe('0');
    expect(formatNumber(Math.PI, { digits: 3, plainRange: range })).toBe('3.14');
    expect(formatNumber(0.00001, { digits: 3, plainRange: range })).toBe('1e-5');
  });
});

describe('formatShape', () => {
  it('writes a shape in brackets', () => {
    expect(formatShape([2, 3])).toBe('[2, 3]');
    expect(formatShape([])).toBe('[]');
  });
});
