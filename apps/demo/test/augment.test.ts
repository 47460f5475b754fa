import { manualSeed, tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { shiftImages } from '../src/data/augment';

describe('shiftImages', () => {
  it('moves each image by at most maxShift pixels without changing its values', () => {
    manualSeed(3);
    const pixels = new Float32Array(2 * 49);
    pixels[3 * 7 + 3] = 0.75;
    pixels[49 + 3 * 7 + 3] = 0.25;
    const shifted = shiftImages(tensor(pixels, { shape: [2, 49] }), 7, 7, 2).data;
    for (const [image, value] of [
      [0, 0.75],
      [1, 0.25],
    ] as const) {
      const nonzero = [...shifted.subarray(image * 49, image * 49 + 49)].flatMap((v, i) => (v === 0 ? [] : [[i, v]]));
      expect(nonzero).toHaveLength(1);
      const [index, v] = nonzero[0] as [number, number];
      expect(v).toBe(value);
      expect(Math.abs(Math.floor(index / 7) - 3)).toBeLessThanOrEqual(2);
      expect(Math.abs((index % 7) - 3)).toBeLessThanOrEqual(2);
    }
  });

  it('is reproducible with the same seed and the identity with maxShift 0', () => {
    const x = tensor(
      Array.from({ length: 3 * 16 }, (_, i) => (i % 5) / 5),
      { shape: [3, 16] },
    );
    manualSeed(9);
    const a = shiftImages(x, 4, 4, 1);
    manualSeed(9);
    const b = shiftImages(x, 4, 4, 1);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(shiftImages(x, 4, 4, 0)).toBe(x);
  });
});
