import { readFileSync } from 'node:fs';
import { gradcheck, gradgradcheck, manualSeed, randn, type Tensor, tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import {
  type AvgPoolOptions,
  avgPool1d,
  avgPool2d,
  type MaxPoolOptions,
  maxPool1d,
  maxPool2d,
} from '../src/functional/pool';
import { AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d } from '../src/layers/pool';

type Nested = number | Nested[];

interface PoolCase {
  name: string;
  kernel: number | [number, number];
  options: Record<string, unknown>;
  x: Nested;
  out: Nested;
  gout: Nested;
  gx: Nested;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/torch/nn_io_conv.json', import.meta.url), 'utf8')) as {
  pool: PoolCase[];
};

function expectClose(actual: Tensor | null, expected: Nested, rtol: number, atol: number): void {
  expect(actual).not.toBeNull();
  const t = actual as Tensor;
  const reference = tensor(expected, { dtype: 'float64' });
  expect(t.shape).toEqual(reference.shape);
  let worst = 0;
  for (let i = 0; i < reference.size; i++) {
    const b = reference.data[i] as number;
    worst = Math.max(worst, Math.abs((t.data[i] as number) - b) - rtol * Math.abs(b));
  }
  expect(worst).toBeLessThanOrEqual(atol);
}

/** PyTorch keyword options → ours. */
function optionsOf(c: PoolCase): MaxPoolOptions & AvgPoolOptions {
  const o = c.options;
  return {
    stride: o.stride as number | undefined,
    padding: o.padding as number | undefined,
    dilation: o.dilation as number | undefined,
    ceilMode: o.ceil_mode as boolean | undefined,
    countIncludePad: o.count_include_pad as boolean | undefined,
    divisorOverride: o.divisor_override as number | undefined,
  };
}

type PoolFn = (x: Tensor, k: number | [number, number], o: MaxPoolOptions & AvgPoolOptions) => Tensor;

const functions: Record<string, PoolFn> = {
  maxPool1d: maxPool1d as unknown as PoolFn,
  maxPool2d: maxPool2d as PoolFn,
  avgPool1d: (x, k, { dilation: _dilation, ...o }) => avgPool1d(x, k as number, o as AvgPoolOptions<1>),
  avgPool2d: (x, k, { dilation: _dilation, ...o }) => avgPool2d(x, k, o),
};

describe('pooling against PyTorch', () => {
  for (const c of fixture.pool) {
    const fn = functions[c.name.split(' ')[0] as string] as PoolFn;
    for (const dtype of ['float64', 'float32'] as const) {
      it(`matches the output and input gradient of ${c.name} (${dtype})`, () => {
        const x = tensor(c.x, { dtype, requiresGrad: true });
        const out = fn(x, c.kernel, optionsOf(c));
        const [rtol, atol] = dtype === 'float64' ? [1e-9, 1e-12] : [1e-5, 1e-6];
        expectClose(out, c.out, rtol, atol);
        out.mul(tensor(c.gout, { dtype })).sum().backward();
        expectClose(x.grad, c.gx, rtol, atol);
      });
    }
  }
});

describe('maxPool', () => {
  it('takes the window maximum and sends the gradient to the first maximum of a tie, as PyTorch does', () => {
    const x = tensor([[[1, 3, 3, 2, 5, 5]]], { requiresGrad: true });
    const out = maxPool1d(x, 3, { stride: 1 });
    expect(out.toArray()).toEqual([[[3, 3, 5, 5]]]);
    out.sum().backward();
    expect(x.grad?.toArray()).toEqual([[[0, 2, 0, 0, 2, 0]]]);
  });

  it('pads with -Infinity so negative inputs keep their maximum', () => {
    const x = tensor([[[-5, -4, -3]]]);
    expect(maxPool1d(x, 2, { padding: 1 }).toArray()).toEqual([[[-5, -3]]]);
  });

  it('passes gradcheck and gradgradcheck in float64', () => {
    manualSeed(11);
    const x = randn([1, 2, 5, 6], { dtype: 'float64', requiresGrad: true });
    const f = (xi: Tensor) => maxPool2d(xi, [2, 3], { stride: [2, 1], padding: 1 });
    expect(gradcheck(f, [x])).toBe(true);
    expect(gradgradcheck(f, [x])).toBe(true);
    const y = randn([2, 9], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((yi: Tensor) => maxPool1d(yi, 3, { stride: 2, dilation: 2, ceilMode: true }), [y])).toBe(true);
  });

  it("gives MaxPool1d(2, stride 2) on [4, 2, 6] the original engine's output shape [4, 2, 3]", () => {
    expect(new MaxPool1d(2, { stride: 2 }).call(randn([4, 2, 6])).shape).toEqual([4, 2, 3]);
    expect(new MaxPool2d(2).call(randn([4, 2, 6, 7])).shape).toEqual([4, 2, 3, 3]);
    expect(new MaxPool2d(2).parameters()).toEqual([]);
  });

  it("prints PyTorch's summary of the window settings", () => {
    expect(String(new MaxPool2d(2))).toBe('MaxPool2d(kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false)');
    expect(String(new MaxPool1d(3, { stride: 1, padding: 1, ceilMode: true }))).toBe(
      'MaxPool1d(kernelSize=3, stride=1, padding=1, dilation=1, ceilMode=true)',
    );
    expect(String(new AvgPool2d([2, 3]))).toBe('AvgPool2d(kernelSize=[2, 3], stride=[2, 3], padding=0)');
  });

  it('rejects wrong ranks, oversized padding and a kernel larger than the input', () => {
    expect(() => maxPool2d(randn([4, 4]), 2)).toThrow(/maxPool2d: expected a 4-D input .*got shape \[4, 4\]/);
    expect(() => maxPool1d(randn([1, 1, 6]), 2, { padding: 2 })).toThrow(
      /padding \[2\] must be at most half the kernel size \[2\]/,
    );
    expect(() => maxPool1d(randn([1, 1, 2]), 3)).toThrow(
      /padded input size \[2\] .* smaller than the kernel size \[3\]/,
    );
    expect(() => maxPool2d(randn([1, 1, 4, 4]), 0)).toThrow(/kernelSize must be an integer ≥ 1/);
  });
});

describe('avgPool', () => {
  it('averages windows, counting zero padding by default and not when asked', () => {
    const x = tensor([[[2, 4, 6]]]);
    expect(avgPool1d(x, 2, { stride: 1 }).toArray()).toEqual([[[3, 5]]]);
    expect(avgPool1d(x, 2, { padding: 1 }).toArray()).toEqual([[[1, 5]]]);
    expect(avgPool1d(x, 2, { padding: 1, countIncludePad: false }).toArray()).toEqual([[[2, 5]]]);
  });

  it('passes gradcheck and gradgradcheck in float64', () => {
    manualSeed(12);
    const x = randn([1, 2, 5, 5], { dtype: 'float64', requiresGrad: true });
    const f = (xi: Tensor) => avgPool2d(xi, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false });
    expect(gradcheck(f, [x])).toBe(true);
    expect(gradgradcheck(f, [x])).toBe(true);
  });

  it('works as AvgPool1d/AvgPool2d layers on unbatched input', () => {
    expect(new AvgPool1d(2).call(tensor([[1, 3, 2, 6]])).toArray()).toEqual([[2, 4]]);
    expect(new AvgPool2d(2).call(randn([3, 4, 4])).shape).toEqual([3, 2, 2]);
  });

  it('rejects a zero divisor override', () => {
    expect(() => avgPool2d(randn([1, 1, 4, 4]), 2, { divisorOverride: 0 })).toThrow(
      /divisorOverride must be a finite non-zero number/,
    );
  });
});
