/**
 * @file Edge cases found by adversarial testing against PyTorch 1.13; each expected value is what PyTorch
 * printed for the same call (noted beside it).
 */
import { describe, expect, it } from 'vitest';
import { arange, grad, gradcheck, gradgradcheck, noGrad, randn, type Tensor, tensor, zeros } from '../src/index';

const f64 = (data: number[]) => tensor(data, { dtype: 'float64', requiresGrad: true });

describe('narrow', () => {
  const a = arange(6).reshape(2, 3);

  it('counts a negative start from the end', () => {
    // torch.arange(6.).reshape(2, 3).narrow(1, -1, 1) → [[2.], [5.]]
    expect(a.narrow(1, -1, 1).toArray()).toEqual([[2], [5]]);
    expect(a.narrow(1, -3, 3).toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(a.narrow(1, 3, 0).shape).toEqual([2, 0]);
  });

  it('throws instead of truncating a window that runs past the end', () => {
    // torch: "start (2) + length (2) exceeds dimension size (3)."
    expect(() => a.narrow(1, 2, 2)).toThrow(/narrow: start 2 \+ length 2 exceeds the size 3 of dim 1/);
    expect(() => a.narrow(1, 0, -1)).toThrow(/narrow: start 0 \+ length -1 exceeds/);
    // torch: "Dimension out of range (expected to be in range of [-3, 2], but got -4)"
    expect(() => a.narrow(1, -4, 1)).toThrow(/narrow: start -4 is out of range for dim 1 of size 3/);
    expect(() => a.narrow(1, 4, 0)).toThrow(/narrow: start 4 is out of range/);
    expect(() => a.narrow(1, 1.5, 1)).toThrow(/narrow: start and length must be integers/);
  });
});

describe('degenerate variance and standard deviation', () => {
  /** Value and gradient of `op(x, correction)` over dim 0. */
  const run = (op: 'var' | 'std', data: number[], correction: number) => {
    const x = f64(data);
    const y = x[op](0, { correction });
    const [g] = grad([y], [x]);
    return { value: y.item(), gradient: g?.toArray() };
  };

  it('gives std a zero gradient where the deviation is 0, as PyTorch does', () => {
    // torch.std(torch.tensor([2., 2., 2.]), dim=0, correction=1) → 0, gradient [0, 0, 0]
    expect(run('std', [2, 2, 2], 1)).toEqual({ value: 0, gradient: [0, 0, 0] });
    expect(run('std', [3], 0)).toEqual({ value: 0, gradient: [0] });
    expect(run('std', [5, 5], 0)).toEqual({ value: 0, gradient: [0, 0] });
  });

  it('follows PyTorch when n <= correction', () => {
    // var([1., 2.], correction=3) → inf with gradient [1, -1]; std → inf with gradient [0, -0]
    expect(run('var', [1, 2], 3)).toEqual({ value: Number.POSITIVE_INFINITY, gradient: [1, -1] });
    const s = run('std', [1, 2], 3);
    expect(s.value).toBe(Number.POSITIVE_INFINITY);
    expect(s.gradient).toBeAllClose([0, 0]);
    // var([1.], correction=1) → nan with gradient [nan]; so does std
    expect(run('var', [1], 1)).toEqual({ value: Number.NaN, gradient: [Number.NaN] });
    expect(run('std', [1], 1)).toEqual({ value: Number.NaN, gradient: [Number.NaN] });
  });

  it('keeps the ordinary values and gradients', () => {
    // torch.var / torch.std of [1., 2., 4.], correction=1
    const v = run('var', [1, 2, 4], 1);
    expect(v.value).toBeCloseTo(2.333333333333333, 14);
    expect(v.gradient).toBeAllClose([-1.3333333333333335, -0.3333333333333335, 1.6666666666666665]);
    const s = run('std', [1, 2, 4], 1);
    expect(s.value).toBeCloseTo(1.5275252316519465, 14);
    expect(s.gradient).toBeAllClose([-0.43643578047198484, -0.10910894511799625, 0.5455447255899809]);
    const x = randn([3, 4], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((t) => t.std(1), [x])).toBe(true);
    expect(gradgradcheck((t) => t.std([0, 1]), [x])).toBe(true);
  });
});

describe('NaN, steps and ranges', () => {
  it('sends the gradient of a full max()/min() over a NaN to the NaN element only', () => {
    // torch.tensor([1., nan, 3., 3.]).max() → nan, gradient [0, 1, 0, 0]; the same for min()
    for (const op of ['max', 'min'] as const) {
      const x = tensor([1, Number.NaN, 3, 3], { requiresGrad: true });
      const y = x[op]();
      y.backward();
      expect(y.item()).toBeNaN();
      expect([...(x.grad?.data ?? [])]).toEqual([0, 1, 0, 0]);
    }
    // Without NaN, ties still share it: torch.tensor([1., 3., 3.]).max() → gradient [0, 0.5, 0.5]
    const x = tensor([1, 3, 3], { requiresGrad: true });
    x.max().backward();
    expect([...(x.grad?.data ?? [])]).toEqual([0, 0.5, 0.5]);
  });

  it('gives NaN for a NaN clamp bound and passes NaN inputs through', () => {
    // torch.tensor([1., 2.]).clamp(nan, 2) → [nan, nan] with gradient [0, 0]
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.clamp(Number.NaN, 2);
    y.sum().backward();
    expect([...y.data].every(Number.isNaN)).toBe(true);
    expect([...(x.grad?.data ?? [])]).toEqual([0, 0]);
    // torch.tensor([nan, 1.]).clamp(0, 2) → [nan, 1] with gradient [0, 1]
    const z = tensor([Number.NaN, 1], { requiresGrad: true });
    const c = z.clamp(0, 2);
    c.sum().backward();
    expect(c.data[0]).toBeNaN();
    expect([...(z.grad?.data ?? [])]).toEqual([0, 1]);
    // One bound only still means no bound on the other side.
    expect([...tensor([-5, 5]).clamp(0).data]).toEqual([0, 5]);
    expect([...tensor([-5, 5]).clamp(null, 0).data]).toEqual([-5, 0]);
  });

  it('rejects an arange step whose sign never reaches the end', () => {
    // torch.arange(0, 5, -1): "upper bound and larger bound inconsistent with step sign"
    expect(() => arange(0, 5, -1)).toThrow(/arange: a step of -1 never goes from 0 to 5; use a positive step/);
    expect(() => arange(5, 0, 1)).toThrow(/use a negative step/);
    expect([...arange(5, 0, -2).data]).toEqual([5, 3, 1]);
    expect(arange(0, 0, -1).shape).toEqual([0]);
  });

  it('backpropagates a zero gradient through floor, round and sign', () => {
    // torch: x.floor().sum().backward() → x.grad == [0, 0] (likewise round, sign)
    for (const op of ['floor', 'round', 'sign'] as const) {
      const x = tensor([1.5, -2.5], { requiresGrad: true });
      const y = x[op]().add(x);
      expect(y.requiresGrad).toBe(true);
      y.sum().backward();
      expect([...(x.grad?.data ?? [])]).toEqual([1, 1]);
    }
  });
});

describe('zero-size dimensions', () => {
  it('softmax, logSoftmax and logsumexp over or beside an empty dim follow PyTorch', () => {
    // torch.zeros(0, 3).softmax(1).shape → [0, 3]; torch.zeros(3, 0).softmax(1).shape → [3, 0]
    expect(zeros([0, 3]).softmax(1).shape).toEqual([0, 3]);
    expect(zeros([3, 0]).softmax(1).shape).toEqual([3, 0]);
    expect(zeros([3, 0]).logSoftmax(1).shape).toEqual([3, 0]);
    // torch.zeros(3, 0).logsumexp(1) → tensor([-inf, -inf, -inf]); torch.zeros(0).logsumexp(0) → tensor(-inf)
    expect(zeros([3, 0]).logsumexp(1).toArray()).toEqual([
      Number.NEGATIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
    expect(zeros([0]).logsumexp(0).item()).toBe(Number.NEGATIVE_INFINITY);
    // torch.zeros(0, 3).logsumexp(1) → tensor([])
    expect(zeros([0, 3]).logsumexp(1).shape).toEqual([0]);
  });

  it('reduces max/min/argmax beside an empty dim, and throws as PyTorch over one', () => {
    // torch.zeros(1, 0).max(0) → values tensor([]), indices tensor([])
    expect(zeros([1, 0]).max(0).shape).toEqual([0]);
    expect(zeros([1, 0]).min(0, true).shape).toEqual([1, 0]);
    expect(zeros([1, 0]).argmax(0).shape).toEqual([0]);
    expect(zeros([2, 0]).max([0]).shape).toEqual([0]);
    // torch: "max(): Expected reduction dim 1 to have non-zero size."
    expect(() => zeros([1, 0]).max(1)).toThrow(/max: expected reduction dim 1 to have non-zero size/);
    expect(() => zeros([1, 0]).argmin(1)).toThrow(/argmin: expected reduction dim 1 to have non-zero size/);
    // torch: "max(): Expected reduction dim to be specified for input.numel() == 0."
    expect(() => zeros([0]).max()).toThrow(/max: cannot take the max of an empty tensor of shape \[0\] without a dim/);
    expect(() => zeros([0]).argmax()).toThrow(/argmax: cannot take the argmax of an empty tensor/);
  });

  it('differentiates through them to empty gradients', () => {
    // In PyTorch each gradient has the input's (empty) shape.
    const cases: [number[], (x: Tensor) => Tensor][] = [
      [[0, 3], (x) => x.softmax(1)],
      [[0, 3], (x) => x.logSoftmax(1)],
      [[3, 0], (x) => x.logsumexp(1)],
      [[1, 0], (x) => x.max(0)],
      [[1, 0], (x) => x.min([0])],
    ];
    for (const [shape, f] of cases) {
      const x = zeros(shape, { requiresGrad: true });
      const [g] = grad([f(x).sum()], [x]);
      expect(g?.shape).toEqual(shape);
    }
  });
});

describe('in-place writes where several elements share one memory location', () => {
  // torch.zeros(1).expand(3).add_(1) → RuntimeError: unsupported operation: more than one element of the
  // written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.
  const message = (op: string, shape: string, strides: string) =>
    new RegExp(
      `${op}: unsupported operation: more than one element of the written-to tensor \\(shape \\[${shape}\\], strides \\[${strides}\\]\\) refers to a single memory location; clone\\(\\) the tensor before`,
    );

  it('throws without autograd, as PyTorch', () => {
    const expanded = () => zeros([1]).expand(3);
    expect(() => expanded().add_(1)).toThrow(message('add_', '3', '0'));
    expect(() => expanded().sub_(1)).toThrow(message('sub_', '3', '0'));
    expect(() => expanded().mul_(2)).toThrow(message('mul_', '3', '0'));
    expect(() => expanded().div_(2)).toThrow(message('div_', '3', '0'));
    expect(() => expanded().pow_(2)).toThrow(message('pow_', '3', '0'));
    expect(() => expanded().neg_()).toThrow(message('neg_', '3', '0'));
    expect(() => expanded().clamp_(0, 1)).toThrow(message('clamp_', '3', '0'));
    // torch: copy_ of torch.ones(3), of torch.ones(1) and of a 0-d tensor all raise the same error
    expect(() => expanded().copy_(tensor([1, 1, 1]))).toThrow(message('copy_', '3', '0'));
    expect(() => expanded().copy_(tensor(2))).toThrow(message('copy_', '3', '0'));
    expect(() => zeros([2, 1]).expand(2, 4).mul_(2)).toThrow(message('mul_', '2, 4', '1, 0'));
    // The values were not touched.
    const base = zeros([1]);
    expect(() => base.expand(3).add_(1)).toThrow();
    expect(base.toArray()).toEqual([0]);
  });

  it('throws under noGrad and inside the graph', () => {
    expect(() => noGrad(() => zeros([1]).expand(3).add_(1))).toThrow(message('add_', '3', '0'));
    const y = tensor([1], { requiresGrad: true }).mul(2);
    expect(() => y.expand(3).mul_(2)).toThrow(message('mul_', '3', '0'));
  });

  it('allows what PyTorch allows: fill_/zero_, a size-1 or empty dim of stride 0', () => {
    // torch.zeros(1).expand(3).fill_(3) → [3., 3., 3.]; .zero_() → [0., 0., 0.]
    expect(zeros([1]).expand(3).fill_(3).toArray()).toEqual([3, 3, 3]);
    expect(zeros([1]).expand(3).zero_().toArray()).toEqual([0, 0, 0]);
    // torch.zeros(1).expand(1).add_(1) → [1.]; torch.zeros(1).expand(0).add_(1) → []
    expect(zeros([1]).expand(1).add_(1).toArray()).toEqual([1]);
    expect(zeros([1]).expand(0).add_(1).toArray()).toEqual([]);
    // A transposed (non-contiguous, not overlapping) view is still written in place.
    const m = zeros([2, 3]);
    m.transpose(0, 1).add_(1);
    expect(m.toArray()).toEqual([
      [1, 1, 1],
      [1, 1, 1],
    ]);
  });
});

describe('amax and amin', () => {
  it('reduce over several dims and share the gradient among ties, as torch.amax', () => {
    // x = [[1, 3, 3], [2, 0, 2]]: x.amax(1) → [3., 2.], x.grad [[0, .5, .5], [.5, 0, .5]]
    const x = tensor(
      [
        [1, 3, 3],
        [2, 0, 2],
      ],
      { requiresGrad: true },
    );
    const [g] = grad([x.amax(1).sum()], [x]);
    expect(x.amax(1).toArray()).toEqual([3, 2]);
    expect(g?.toArray()).toEqual([
      [0, 0.5, 0.5],
      [0.5, 0, 0.5],
    ]);
    // x.amin() → 0., x.grad [[0, 0, 0], [0, 1, 0]]
    const [h] = grad([x.amin()], [x]);
    expect(h?.toArray()).toEqual([
      [0, 0, 0],
      [0, 1, 0],
    ]);
    // x.amax((0, 1), keepdim=True) → [[3.]], x.grad [[0, .5, .5], [0, 0, 0]]
    expect(x.amax([0, 1], true).toArray()).toEqual([[3]]);
    const [k] = grad([x.amax([0, 1], true).sum()], [x]);
    expect(k?.toArray()).toEqual([
      [0, 0.5, 0.5],
      [0, 0, 0],
    ]);
  });

  it('follow PyTorch beside and over an empty dim', () => {
    // torch.zeros(2, 0).amax(0).shape → [0]; torch.zeros(2, 0).amin(0, keepdim=True).shape → [1, 0]
    expect(zeros([2, 0]).amax(0).shape).toEqual([0]);
    expect(zeros([2, 0]).amin(0, true).shape).toEqual([1, 0]);
    // torch: "amin(): Expected reduction dim 1 to have non-zero size."
    expect(() => zeros([2, 0]).amin(1)).toThrow(/amin: expected reduction dim 1 to have non-zero size/);
    // torch: "amax(): Expected reduction dim to be specified for input.numel() == 0."
    expect(() => zeros([2, 0]).amax()).toThrow(/amax: cannot take the amax of an empty tensor of shape \[2, 0\]/);
  });
});
