import { readFileSync } from 'node:fs';
import { gradcheck, gradgradcheck, manualSeed, randn, type Tensor, tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { type ConvOptions, conv1d, conv2d } from '../src/functional/conv';
import { Conv1d, Conv2d } from '../src/layers/conv';

type Nested = number | Nested[];

interface ConvCase {
  name: string;
  options: Record<string, unknown>;
  x: Nested;
  weight: Nested;
  bias: Nested | null;
  out: Nested;
  gout: Nested;
  gx: Nested;
  gweight: Nested;
  gbias: Nested | null;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/torch/nn_io_conv.json', import.meta.url), 'utf8')) as {
  conv1d: ConvCase[];
  conv2d: ConvCase[];
};

/** Asserts shape and values of `actual` against PyTorch's nested values. */
function expectClose(actual: Tensor | null, expected: Nested, rtol: number, atol: number): void {
  expect(actual).not.toBeNull();
  const t = actual as Tensor;
  const reference = tensor(expected, { dtype: 'float64' });
  expect(t.shape).toEqual(reference.shape);
  const a = t.data;
  const b = reference.data;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    const excess = Math.abs((a[i] as number) - (b[i] as number)) - rtol * Math.abs(b[i] as number);
    worst = Math.max(worst, excess);
  }
  expect(worst).toBeLessThanOrEqual(atol);
}

/** Converts the fixture's snake_case options (tuples as arrays) to ours. */
function optionsOf(c: ConvCase): ConvOptions<2> {
  return c.options as ConvOptions<2>;
}

function runCase(op: typeof conv2d, c: ConvCase, dtype: 'float32' | 'float64'): void {
  const x = tensor(c.x, { dtype, requiresGrad: true });
  const weight = tensor(c.weight, { dtype, requiresGrad: true });
  const bias = c.bias === null ? null : tensor(c.bias, { dtype, requiresGrad: true });
  const out = op(x, weight, bias, optionsOf(c));
  const [rtol, atol] = dtype === 'float64' ? [1e-9, 1e-12] : [1e-4, 1e-5];
  expectClose(out, c.out, rtol, atol);
  out.mul(tensor(c.gout, { dtype })).sum().backward();
  expectClose(x.grad, c.gx, rtol, atol);
  expectClose(weight.grad, c.gweight, rtol, atol);
  if (c.gbias !== null) expectClose(bias?.grad ?? null, c.gbias, rtol, atol);
}

describe('conv1d', () => {
  for (const c of fixture.conv1d) {
    it(`matches PyTorch's output, input, weight and bias gradients (${c.name}, float64)`, () => {
      runCase(conv1d as unknown as typeof conv2d, c, 'float64');
    });
    it(`matches PyTorch in float32 (${c.name})`, () => {
      runCase(conv1d as unknown as typeof conv2d, c, 'float32');
    });
  }

  it('passes gradcheck and gradgradcheck with stride, padding and dilation', () => {
    manualSeed(1);
    const x = randn([2, 2, 7], { dtype: 'float64', requiresGrad: true });
    const w = randn([3, 2, 3], { dtype: 'float64', requiresGrad: true });
    const b = randn([3], { dtype: 'float64', requiresGrad: true });
    const f = (xi: Tensor, wi: Tensor, bi: Tensor) => conv1d(xi, wi, bi, { stride: 2, padding: 2, dilation: 2 });
    expect(gradcheck(f, [x, w, b])).toBe(true);
    expect(gradgradcheck(f, [x, w, b])).toBe(true);
  });

  it("gives Conv1d(2, 3, 2) on [4, 2, 5] the original engine's output shape [4, 3, 4]", () => {
    const conv = new Conv1d(2, 3, 2, { stride: 1 });
    expect(conv.call(randn([4, 2, 5])).shape).toEqual([4, 3, 4]);
  });
});

