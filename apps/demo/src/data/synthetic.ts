/**
 * @file Small two-dimensional toy datasets (two moons, interleaved spirals, XOR), generated from core's
 * seeded random numbers so `--seed` makes them reproducible. Shapes follow scikit-learn's generators.
 */
import { randomNormal, randomUniform, tensor } from '@optimgrad/core';
import type { Dataset } from './dataset';

type Generator = (n: number) => { points: number[]; labels: number[] };

const moons: Generator = (n) => {
  const points: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const angle = Math.PI * randomUniform();
    const x = label === 0 ? Math.cos(angle) : 1 - Math.cos(angle);
    const y = label === 0 ? Math.sin(angle) : 0.5 - Math.sin(angle);
    points.push(x + 0.1 * randomNormal(), y + 0.1 * randomNormal());
    labels.push(label);
  }
  return { points, labels };
};

const spiral: Generator = (n) => {
  const classes = 3;
  const points: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % classes;
    const radius = randomUniform();
    const angle = label * ((2 * Math.PI) / classes) + radius * 4 + 0.2 * randomNormal();
    points.push(radius * Math.sin(angle), radius * Math.cos(angle));
    labels.push(label);
  }
  return { points, labels };
};

const xor: Generator = (n) => {
  const points: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = 2 * randomUniform() - 1;
    const y = 2 * randomUniform() - 1;
    points.push(x, y);
    labels.push(x * y > 0 ? 0 : 1);
  }
  return { points, labels };
};

const GENERATORS = { moons, spiral, xor } as const;
const CLASSES = { moons: 2, spiral: 3, xor: 2 } as const;

/**
 * Generates a toy dataset with `count` points (80% train, 20% test) from core's seeded generator.
 * @example manualSeed(0); const moonsData = syntheticDataset('moons', 1000);
 */
export function syntheticDataset(name: keyof typeof GENERATORS, count = 1000): Dataset {
  const { points, labels } = GENERATORS[name](count);
  const trainCount = Math.round(count * 0.8);
  const testCount = count - trainCount;
  return {
    name,
    features: 2,
    classes: CLASSES[name],
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
