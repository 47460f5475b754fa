/**
 * @file Bad input: every case throws an Error whose message names the function or op, the
 * offending shapes or values, and how to fix it.
 */
import { describe, expect, it } from 'vitest';
import { arange, cat, eye, full, linspace, ones, randint, type Tensor, tensor, zeros } from '../src/index';

const m = (rows: number, cols: number) => ones([rows, cols]);

describe('construction', () => {
  it('rejects ragged nested arrays, naming the index and the expected length', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(
      'tensor: ragged nested array: the array at index [1] has length 1 but 2 was expected',
    );
    expect(() => tensor([[1, 2], 3] as unknown as number[][])).toThrow(
      /tensor: ragged nested array: element at index \[1\]/,
    );
    expect(() => tensor([1, [2, 3]] as unknown as number[])).toThrow(/tensor: element at index \[1\] is an array/);
  });

  it('rejects NaN, negative and fractional sizes in shapes', () => {
    expect(() => zeros([2, Number.NaN])).toThrow(
      /zeros: shape \[2, NaN\] has an invalid size NaN; every size must be a non-negative integer/,
    );
    expect(() => ones([-1, 3])).toThrow(/ones: shape \[-1, 3\] has an invalid size -1/);
    expect(() => full([1.5], 0)).toThrow(/full: .* invalid size 1.5/);
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(
      'tensor: shape [2, 2] needs 4 elements but the data has 3',
    );
  });

  it('rejects bad arguments to range and random creation, naming the function and the value', () => {
    expect(() => arange(0, 10, 0)).toThrow('arange: step must be a finite non-zero number, got 0');
    expect(() => linspace(0, 1, -1)).toThrow('linspace: steps must be a non-negative integer, got -1');
    expect(() => randint(3, 1, [2])).toThrow('randint: need integers low < high, got low=3, high=1');
    expect(() => eye(-1)).toThrow(/eye: shape \[-1, -1\] has an invalid size -1/);
    expect(() => ones([2]).reshape(Number.NaN)).toThrow(/reshape: invalid size NaN in shape \[NaN\]/);
  });

  it('rejects an unknown dtype, naming the ones allowed', () => {
    expect(() => tensor([1], { dtype: 'int32' as 'float32' })).toThrow(
      `tensor: unknown dtype "int32"; use 'float32' (the default) or 'float64'`,
    );
    expect(() => zeros([2], { dtype: 'float16' as 'float32' })).toThrow(/unknown dtype "float16"/);
    expect(() => ones([2]).to('bfloat16' as 'float32')).toThrow(/to: unknown dtype "bfloat16"/);
  });

  it('rejects values that are not numbers', () => {
    expect(() => tensor('abc' as unknown as number)).toThrow(/tensor: expected a number, a nested array of numbers/);
    expect(() => tensor([1, 'a'] as unknown as number[])).toThrow(
      /tensor: element at index \[1\] is "a"; expected a number/,
    );
  });
});

describe('shapes', () => {
  it('names the op and both shapes when element-wise shapes do not broadcast', () => {
    expect(() => m(2, 3).add(m(4, 3))).toThrow(
      'add: cannot broadcast shapes [2, 3] and [4, 3]: size 2 and size 4 differ at dimension 0 of the result',
    );
    expect(() => m(2, 3).mul(ones([2]))).toThrow(/mul: cannot broadcast shapes \[2, 3\] and \[2\]/);
  });

  it('names both shapes and the inner dims for a matmul mismatch', () => {
    expect(() => m(2, 3).matmul(m(2, 3))).toThrow(
      /matmul: shapes \[2, 3\] and \[2, 3\] cannot be multiplied: the last dim of the first \(3\) must equal the second-to-last dim of the second \(2\)/,
    );
    expect(() => ones([3]).matmul(ones([4]))).toThrow(/matmul: shapes \[3\] and \[4\] cannot be multiplied/);
    expect(() => ones([]).matmul(ones([2]))).toThrow(/matmul: both arguments need at least 1 dimension/);
  });

  it('explains reshape, view and expand mistakes', () => {
    expect(() => m(2, 3).reshape(4, 2)).toThrow(
      'reshape: cannot reshape a tensor of shape [2, 3] (6 elements) into [4, 2] (8 elements)',
    );
    expect(() => m(2, 3).reshape(-1, -1)).toThrow('reshape: only one dimension can be -1');
    expect(() => m(2, 3).T.view(6)).toThrow(/view: .* cannot be viewed as \[6\]; use reshape\(\)/);
    expect(() => m(2, 3).expand(4, 3)).toThrow(/expand: cannot expand shape \[2, 3\] to \[4, 3\]: dim 0 has size 2/);
  });

  it('names the tensors and dim when cat or stack inputs do not fit', () => {
    expect(() => cat([m(2, 3), m(2, 2)], 0)).toThrow(
      'cat: tensor 1 has shape [2, 2] but tensor 0 has shape [2, 3]; all sizes must match except along dim 0',
    );
    expect(() => cat([], 0)).toThrow('cat: expected a non-empty array of tensors');
  });
});

