/**
 * @file Data augmentation for the digits: every image of a batch moves by a random whole number of
 * pixels (up to `maxShift` in each direction, from core's seeded generator). With only 8,000
 * training digits this is what lifts a small MLP from about 95.5% to above 96% test accuracy.
 */
import { randomUniform, type Tensor, tensor } from '@optimgrad/core';

/**
 * Shifts each `width`×`height` image (a row of `x`) by a random offset in [-maxShift, maxShift]², filling with 0.
 * @example const augmented = shiftImages(batch, 28, 28, 2);
 */
export function shiftImages(x: Tensor, width: number, height: number, maxShift: number): Tensor {
  if (maxShift === 0) return x;
  const source = x.data;
  const count = x.shape[0] as number;
  const pixels = width * height;
  const out = new Float32Array(count * pixels);
  const span = 2 * maxShift + 1;
  for (let n = 0; n < count; n++) {
    const dx = Math.floor(randomUniform() * span) - maxShift;
    const dy = Math.floor(randomUniform() * span) - maxShift;
    const base = n * pixels;
    for (let row = Math.max(0, dy); row < Math.min(height, height + dy); row++) {
      const from = base + (row - dy) * width;
      const to = base + row * width;
      for (let column = Math.max(0, dx); column < Math.min(width, width + dx); column++) {
        out[to + column] = source[from + column - dx] as number;
      }
    }
  }
  return tensor(out, { shape: [count, pixels], dtype: x.dtype });
}
