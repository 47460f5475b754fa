import { readFileSync } from 'node:fs';
import { type NestedArray, type Tensor, tensor, zeros } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { clipGradNorm, clipGradValue, vectorNorm } from '../src/index';

interface Fixture {
  grads: NestedArray[];
  norm: { maxNorm: number; normType: number | 'Infinity' | '-Infinity'; totalNorm: number; clipped: NestedArray[] }[];
  value: { clipValue: number; clipped: NestedArray[] }[];
  single: { maxNorm: number; totalNorm: number; clipped: NestedArray };
}
const data = JSON.parse(readFileSync(new URL('./fixtures/torch/clip.json', import.meta.url), 'utf8')) as Fixture;

const flatten = (value: NestedArray): number[] => (typeof value === 'number' ? [value] : value.flatMap(flatten));

function expectClose(actual: NestedArray, expected: NestedArray, tolerance = 1e-12): void {
  const a = flatten(actual);
  const e = flatten(expected);
  expect(a).toHaveLength(e.length);
  for (const [i, value] of e.entries()) {
    expect(Math.abs((a[i] as number) - value), `element ${i}: ${a[i]} vs ${value}`).toBeLessThanOrEqual(
      tolerance * (1 + Math.abs(value)),
    );
  }
}

/** Parameters holding the fixture's gradients, plus one parameter without a gradient. */
function paramsWithGrads(dtype: 'float32' | 'float64' = 'float64'): Tensor[] {
  const params = data.grads.map((g) => {
    const grad = tensor(g, { dtype });
    const p = zeros(grad.shape, { dtype, requiresGrad: true });
    p.grad = grad;
    return p;
  });
  return [...params, zeros([2], { dtype, requiresGrad: true })];
}

describe('clipGradNorm matches torch.nn.utils.clip_grad_norm_', () => {
  for (const c of data.norm) {
    it(`returns the total norm and scales the gradients for normType ${c.normType}, maxNorm ${c.maxNorm}`, () => {
      const params = paramsWithGrads();
      const normType = typeof c.normType === 'string' ? Number(c.normType) : c.normType;
      const total = clipGradNorm(params, c.maxNorm, { normType });
      expect(Math.abs(total - c.totalNorm)).toBeLessThanOrEqual(1e-12 * c.totalNorm);
      for (const [i, expected] of c.clipped.entries()) expectClose(params[i]?.grad?.toArray() ?? [], expected);
      expect(params[3]?.grad).toBeNull();
    });
  }

  it('agrees with PyTorch on float32 gradients to float32 precision', () => {
    const params = paramsWithGrads('float32');
    const c = data.norm[0] as Fixture['norm'][number];
    const total = clipGradNorm(params, c.maxNorm);
    expect(Math.abs(total - c.totalNorm) / c.totalNorm).toBeLessThan(1e-6);
    expect(params[0]?.grad?.dtype).toBe('float32');
    for (const [i, expected] of c.clipped.entries()) expectClose(params[i]?.grad?.toArray() ?? [], expected, 1e-6);
  });

  it('accepts a single tensor', () => {
    const p = zeros([5], { dtype: 'float64', requiresGrad: true });
    p.grad = tensor(data.grads[1] as NestedArray, { dtype: 'float64' });
    const total = clipGradNorm(p, data.single.maxNorm);
    expect(Math.abs(total - data.single.totalNorm)).toBeLessThan(1e-12);
    expectClose(p.grad.toArray(), data.single.clipped);
  });

  it('leaves a total norm equal to maxNorm after clipping (the original engine test)', () => {
    const params = paramsWithGrads();
    clipGradNorm(params, 1.0);
    const after = clipGradNorm(params, 1.0);
    expect(after).toBeCloseTo(1.0, 5);
  });

  it('accepts any iterable of tensors, such as a Set or a generator, like PyTorch', () => {
    const c = data.norm[0] as Fixture['norm'][number];
    const fromSet = paramsWithGrads();
    expect(clipGradNorm(new Set(fromSet), c.maxNorm)).toBeCloseTo(c.totalNorm, 12);
    const fromGenerator = paramsWithGrads();
    function* each() {
      yield* fromGenerator;
    }
    expect(clipGradNorm(each(), c.maxNorm)).toBeCloseTo(c.totalNorm, 12);
    for (const params of [fromSet, fromGenerator]) {
      for (const [i, expected] of c.clipped.entries()) expectClose(params[i]?.grad?.toArray() ?? [], expected);
    }
    const forValue = paramsWithGrads();
    clipGradValue(new Set(forValue), 0.1);
    expect(Math.max(...forValue.flatMap((p) => Array.from(p.grad?.data ?? [])).map(Math.abs))).toBeLessThanOrEqual(0.1);
  });

  it('returns 0 and changes nothing when no parameter has a gradient', () => {
    expect(clipGradNorm([zeros([3], { requiresGrad: true })], 1)).toBe(0);
    expect(clipGradNorm([], 1)).toBe(0);
  });

  it('throws on a non-finite total norm when errorIfNonfinite is set', () => {
    const p = zeros([2], { requiresGrad: true });
    p.grad = tensor([1, Number.NaN]);
    expect(() => clipGradNorm(p, 1, { errorIfNonfinite: true })).toThrow(
      /clipGradNorm: the total norm of order 2 of the gradients is NaN, so they cannot be clipped/,
    );
    p.grad = tensor([1, Number.POSITIVE_INFINITY]);
    expect(() => clipGradNorm(p, 1, { errorIfNonfinite: true })).toThrow(/is Infinity/);
  });

  it('scales by a non-finite norm without errorIfNonfinite, as PyTorch does', () => {
    const p = zeros([2], { requiresGrad: true });
    p.grad = tensor([1, Number.NaN]);
    expect(clipGradNorm(p, 1)).toBeNaN();
    expect(p.grad.toArray()).toEqual([Number.NaN, Number.NaN]);
  });

  it('rejects arguments that are not tensors or numbers', () => {
    expect(() => clipGradNorm([3 as never], 1)).toThrow(/clipGradNorm: params\[0\] is number, not a Tensor/);
    expect(() => clipGradNorm(5 as never, 1)).toThrow(
      /clipGradNorm: params must be a Tensor or an array \(or other iterable\) of tensors, such as model.parameters\(\), but got number/,
    );
    expect(() => clipGradNorm([], Number.NaN)).toThrow(/clipGradNorm: maxNorm must be a number, but got NaN/);
  });
});

describe('clipGradValue matches torch.nn.utils.clip_grad_value_', () => {
  for (const c of data.value) {
    it(`clamps every gradient element into [-${c.clipValue}, ${c.clipValue}]`, () => {
      const params = paramsWithGrads();
      clipGradValue(params, c.clipValue);
      for (const [i, expected] of c.clipped.entries()) expectClose(params[i]?.grad?.toArray() ?? [], expected, 0);
      expect(params[3]?.grad).toBeNull();
    });
  }

  it('rejects a clip value that is not a number', () => {
    expect(() => clipGradValue([], 'a' as never)).toThrow(/clipGradValue: clipValue must be a number/);
  });
});

describe('vectorNorm', () => {
  it('follows torch.norm for the special orders', () => {
    expect(vectorNorm([3, -4], 2)).toBe(5);
    expect(vectorNorm([3, -4], 1)).toBe(7);
    expect(vectorNorm([3, -4], Number.POSITIVE_INFINITY)).toBe(4);
    expect(vectorNorm([3, -4], Number.NEGATIVE_INFINITY)).toBe(3);
    expect(vectorNorm([3, 0, -4], 0)).toBe(2);
  });
});
