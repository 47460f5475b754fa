/**
 * @file Creation functions, tensor properties and dtype promotion, as docs/API.md describes them
 * (values as torch.zeros/arange/linspace/eye... give them).
 */
import { describe, expect, it } from 'vitest';
import {
  arange,
  eye,
  full,
  linspace,
  manualSeed,
  ones,
  onesLike,
  rand,
  randint,
  randn,
  randperm,
  Tensor,
  tensor,
  zeros,
  zerosLike,
} from '../src/index';

describe('tensor()', () => {
  it('builds from a number, nested arrays and typed arrays, float32 by default', () => {
    const s = tensor(3.5);
    expect(s.shape).toEqual([]);
    expect(s.ndim).toBe(0);
    expect(s.size).toBe(1);
    expect(s.dtype).toBe('float32');
    expect(s.item()).toBe(3.5);
    expect(s.toArray()).toBe(3.5);
    const m = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(m.shape).toEqual([2, 3]);
    expect(m.data).toBeInstanceOf(Float32Array);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(m.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const typed = tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 2] });
    expect(typed.dtype).toBe('float64');
    expect(typed.shape).toEqual([2, 2]);
    expect(new Tensor([1, 2], { dtype: 'float64' }).data).toBeInstanceOf(Float64Array);
  });

  it('copies its data, so later changes to the source array do not show', () => {
    const source = new Float32Array([1, 2]);
    const t = tensor(source);
    source[0] = 9;
    expect(t.data[0]).toBe(1);
  });

  it('takes a name for the inspect tools, and leaves it undefined otherwise', () => {
    const x = tensor(2, { requiresGrad: true, name: 'x' });
    expect(x.name).toBe('x');
    expect(x.requiresGrad).toBe(true);
    expect(tensor(2).name).toBeUndefined();
  });

  it('handles empty arrays and size-0 dims', () => {
    expect(tensor([]).shape).toEqual([0]);
    expect(zeros([2, 0]).size).toBe(0);
    expect(zeros([2, 0]).toArray()).toEqual([[], []]);
  });

  it('rounds values to float32 unless float64 is asked for', () => {
    expect(tensor(0.1).item()).toBe(Math.fround(0.1));
    expect(tensor(0.1, { dtype: 'float64' }).item()).toBe(0.1);
  });
});

