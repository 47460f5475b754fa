import { manualSeed } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { digitCount, loadDigits } from '../src/data/digits';
import { loadDataset } from '../src/data/load-dataset';
import { syntheticDataset } from '../src/data/synthetic';

describe('datasets', () => {
  it('ships 10,000 digits and holds out a fixed 8000 / 2000 split', () => {
    expect(digitCount()).toBe(10_000);
    const data = loadDigits();
    expect(data.train.x.shape).toEqual([8000, 784]);
    expect(data.test.x.shape).toEqual([2000, 784]);
    expect(data.train.y.shape).toEqual([8000]);
  });

  it('returns the same split on every call, whatever the global seed', () => {
    manualSeed(1);
    const a = loadDigits({ limit: 100 });
    manualSeed(2);
    const b = loadDigits({ limit: 100 });
    expect(Array.from(a.test.y.data)).toEqual(Array.from(b.test.y.data));
    expect(Array.from(a.train.x.data.slice(0, 2000))).toEqual(Array.from(b.train.x.data.slice(0, 2000)));
  });

  it('has every digit class in the training split and pixels in [0, 1]', () => {
    const data = loadDigits({ limit: 600 });
    expect(data.train.x.shape).toEqual([480, 784]);
    expect(new Set(data.train.y.data).size).toBe(10);
    const pixels = data.train.x.data;
    expect(pixels.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(pixels.some((v) => v > 0.9)).toBe(true);
  });

  it('rejects a limit outside the available digits', () => {
    expect(() => loadDigits({ limit: 5 })).toThrow(/--limit: 5 digits requested/);
    expect(() => loadDigits({ limit: 20_000 })).toThrow(/from 10 to 10000/);
  });

  it('generates synthetic datasets reproducibly from the seed', () => {
    manualSeed(7);
    const a = syntheticDataset('spiral', 300);
    manualSeed(7);
    const b = syntheticDataset('spiral', 300);
    expect(Array.from(a.train.x.data)).toEqual(Array.from(b.train.x.data));
    expect(a.classes).toBe(3);
    expect(a.train.x.shape).toEqual([240, 2]);
    expect(new Set(a.train.y.data)).toEqual(new Set([0, 1, 2]));
  });

  it('labels xor points by the sign of x*y', () => {
    manualSeed(0);
    const data = syntheticDataset('xor', 100);
    const x = data.train.x.data;
    data.train.y.data.forEach((label, i) => {
      expect(label).toBe((x[2 * i] as number) * (x[2 * i + 1] as number) > 0 ? 0 : 1);
    });
  });

  it('names the valid datasets when given an unknown one', () => {
    expect(() => loadDataset('mnist')).toThrow(
      '--dataset: unknown dataset "mnist"; use one of digits, moons, spiral, xor',
    );
  });
});