describe('dims and indices', () => {
  it('names the op, the dim and the valid range for a bad dim', () => {
    expect(() => m(2, 3).sum(2)).toThrow(
      'sum: dim 2 is out of range for a tensor with 2 dimension(s); use a dim in [-2, 1]',
    );
    expect(() => m(2, 3).softmax(-3)).toThrow(/softmax: dim -3 is out of range/);
    expect(() => m(2, 3).transpose(0, 5)).toThrow(/transpose: dim 5 is out of range/);
    expect(() => m(2, 3).permute(0, 0)).toThrow(/permute: dims \[0, 0\] repeat a dim/);
    expect(() => m(2, 3).sum([1, -1])).toThrow(/sum: dim \[1,-1\] names a dimension twice/);
  });

  it('rejects out-of-range and fractional indices naming the op, the value and the valid range', () => {
    const idx = (values: number[], shape = [values.length]) => tensor(values, { shape });
    expect(() => m(2, 3).gather(1, idx([0, 3], [2, 1]))).toThrow(
      'gather: index 3 at position 1 is out of range for dim 1 of size 3; indices must be integers in [0, 2]',
    );
    expect(() => m(3, 2).indexSelect(0, idx([-1]))).toThrow(
      /indexSelect: index -1 .* out of range for dim 0 of size 3/,
    );
    expect(() => m(3, 2).indexSelect(0, idx([0.5]))).toThrow(/indexSelect: index 0.5/);
    expect(() => arange(3).select(0, 3)).toThrow('select: index 3 is out of range for dim 0 of size 3');
  });
});

describe('autograd misuse', () => {
  it('backward() on a non-scalar without a gradient says to reduce or pass one', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(
      /backward: a gradient can be created implicitly only for a single-element output, but this one has shape \[2\]; call .sum\(\) or .mean\(\) first/,
    );
    expect(() => x.mul(2).backward(tensor([1, 2, 3]))).toThrow(
      'backward: gradient has shape [3] but the output has shape [2]; they must match',
    );
  });

  it('backward() on a tensor outside the graph says why', () => {
    expect(() => tensor(1).backward()).toThrow(/backward: this tensor does not require grad/);
  });

  it('a second backward through a freed graph names retainGraph', () => {
    const x = tensor(2, { requiresGrad: true });
    const y = x.square();
    y.backward();
    expect(() => y.backward()).toThrow(
      /trying to backward through the graph a second time.*'square'.*retainGraph: true/,
    );
  });

  it('an in-place op on a leaf that requires grad names noGrad as the fix', () => {
    const x = tensor([1], { requiresGrad: true });
    expect(() => x.mul_(2)).toThrow(/mul_: a leaf tensor that requires grad cannot be changed in place .*noGrad/);
  });

  it('item() on a multi-element tensor names the shape and how to reduce it', () => {
    expect(() => m(2, 3).item()).toThrow(
      'item: only a tensor with one element can be converted to a number, but this one has shape [2, 3] (6 elements)',
    );
  });

  it('setting .grad to a tensor of another shape names both shapes', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => {
      x.grad = tensor([1, 2, 3]);
    }).toThrow('grad: assigned gradient has shape [3] but the tensor has shape [2]');
  });

  it('gradcheck refuses float32 inputs', async () => {
    const { gradcheck } = await import('../src/index');
    const x: Tensor = tensor([1], { requiresGrad: true });
    expect(() => gradcheck((t) => t.mul(2), [x])).toThrow(
      /gradcheck: input 0 is float32; finite differences need float64/,
    );
  });
});