describe('constant and range creation', () => {
  it('zeros, ones, full and the *Like variants give the right values, shapes and dtypes', () => {
    expect(zeros([2, 2]).toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(ones(3).toArray()).toEqual([1, 1, 1]);
    expect(full([2], 7, { dtype: 'float64' }).toArray()).toEqual([7, 7]);
    const base = tensor([[1, 2]], { dtype: 'float64' });
    expect(zerosLike(base).dtype).toBe('float64');
    expect(zerosLike(base).shape).toEqual([1, 2]);
    expect(onesLike(base).toArray()).toEqual([[1, 1]]);
    expect(zeros([2], { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('arange matches torch.arange for one, two and three arguments', () => {
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(2, 5).toArray()).toEqual([2, 3, 4]);
    expect(arange(1, 2.5, 0.5).toArray()).toEqual([1, 1.5, 2]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(arange(0, 1, 0.1, { dtype: 'float64' }).size).toBe(10);
    expect(arange(3, 3).size).toBe(0);
  });

  it('linspace matches torch.linspace, ending exactly at end', () => {
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(-1, 1, 4, { dtype: 'float64' })).toBeAllClose([-1, -1 / 3, 1 / 3, 1]);
    expect(Array.from(linspace(0, 0.3, 7, { dtype: 'float64' }).data)).toEqual([
      0.0, 0.049999999999999996, 0.09999999999999999, 0.15, 0.2, 0.25, 0.3,
    ]);
    expect(linspace(2, 3, 1).toArray()).toEqual([2]);
    expect(linspace(2, 3, 0).size).toBe(0);
  });

  it('eye gives the identity, square or rectangular', () => {
    expect(eye(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });
});

describe('random creation', () => {
  it('manualSeed makes rand, randn, randint and randperm reproducible', () => {
    const draw = () => [rand([4]), randn([5]), randint(0, 10, [6]), randperm(7)].map((t) => Array.from(t.data));
    manualSeed(123);
    const a = draw();
    manualSeed(123);
    const b = draw();
    manualSeed(124);
    const c = draw();
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('rand is uniform in [0, 1), randn standard normal, randint integers in [low, high)', () => {
    manualSeed(7);
    const u = Array.from(rand([20_000], { dtype: 'float64' }).data);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((a, b) => a + b) / u.length).toBeCloseTo(0.5, 1);
    const n = randn([20_000], { dtype: 'float64' });
    expect(n.mean().item()).toBeCloseTo(0, 1);
    expect(n.std().item()).toBeCloseTo(1, 1);
    const k = Array.from(randint(-2, 3, [2_000]).data);
    expect(k.every((v) => Number.isInteger(v) && v >= -2 && v < 3)).toBe(true);
    expect(new Set(k).size).toBe(5);
    expect(
      Array.from(randperm(6).data)
        .slice()
        .sort((a, b) => a - b),
    ).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('properties', () => {
  it('exposes requiresGrad (settable on leaves), grad (settable), isLeaf and gradFn', () => {
    const x = tensor([1, 2]);
    expect(x.requiresGrad).toBe(false);
    x.requiresGrad = true;
    expect(x.requiresGrad).toBe(true);
    expect(x.isLeaf).toBe(true);
    expect(x.grad).toBeNull();
    x.grad = tensor([5, 6]);
    expect(x.grad?.toArray()).toEqual([5, 6]);
    x.grad = null;
    expect(x.grad).toBeNull();
    const y = x.mul(2);
    expect(y.isLeaf).toBe(false);
    expect(y.gradFn?.name).toBe('mul');
    expect(() => {
      y.requiresGrad = false;
    }).toThrow(/requiresGrad: can only be changed on leaf tensors/);
  });

  it('data of a view is its own elements in row-major order', () => {
    const m = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(Array.from(m.T.data)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Array.from(m.slice(1, 1).data)).toEqual([2, 3, 5, 6]);
    expect(m.T.toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
  });
});

describe('dtype promotion', () => {
  it('float64 wins when float32 and float64 meet, in every kind of op', () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4], { dtype: 'float64' });
    expect(a.add(b).dtype).toBe('float64');
    expect(b.sub(a).dtype).toBe('float64');
    expect(a.maximum(b).dtype).toBe('float64');
    expect(a.pow(b).dtype).toBe('float64');
    expect(a.unsqueeze(1).matmul(b.unsqueeze(0)).dtype).toBe('float64');
    expect(a.add(1).dtype).toBe('float32');
    expect(a.where(a.gt(1), b).dtype).toBe('float64');
    expect(a.double().dtype).toBe('float64');
    expect(b.float().dtype).toBe('float32');
  });

  it('a 0-d float64 tensor promotes too (unlike PyTorch, as the README says); a number keeps the dtype', () => {
    const a = tensor([1, 2]);
    expect(a.mul(tensor(2, { dtype: 'float64' })).dtype).toBe('float64');
    expect(a.mul(2).dtype).toBe('float32');
    expect(tensor([1, 2], { dtype: 'float64' }).mul(2).dtype).toBe('float64');
  });
});

describe('PyTorch details', () => {
  it('reduces over every dim when dim is an empty list, as torch.sum(x, dim=[]) does', () => {
    const m = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(m.sum([]).item()).toBe(10);
    expect(m.mean([]).item()).toBe(2.5);
    expect(m.max([]).item()).toBe(4);
  });

  it('sign is 0 for NaN and -0, as torch.sign', () => {
    expect(Array.from(tensor([Number.NaN, -0, -3, 2]).sign().data)).toEqual([0, 0, -1, 1]);
  });

  it('cat of one tensor is a new tensor, not the input', async () => {
    const { cat } = await import('../src/index');
    const a = tensor([1, 2]);
    const c = cat([a]);
    expect(c).not.toBe(a);
    c.add_(1);
    expect(a.toArray()).toEqual([1, 2]);
  });
});
