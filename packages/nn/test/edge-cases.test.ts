/**
 * @file Edge cases of the losses and pooling checked against PyTorch 1.13; each expected value is what
 * PyTorch printed for the same call (noted beside it).
 */
import { grad, type Tensor, tensor, zeros } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import {
  avgPool1d,
  avgPool2d,
  bceLoss,
  bceWithLogitsLoss,
  crossEntropyLoss,
  huberLoss,
  l1Loss,
  maxPool1d,
  maxPool2d,
  mseLoss,
  nllLoss,
  type Reduction,
  smoothL1Loss,
} from '../src/index';

/** The value (a number, or the shape for 'none') and the input gradient's shape of `loss(x)` for x of `shape`. */
function run(shape: number[], loss: (x: Tensor) => Tensor) {
  const x = zeros(shape, { requiresGrad: true });
  const y = loss(x);
  const [g] = grad([y.sum()], [x]);
  return { value: y.ndim === 0 ? y.item() : y.shape, gradient: g?.shape };
}

describe('losses on an empty batch', () => {
  const indices = zeros([0]);
  const same = zeros([0, 4]);
  const cases: [string, (x: Tensor, reduction: Reduction) => Tensor][] = [
    ['crossEntropyLoss', (x, reduction) => crossEntropyLoss(x, indices, { reduction })],
    ['crossEntropyLoss smoothed', (x, reduction) => crossEntropyLoss(x, indices, { reduction, labelSmoothing: 0.1 })],
    [
      'crossEntropyLoss weighted',
      (x, reduction) => crossEntropyLoss(x, indices, { reduction, labelSmoothing: 0.1, weight: tensor([1, 2, 3, 4]) }),
    ],
    ['crossEntropyLoss probabilities', (x, reduction) => crossEntropyLoss(x, same, { reduction })],
    ['nllLoss', (x, reduction) => nllLoss(x, indices, { reduction })],
    ['mseLoss', (x, reduction) => mseLoss(x, same, { reduction })],
    ['l1Loss', (x, reduction) => l1Loss(x, same, { reduction })],
    ['huberLoss', (x, reduction) => huberLoss(x, same, { reduction })],
    ['smoothL1Loss', (x, reduction) => smoothL1Loss(x, same, { reduction })],
    ['bceLoss', (x, reduction) => bceLoss(x, same, { reduction })],
    ['bceWithLogitsLoss', (x, reduction) => bceWithLogitsLoss(x, same, { reduction })],
  ];
  const perElement = new Set(['mseLoss', 'l1Loss', 'huberLoss', 'smoothL1Loss', 'bceLoss', 'bceWithLogitsLoss']);

  it.each(cases)('%s: NaN for mean, 0 for sum, empty for none, with an empty gradient', (name, loss) => {
    // F.cross_entropy(torch.zeros(0, 4), torch.zeros(0, dtype=torch.long)) → nan; reduction='sum' → 0.;
    // reduction='none' → tensor([]) (shape [0, 4] for the element-wise losses); x.grad has shape [0, 4].
    expect(run([0, 4], (x) => loss(x, 'mean'))).toEqual({ value: Number.NaN, gradient: [0, 4] });
    expect(Math.abs(run([0, 4], (x) => loss(x, 'sum')).value as number)).toBe(0);
    expect(run([0, 4], (x) => loss(x, 'none'))).toEqual({
      value: perElement.has(name) ? [0, 4] : [0],
      gradient: [0, 4],
    });
  });

  it('crossEntropyLoss on an empty batch of images', () => {
    // F.cross_entropy(torch.zeros(0, 4, 2, 2), torch.zeros(0, 2, 2, dtype=torch.long)) → nan; 'none' → shape [0, 2, 2]
    const target = zeros([0, 2, 2]);
    expect(run([0, 4, 2, 2], (x) => crossEntropyLoss(x, target)).value).toBeNaN();
    expect(run([0, 4, 2, 2], (x) => crossEntropyLoss(x, target, { reduction: 'none' }))).toEqual({
      value: [0, 2, 2],
      gradient: [0, 4, 2, 2],
    });
  });
});

