import { tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { polynomialText } from '../src/commands/taylor';
import { asciiDigit, cropBlankRows } from '../src/report/ascii-digit';
import { buildMlp, mlpSizesFromStateDict } from '../src/training/build-model';

describe('report pieces', () => {
  it('draws a digit as ASCII art two characters per pixel and crops blank rows', () => {
    const pixels = new Float32Array(16);
    pixels[5] = 1;
    pixels[6] = 0.5;
    const lines = asciiDigit(pixels, 4, 4);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe('  @@++');
    expect(cropBlankRows(lines)).toEqual(['  @@++']);
  });

  it('writes Taylor polynomials readably', () => {
    expect(polynomialText([1, 1, 0.5], 0, 'x')).toBe('1 + x + 0.5·x^2');
    expect(polynomialText([0, -1, 0, 1 / 6], 1, 'x')).toBe('-(x - 1) + 0.166667·(x - 1)^3');
    expect(polynomialText([0, 0], 0, 'x')).toBe('0');
  });

  it('recovers the layer sizes of a saved MLP from its state dict', () => {
    expect(mlpSizesFromStateDict(buildMlp([6, 5, 4, 3]).stateDict(), 'test')).toEqual([6, 5, 4, 3]);
  });

  it('rejects state dicts that are not an MLP, naming the entry', () => {
    const good = buildMlp([4, 3, 2]).stateDict();
    expect(() => mlpSizesFromStateDict({ ...good, '0.bias': tensor([1, 2]) }, 'f')).toThrow(
      'f: 0.bias has shape [2]; expected [3]',
    );
    expect(() => mlpSizesFromStateDict({ ...good, extra: tensor([1]) }, 'f')).toThrow(/unexpected entries extra/);
    expect(() => mlpSizesFromStateDict({}, 'f')).toThrow(/no 0.weight entry/);
    const mismatched = { ...good, '2.weight': tensor([[1, 2]]) };
    expect(() => mlpSizesFromStateDict(mismatched, 'f')).toThrow(/previous layer has 3 outputs/);
  });
});
