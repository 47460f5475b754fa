/**
 * @file The toy two-dimensional datasets (two moons, interleaved spirals, XOR) as tensors split into
 * train and test, drawn by the shared generators from core's seeded random numbers so `--seed` makes
 * them reproducible.
 */
import { tensor } from '@optimgrad/core';
import { toyPoints } from '@optimgrad/shared';
import type { Dataset } from './dataset';

/**
 * Generates a toy dataset with `count` points (80% train, 20% test) from core's seeded generator.
 * @example manualSeed(0); const moonsData = syntheticDataset('moons', 1000);
 */
export function syntheticDataset(name: 'moons' | 'spiral' | 'xor', count = 1000): Dataset {
  const { points, labels, classes } = toyPoints(name, { count });
  const trainCount = Math.round(count * 0.8);
  const testCount = count - trainCount;
  return {
    name,
    features: 2,
    classes,
    train: {
      x: tensor(points.slice(0, 2 * trainCount), { shape: [trainCount, 2] }),
      y: tensor(labels.slice(0, trainCount)),
    },
    test: {
      x: tensor(points.slice(2 * trainCount), { shape: [testCount, 2] }),
      y: tensor(labels.slice(trainCount)),
    },
  };
}