describe('crossEntropyLoss with no classes', () => {
  it('is NaN for mean with probability targets, as PyTorch', () => {
    // F.cross_entropy(torch.zeros(2, 0), torch.zeros(2, 0)) → nan; reduction='sum' → -0.
    expect(crossEntropyLoss(zeros([2, 0]), zeros([2, 0])).item()).toBeNaN();
    expect(crossEntropyLoss(zeros([2, 0]), zeros([2, 0]), { reduction: 'sum' }).item()).toBe(0);
    // The mean over rows is unchanged when there are classes: F.cross_entropy(x, p) for x = [[1, 2], [3, 5]],
    // p = [[0.25, 0.75], [1, 0]] → tensor(1.3451)
    const p = tensor([
      [0.25, 0.75],
      [1, 0],
    ]);
    const x = tensor([
      [1, 2],
      [3, 5],
    ]);
    expect(crossEntropyLoss(x, p).item()).toBeCloseTo(1.3451, 4);
  });

  it('is NaN when every class-index target is ignored, and throws for a kept one, as PyTorch', () => {
    // F.cross_entropy(torch.zeros(2, 0), torch.tensor([-100, -100])) → nan; with reduction='sum' → 0.
    // (label_smoothing=0.1 → nan: ε/C is infinite); F.nll_loss(..., reduction='none', weight=torch.zeros(0)) → [0., 0.]
    const x = zeros([2, 0], { requiresGrad: true });
    const ignoredTargets = tensor([-100, -100]);
    expect(crossEntropyLoss(x, ignoredTargets).item()).toBeNaN();
    expect(crossEntropyLoss(x, ignoredTargets, { reduction: 'sum' }).item()).toBe(0);
    expect(crossEntropyLoss(x, ignoredTargets, { reduction: 'sum', labelSmoothing: 0.1 }).item()).toBeNaN();
    expect(nllLoss(x, ignoredTargets, { reduction: 'none', weight: zeros([0]) }).toArray()).toEqual([0, 0]);
    const [g] = grad([crossEntropyLoss(x, ignoredTargets)], [x]);
    expect(g?.shape).toEqual([2, 0]);
    // F.cross_entropy(torch.zeros(2, 0), torch.tensor([-100, 0])) → "Target 0 is out of bounds."
    expect(() => crossEntropyLoss(x, tensor([-100, 0]))).toThrow(
      /crossEntropyLoss: target 0 at flat index 1 is not a class index in \[0, -1\] \(input has 0 classes\)/,
    );
  });
});

describe('pooling on an empty batch', () => {
  it('keeps the batch of 0 and the pooled size', () => {
    // F.max_pool1d(torch.zeros(0, 2, 4), 2).shape → [0, 2, 2]; F.max_pool2d(torch.zeros(0, 2, 4, 4), 2).shape → [0, 2, 2, 2]
    expect(run([0, 2, 4], (x) => maxPool1d(x, 2))).toEqual({ value: [0, 2, 2], gradient: [0, 2, 4] });
    expect(run([0, 2, 4, 4], (x) => maxPool2d(x, 2))).toEqual({ value: [0, 2, 2, 2], gradient: [0, 2, 4, 4] });
    // F.avg_pool1d / F.avg_pool2d: the same shapes
    expect(run([0, 2, 4], (x) => avgPool1d(x, 2))).toEqual({ value: [0, 2, 2], gradient: [0, 2, 4] });
    expect(run([0, 2, 4, 4], (x) => avgPool2d(x, 2))).toEqual({ value: [0, 2, 2, 2], gradient: [0, 2, 4, 4] });
  });

  it('throws as PyTorch when the channel or a spatial dim is empty', () => {
    // F.max_pool2d(torch.zeros(1, 0, 4, 4), 2) → "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch
    // size for input, but got:[1, 0, 4, 4]"; the same for avg_pool2d, max_pool1d, avg_pool1d, [1, 2, 0, 4] and [0, 4, 4]
    const only = /only the batch dim may have size 0, got shape/;
    expect(() => maxPool2d(zeros([1, 0, 4, 4]), 2)).toThrow(/maxPool2d: only the batch dim may have size 0/);
    expect(() => avgPool2d(zeros([1, 0, 4, 4]), 2)).toThrow(/avgPool2d: only the batch dim may have size 0/);
    expect(() => maxPool1d(zeros([1, 0, 4]), 2)).toThrow(only);
    expect(() => avgPool1d(zeros([1, 0, 4]), 2)).toThrow(only);
    expect(() => maxPool2d(zeros([1, 2, 0, 4]), 2, { padding: 1 })).toThrow(only);
    expect(() => avgPool2d(zeros([0, 4, 4]), 2)).toThrow(only);
    expect(() => maxPool1d(zeros([0, 4]), 2)).toThrow(only);
  });
});

