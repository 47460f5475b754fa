import { manualSeed, noGrad, randn, type Tensor, tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { crownBounds, intervalBounds } from '../src/index';

function mlp(sizes: number[]) {
  manualSeed(5);
  return sizes.slice(1).map((out, k) => ({
    weight: randn([out, sizes[k] as number], { dtype: 'float64' }),
    bias: randn([out], { dtype: 'float64' }).mul(0.1),
  }));
}

function forward(layers: ReturnType<typeof mlp>, x: Tensor): Tensor {
  return layers.reduce((h, l, k) => {
    const z = h.matmul(l.weight.T).add(l.bias);
    return k < layers.length - 1 ? z.relu() : z;
  }, x);
}

describe('crownBounds', () => {
  const layers = mlp([4, 16, 16, 3]);
  const lo = tensor([-0.3, 0.1, -0.5, 0.2], { dtype: 'float64' });
  const hi = tensor([0.1, 0.4, -0.2, 0.6], { dtype: 'float64' });

  it('contains every sampled output of a Linear+ReLU network', () => {
    const r = crownBounds(layers, lo, hi);
    let s = 12345;
    const random = () => {
      s = (s * 16807) % 2147483647;
      return s / 2147483647;
    };
    for (let n = 0; n < 3000; n++) {
      const x = tensor(
        [...lo.data].map((l, i) =>
          n < 16 ? ((n >> i) & 1 ? (hi.data[i] as number) : l) : l + random() * ((hi.data[i] as number) - l),
        ),
        { dtype: 'float64' },
      );
      noGrad(() => forward(layers, x)).data.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(r.lower.data[i] as number);
        expect(v).toBeLessThanOrEqual(r.upper.data[i] as number);
      });
    }
  });

  it('is tighter than interval bound propagation on the same network', () => {
    const crown = crownBounds(layers, lo, hi);
    const interval = intervalBounds((x) => forward(layers, x), lo, hi);
    const width = (l: Tensor, u: Tensor) => [...u.data].reduce((s, v, i) => s + v - (l.data[i] as number), 0);
    const crownWidth = width(crown.lower, crown.upper);
    const intervalWidth = width(interval.lower, interval.upper);
    expect(crownWidth).toBeLessThan(intervalWidth);
    crown.lower.data.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual((interval.lower.data[i] as number) - 1e-9);
    });
  });

  it('is exact for a single Linear layer and checks shapes', () => {
    const w = tensor([[1, -2]], { dtype: 'float64' });
    const r = crownBounds([{ weight: w }], tensor([0, 0]), tensor([1, 1]));
    expect(r.lower.data[0]).toBeCloseTo(-2, 10);
    expect(r.upper.data[0]).toBeCloseTo(1, 10);
    expect(() => crownBounds([{ weight: tensor([[1, 2, 3]]) }], tensor([0, 0]), tensor([1, 1]))).toThrow(
      /layer 0 has weight shape \[1, 3\]; expected \[out, 2\]/,
    );
  });
});