describe('conv2d', () => {
  for (const c of fixture.conv2d) {
    it(`matches PyTorch's output, input, weight and bias gradients (${c.name}, float64)`, () => {
      runCase(conv2d, c, 'float64');
    });
    it(`matches PyTorch in float32 (${c.name})`, () => {
      runCase(conv2d, c, 'float32');
    });
  }

  it('passes gradcheck and gradgradcheck with tuple stride, padding and dilation', () => {
    manualSeed(2);
    const x = randn([1, 1, 4, 5], { dtype: 'float64', requiresGrad: true });
    const w = randn([2, 1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const b = randn([2], { dtype: 'float64', requiresGrad: true });
    const f = (xi: Tensor, wi: Tensor, bi: Tensor) =>
      conv2d(xi, wi, bi, { stride: [2, 1], padding: [1, 2], dilation: [1, 2] });
    expect(gradcheck(f, [x, w, b])).toBe(true);
    expect(gradgradcheck(f, [x, w, b])).toBe(true);
  });

  it('passes gradcheck on an unbatched input with same padding', () => {
    manualSeed(3);
    const x = randn([2, 4, 4], { dtype: 'float64', requiresGrad: true });
    const w = randn([1, 2, 2, 2], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((xi: Tensor, wi: Tensor) => conv2d(xi, wi, null, { padding: 'same' }), [x, w])).toBe(true);
  });

  it('computes a hand-checked cross-correlation', () => {
    const x = tensor([
      [
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ],
      ],
    ]);
    const w = tensor([
      [
        [
          [1, 0],
          [0, -1],
        ],
      ],
    ]);
    expect(conv2d(x, w, tensor([10])).toArray()).toEqual([
      [
        [
          [6, 6],
          [6, 6],
        ],
      ],
    ]);
    expect(conv2d(x, w, null, { padding: 1 }).toArray()).toEqual([
      [
        [
          [-1, -2, -3, 0],
          [-4, -4, -4, 3],
          [-7, -4, -4, 6],
          [0, 7, 8, 9],
        ],
      ],
    ]);
  });
});

describe('conv errors', () => {
  it('names the function and the ranks when the input has the wrong rank', () => {
    expect(() => conv2d(randn([5, 5]), randn([1, 1, 3, 3]))).toThrow(
      /conv2d: expected a 4-D input .*got shape \[5, 5\]/,
    );
    expect(() => conv1d(randn([1, 1, 1, 5]), randn([1, 1, 3]))).toThrow(/conv1d: expected a 3-D input/);
    expect(() => conv1d(randn([1, 1, 5]), randn([1, 3]))).toThrow(/conv1d: weight must be 3-D/);
  });

  it('names both channel counts on a channel mismatch', () => {
    expect(() => conv2d(randn([1, 3, 5, 5]), randn([4, 2, 3, 3]))).toThrow(
      /conv2d: input of shape \[1, 3, 5, 5\] has 3 channels but weight of shape \[4, 2, 3, 3\] expects 2/,
    );
  });

  it('rejects a kernel larger than the padded input', () => {
    expect(() => conv2d(randn([1, 1, 2, 2]), randn([1, 1, 3, 3]))).toThrow(
      /conv2d: padded input size \[2, 2\] .* smaller than the dilated kernel size \[3, 3\]/,
    );
    expect(() => conv1d(randn([1, 1, 4]), randn([1, 1, 3]), null, { dilation: 2 })).toThrow(
      /dilated kernel size \[5\]/,
    );
  });

  it('rejects groups, bad strides, a wrong bias shape and strided same padding', () => {
    expect(() => conv1d(randn([1, 2, 5]), randn([2, 1, 3]), null, { groups: 2 })).toThrow(
      /groups = 2 is not supported/,
    );
    expect(() => conv2d(randn([1, 1, 5, 5]), randn([1, 1, 3, 3]), null, { stride: 0 })).toThrow(
      /stride must be an integer ≥ 1/,
    );
    expect(() =>
      conv2d(randn([1, 1, 5, 5]), randn([1, 1, 3, 3]), null, { padding: [1, 2, 3] as unknown as number }),
    ).toThrow(/padding must be an integer ≥ 0 or 2 of them/);
    expect(() => conv2d(randn([1, 1, 5, 5]), randn([2, 1, 3, 3]), randn([3]))).toThrow(/bias must have shape \[2\]/);
    expect(() => conv2d(randn([1, 1, 5, 5]), randn([1, 1, 3, 3]), null, { padding: 'same', stride: 2 })).toThrow(
      /padding 'same' is not supported for strided convolutions/,
    );
  });
});

describe('Conv1d and Conv2d layers', () => {
  it("registers PyTorch's parameter names and shapes", () => {
    const conv = new Conv2d(3, 8, [3, 5]);
    expect(conv.namedParameters().map(([name, p]) => [name, p.shape])).toEqual([
      ['weight', [8, 3, 3, 5]],
      ['bias', [8]],
    ]);
    expect(new Conv1d(2, 4, 3, { bias: false }).namedParameters().map(([name]) => name)).toEqual(['weight']);
  });

  it('initialises weight and bias uniformly within ±1/√fanIn, reproducibly with manualSeed', () => {
    manualSeed(5);
    const a = new Conv2d(4, 16, 3);
    manualSeed(5);
    const b = new Conv2d(4, 16, 3);
    expect(Array.from(a.weight.data)).toEqual(Array.from(b.weight.data));
    const bound = 1 / Math.sqrt(4 * 9);
    const values = [...a.weight.data, ...(a.bias as Tensor).data];
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(bound);
    // A uniform sample of 592 values spreads over most of the interval.
    expect(Math.max(...values)).toBeGreaterThan(0.8 * bound);
    expect(Math.min(...values)).toBeLessThan(-0.8 * bound);
  });

  it('computes the same as the functional form and accepts unbatched input', () => {
    manualSeed(6);
    const conv = new Conv2d(2, 3, 3, { padding: 1, stride: 2 });
    const x = randn([2, 7, 7]);
    const out = conv.call(x);
    expect(out.shape).toEqual([3, 4, 4]);
    const batched = conv2d(x.unsqueeze(0), conv.weight, conv.bias, { padding: 1, stride: 2 });
    expect(Array.from(out.data)).toEqual(Array.from(batched.data));
  });

  it("prints PyTorch's summary, showing padding, dilation and bias only when not the default", () => {
    expect(String(new Conv2d(1, 8, 3))).toBe('Conv2d(1, 8, kernelSize=[3, 3], stride=[1, 1])');
    expect(String(new Conv1d(2, 4, 5, { stride: 2, padding: 1, dilation: 2, bias: false }))).toBe(
      'Conv1d(2, 4, kernelSize=[5], stride=[2], padding=[1], dilation=[2], bias=false)',
    );
    expect(String(new Conv2d(1, 2, [2, 3], { padding: 'same' }))).toBe(
      'Conv2d(1, 2, kernelSize=[2, 3], stride=[1, 1], padding=same)',
    );
  });

  it('gives gradients to weight and bias after backward', () => {
    const conv = new Conv1d(1, 2, 3);
    conv
      .call(randn([2, 1, 6]))
      .sum()
      .backward();
    expect(conv.weight.grad?.shape).toEqual([2, 1, 3]);
    expect(conv.bias?.grad?.shape).toEqual([2]);
  });
});