describe('every target ignored', () => {
  const logits = [
    [1, 2, 3],
    [0.5, -1, 2],
  ];
  const ignored = tensor([-100, -100]);
  const weight = tensor([1, 2, 3]);
  /** The loss and the logits' gradient. */
  const run2 = (loss: (x: Tensor) => Tensor) => {
    const x = tensor(logits, { requiresGrad: true });
    const y = loss(x);
    const [g] = grad([y.sum()], [x]);
    return { value: y.toArray(), gradient: g?.toArray() };
  };
  const zeroGradient = [
    [0, 0, 0],
    [0, 0, 0],
  ];

  it('gives a NaN mean but a zero gradient, as PyTorch', () => {
    // F.cross_entropy(x, torch.tensor([-100, -100])) → nan, x.grad all 0; the same with weight=[1, 2, 3],
    // label_smoothing=0.1, or both, and for F.nll_loss(x.log_softmax(1), t).
    const options = [{}, { weight }, { labelSmoothing: 0.1 }, { labelSmoothing: 0.1, weight }];
    for (const o of options) {
      expect(run2((x) => crossEntropyLoss(x, ignored, o))).toEqual({ value: Number.NaN, gradient: zeroGradient });
      // reduction='sum' → 0., reduction='none' → [0., 0.]; the gradient 0 too
      expect(run2((x) => crossEntropyLoss(x, ignored, { ...o, reduction: 'sum' }))).toEqual({
        value: 0,
        gradient: zeroGradient,
      });
      expect(run2((x) => crossEntropyLoss(x, ignored, { ...o, reduction: 'none' }))).toEqual({
        value: [0, 0],
        gradient: zeroGradient,
      });
    }
    expect(run2((x) => nllLoss(x.logSoftmax(1), ignored))).toEqual({ value: Number.NaN, gradient: zeroGradient });
    expect(run2((x) => nllLoss(x.logSoftmax(1), ignored, { weight }))).toEqual({
      value: Number.NaN,
      gradient: zeroGradient,
    });
  });

  it('with images and a non-default ignoreIndex', () => {
    // F.cross_entropy(torch.zeros(1, 3, 2, 2), torch.full((1, 2, 2), 2), ignore_index=2, label_smoothing=0.2)
    // → nan, x.grad.abs().sum() → 0.
    const x = zeros([1, 3, 2, 2], { requiresGrad: true });
    const y = crossEntropyLoss(
      x,
      tensor([
        [
          [2, 2],
          [2, 2],
        ],
      ]),
      { ignoreIndex: 2, labelSmoothing: 0.2 },
    );
    const [g] = grad([y], [x]);
    expect(y.item()).toBeNaN();
    expect(g?.abs().sum().item()).toBe(0);
  });

  it('still gives a NaN gradient where a kept target has class weight 0 (total weight 0), as PyTorch', () => {
    // F.cross_entropy(x, torch.tensor([0, -100]), weight=torch.tensor([0., 1., 1.]), label_smoothing=0.1)
    // → nan, x.grad [[nan, nan, nan], [0., 0., 0.]]
    const r = run2((x) => crossEntropyLoss(x, tensor([0, -100]), { weight: tensor([0, 1, 1]), labelSmoothing: 0.1 }));
    expect(r.value).toBeNaN();
    expect(r.gradient).toEqual([
      [Number.NaN, Number.NaN, Number.NaN],
      [0, 0, 0],
    ]);
  });
});
