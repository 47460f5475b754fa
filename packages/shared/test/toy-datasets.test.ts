import { manualSeed } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { TOY_CLASSES, TOY_DATASETS, toyPoints } from '../src/toy-datasets';

describe('toyPoints', () => {
  it.each(TOY_DATASETS)('draws %s with two coordinates per point and every class present', (name) => {
    manualSeed(1);
    const { points, labels, classes } = toyPoints(name, { count: 90 });
    expect(points).toHaveLength(180);
    expect(labels).toHaveLength(90);
    expect(classes).toBe(TOY_CLASSES[name]);
    expect(new Set(labels)).toEqual(new Set(Array.from({ length: classes }, (_, i) => i)));
    expect(points.every(Number.isFinite)).toBe(true);
  });

  it('repeats itself under the same seed and differs under another', () => {
    manualSeed(3);
    const first = toyPoints('spiral', { count: 50 });
    manualSeed(3);
    expect(toyPoints('spiral', { count: 50 })).toEqual(first);
    manualSeed(4);
    expect(toyPoints('spiral', { count: 50 }).points).not.toEqual(first.points);
  });

  it('puts noiseless circles exactly on radius 1 (class 0) and 0.5 (class 1)', () => {
    manualSeed(0);
    const { points, labels } = toyPoints('circles', { count: 40, noise: 0 });
    labels.forEach((label, i) => {
      const radius = Math.hypot(points[2 * i] as number, points[2 * i + 1] as number);
      expect(radius).toBeCloseTo(label === 0 ? 1 : 0.5, 12);
    });
  });

  it('labels noiseless xor by the sign of x*y', () => {
    manualSeed(0);
    const { points, labels } = toyPoints('xor', { count: 40, noise: 0 });
    labels.forEach((label, i) => {
      expect(label).toBe((points[2 * i] as number) * (points[2 * i + 1] as number) > 0 ? 0 : 1);
    });
  });

  it('spreads blobs wider with more noise', () => {
    const spread = (noise: number) => {
      manualSeed(2);
      const { points, labels } = toyPoints('blobs', { count: 300, noise });
      let sum = 0;
      labels.forEach((label, i) => {
        const angle = (label * 2 * Math.PI) / 3 + Math.PI / 2;
        sum += Math.hypot((points[2 * i] as number) - Math.cos(angle), (points[2 * i + 1] as number) - Math.sin(angle));
      });
      return sum / labels.length;
    };
    expect(spread(0.5)).toBeGreaterThan(2 * spread(0.1));
  });

  it('rejects a bad count or noise, naming the dataset', () => {
    expect(() => toyPoints('moons', { count: -1 })).toThrow(/toyPoints: moons needs a whole number/);
    expect(() => toyPoints('moons', { noise: Number.NaN })).toThrow(/toyPoints: moons needs a finite noise/);
  });
});
