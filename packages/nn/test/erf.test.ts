import { erfScalar } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { f64, loadFixture } from './helpers';

interface ErfFixture {
  x: number[];
  erf: number[];
  torch_erf: number[];
}

const fixture = loadFixture<ErfFixture>('nn_erf');

function relativeError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('erf behind the exact gelu', () => {
  it('matches float64 reference erf to a relative error below 1e-13 across the real line', () => {
    const worst = fixture.x.reduce(
      (acc, x, i) => Math.max(acc, relativeError(erfScalar(x), fixture.erf[i] as number)),
      0,
    );
    expect(worst).toBeLessThan(1e-13);
  });

  it('agrees with torch.erf in float64 through the tensor op', () => {
    const values = f64(fixture.x).erf().data;
    fixture.torch_erf.forEach((expected, i) => {
      expect(relativeError(values[i] as number, expected)).toBeLessThan(1e-13);
    });
  });
});
