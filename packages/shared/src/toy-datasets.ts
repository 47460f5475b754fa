/**
 * @file Two-dimensional toy datasets (two moons, circles, interleaved spirals, XOR, Gaussian blobs),
 * drawn from core's seeded random numbers so `manualSeed` makes them reproducible. Shapes follow
 * scikit-learn's generators (`make_moons`, `make_circles`, `make_blobs`). Plain arrays, not tensors,
 * so the playground can post them between threads and draw them without a copy.
 */
import { randomNormal, randomUniform } from '@optimgrad/core';

/**
 * The toy datasets, by name.
 * @example TOY_DATASETS.includes('circles'); // true
 */
export const TOY_DATASETS = ['moons', 'circles', 'spiral', 'xor', 'blobs'] as const;
/** A toy dataset name. */
export type ToyDatasetName = (typeof TOY_DATASETS)[number];

/** Options of `toyPoints`. */
export interface ToyPointsOptions {
  /** Number of points (default 1000). */
  readonly count?: number;
  /** Scale of the Gaussian noise (default per dataset: see `TOY_DEFAULT_NOISE`). */
  readonly noise?: number;
}

/** A toy dataset as flat arrays. */
export interface ToyPoints {
  /** `x0, y0, x1, y1, …` (`count` points). */
  readonly points: number[];
  /** The class of each point, `0 … classes − 1`. */
  readonly labels: number[];
  readonly classes: number;
}

/**
 * The noise each dataset uses when none is given (the demo's datasets were drawn with these).
 * @example TOY_DEFAULT_NOISE.moons; // 0.1
 */
export const TOY_DEFAULT_NOISE: Readonly<Record<ToyDatasetName, number>> = {
  moons: 0.1,
  circles: 0.05,
  spiral: 0.2,
  xor: 0,
  blobs: 0.4,
};

/**
 * The number of classes of each dataset.
 * @example TOY_CLASSES.spiral; // 3
 */
export const TOY_CLASSES: Readonly<Record<ToyDatasetName, number>> = {
  moons: 2,
  circles: 2,
  spiral: 3,
  xor: 2,
  blobs: 3,
};

type Generator = (n: number, noise: number, points: number[], labels: number[]) => void;

// Each generator draws its random numbers in a fixed order, so a seed gives the same points everywhere.
const GENERATORS: Readonly<Record<ToyDatasetName, Generator>> = {
  moons(n, noise, points, labels) {
    for (let i = 0; i < n; i++) {
      const label = i % 2;
      const angle = Math.PI * randomUniform();
      const x = label === 0 ? Math.cos(angle) : 1 - Math.cos(angle);
      const y = label === 0 ? Math.sin(angle) : 0.5 - Math.sin(angle);
      points.push(x + noise * randomNormal(), y + noise * randomNormal());
      labels.push(label);
    }
  },
  circles(n, noise, points, labels) {
    // Outer circle of radius 1 (class 0) around an inner one of radius 0.5 (class 1), as make_circles.
    for (let i = 0; i < n; i++) {
      const label = i % 2;
      const radius = label === 0 ? 1 : 0.5;
      const angle = 2 * Math.PI * randomUniform();
      points.push(radius * Math.cos(angle) + noise * randomNormal(), radius * Math.sin(angle) + noise * randomNormal());
      labels.push(label);
    }
  },
  spiral(n, noise, points, labels) {
    const classes = 3;
    for (let i = 0; i < n; i++) {
      const label = i % classes;
      const radius = randomUniform();
      const angle = label * ((2 * Math.PI) / classes) + radius * 4 + noise * randomNormal();
      points.push(radius * Math.sin(angle), radius * Math.cos(angle));
      labels.push(label);
    }
  },
  xor(n, noise, points, labels) {
    for (let i = 0; i < n; i++) {
      const x = 2 * randomUniform() - 1;
      const y = 2 * randomUniform() - 1;
      labels.push(x * y > 0 ? 0 : 1);
      // No draws without noise, so the noiseless points are the demo's.
      points.push(noise > 0 ? x + noise * randomNormal() : x, noise > 0 ? y + noise * randomNormal() : y);
    }
  },
  blobs(n, noise, points, labels) {
    // Three blobs on a circle of radius 1; `noise` is each blob's standard deviation.
    for (let i = 0; i < n; i++) {
      const label = i % 3;
      const angle = (label * 2 * Math.PI) / 3 + Math.PI / 2;
      points.push(Math.cos(angle) + noise * randomNormal(), Math.sin(angle) + noise * randomNormal());
      labels.push(label);
    }
  },
};

/**
 * Draws a toy dataset from core's seeded generator; throws naming the dataset for a bad name, count or noise.
 * @example manualSeed(0); const { points, labels } = toyPoints('moons', { count: 200, noise: 0.1 });
 */
export function toyPoints(name: ToyDatasetName, options: ToyPointsOptions = {}): ToyPoints {
  const generator = GENERATORS[name];
  if (generator === undefined) {
    throw new Error(`toyPoints: unknown dataset "${String(name)}"; use one of ${TOY_DATASETS.join(', ')}`);
  }
  const count = options.count ?? 1000;
  if (!Number.isInteger(count) || count < 0) {
    throw new Error(`toyPoints: ${name} needs a whole number of points >= 0, got ${count}`);
  }
  const noise = options.noise ?? TOY_DEFAULT_NOISE[name];
  if (!(noise >= 0) || !Number.isFinite(noise)) {
    throw new Error(`toyPoints: ${name} needs a finite noise >= 0, got ${noise}`);
  }
  const points: number[] = [];
  const labels: number[] = [];
  generator(count, noise, points, labels);
  return { points, labels, classes: TOY_CLASSES[name] };
}
