import { gradcheck, gradgradcheck, type NestedArray, type Tensor, tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import {
  bceLoss,
  bceWithLogitsLoss,
  crossEntropyLoss,
  huberLoss,
  l1Loss,
  mseLoss,
  nllLoss,
  type Reduction,
  smoothL1Loss,
} from '../src/functional/losses';
import { expectClose, f64, loadFixture } from './helpers';

interface LossCase {
  name: string;
  reduction: Reduction;
  options: { delta?: number; beta?: number; labelSmoothing?: number; ignoreIndex?: number };
  input: NestedArray;
  target: NestedArray;
  tensors: Record<string, NestedArray>;
  out: NestedArray;
  upstream: NestedArray;
  grad: NestedArray;
}

const fixture = loadFixture<{ cases: LossCase[] }>('nn_losses');

function run(c: LossCase, input: Tensor): Tensor {
  const target = f64(c.target);
  const reduction = c.reduction;
  const weight = c.tensors.weight === undefined ? undefined : f64(c.tensors.weight);
  const posWeight = c.tensors.pos_weight === undefined ? undefined : f64(c.tensors.pos_weight);
  const o = c.options;
  switch (c.name) {
    case 'mseLoss':
      return mseLoss(input, target, { reduction });
    case 'l1Loss':
      return l1Loss(input, target, { reduction });
    case 'huberLoss':
      return huberLoss(input, target, { reduction, delta: o.delta });
    case 'smoothL1Loss':
      return smoothL1Loss(input, target, { reduction, beta: o.beta });
    case 'bceLoss':
      return bceLoss(input, target, { reduction, weight });
    case 'bceWithLogitsLoss':
      return bceWithLogitsLoss(input, target, { reduction, weight, posWeight });
    case 'crossEntropyLoss':
      return crossEntropyLoss(input, target, {
        reduction,
        weight,
        labelSmoothing: o.labelSmoothing,
        ignoreIndex: o.ignoreIndex,
      });
    case 'nllLoss':
      return nllLoss(input, target, { reduction, weight, ignoreIndex: o.ignoreIndex });
    default:
      throw new Error(`no loss named ${c.name}`);
  }
}

describe('losses against PyTorch', () => {
  fixture.cases.forEach((c, i) => {
    const label = `${c.name} #${i} (${c.reduction}, ${JSON.stringify(c.options)}${Object.keys(c.tensors).join(' ')})`;
    it(`${label} matches torch in value and input gradient`, () => {
      const input = f64(c.input, true);
      const loss = run(c, input);
      loss.backward(f64(c.upstream));
      expectClose(loss, c.out, { label: `${label} out` });
      expectClose(input.grad, c.grad, { label: `${label} grad` });
    });
  });

  it('every loss passes float64 gradcheck (mean reduction)', () => {
    for (const c of fixture.cases.filter((k) => k.reduction === 'mean')) {
      // Keep the inputs away from kinks and from the ±1000 logits, where finite differences saturate.
      const base = f64(c.input);
      const input = (c.name === 'bceWithLogitsLoss' || c.name === 'crossEntropyLoss' ? base.clamp(-5, 5) : base)
        .detach()
        .clone();
      input.requiresGrad = true;
      expect(
        gradcheck((x) => run(c, x), [input]),
        c.name,
      ).toBe(true);
    }
  });

  it('each smooth loss has correct second derivatives (gradgradcheck)', () => {
    const names = new Set(['mseLoss', 'bceLoss', 'bceWithLogitsLoss', 'crossEntropyLoss', 'nllLoss']);
    for (const c of fixture.cases.filter((k) => k.reduction === 'sum' && names.delete(k.name))) {
      const base = f64(c.input);
      const input = (c.name === 'bceWithLogitsLoss' || c.name === 'crossEntropyLoss' ? base.clamp(-5, 5) : base)
        .detach()
        .clone();
      input.requiresGrad = true;
      expect(
        gradgradcheck((x) => run(c, x), [input]),
        c.name,
      ).toBe(true);
    }
  });
});

describe('class weights', () => {
  it('receive gradients in crossEntropyLoss and nllLoss (float64 gradcheck)', () => {
    const logits = f64([
      [0.3, -1.2, 2],
      [0.1, 0.5, -0.4],
      [1, 2, 3],
    ]);
    const target = tensor([2, 0, 1]);
    const weight = f64([0.5, 2, 1.5], true);
    expect(gradcheck((w) => crossEntropyLoss(logits, target, { weight: w, labelSmoothing: 0.2 }), [weight])).toBe(true);
    expect(gradcheck((w) => nllLoss(logits.logSoftmax(1), target, { weight: w }), [weight])).toBe(true);
  });
});

describe('numerical stability', () => {
  it('bceWithLogitsLoss is finite and exact for logits of ±1000', () => {
    const x = f64([1000, -1000, 1000, -1000], true);
    const y = f64([1, 0, 0, 1]);
    const loss = bceWithLogitsLoss(x, y, { reduction: 'none' });
    expect(Array.from(loss.data, (v) => v + 0)).toEqual([0, 0, 1000, 1000]);
    loss.sum().backward();
    expect(Array.from(x.grad?.data ?? [], (v) => v + 0)).toEqual([0, 0, 1, -1]);
  });

  it('crossEntropyLoss is finite and exact for logits of ±1000', () => {
    const x = f64(
      [
        [1000, -1000],
        [-1000, 1000],
      ],
      true,
    );
    const loss = crossEntropyLoss(x, tensor([1, 1]), { reduction: 'none' });
    expect(Array.from(loss.data, (v) => v + 0)).toEqual([2000, 0]);
    loss.sum().backward();
    expect(Array.from(x.grad?.data ?? [], (v) => v + 0)).toEqual([1, -1, 0, 0]);
  });

  it('bceLoss clamps its logs at -100 and gives the finite gradients of PyTorch at p = 0 or 1', () => {
    // Reference: torch 1.13 F.binary_cross_entropy(..., reduction='none').sum().backward().
    const p = f64([0, 1, 0, 1, 1e-13, 1e-30], true);
    const y = f64([1, 0, 0, 1, 1, 0.5], true);
    const loss = bceLoss(p, y, { reduction: 'none' });
    expectClose(loss, [100, 100, 0, 0, 29.933606208922594, 34.538776394910684], { label: 'bce value' });
    loss.sum().backward();
    expectClose(p.grad, [-1000000003995.8029, 1000000003995.8029, 0, 0, -1000000003995.7028, -500000001997.9014], {
      label: 'bce input grad',
    });
    const targetGrad = Array.from(y.grad?.data ?? []);
    expect(targetGrad.slice(0, 4)).toEqual([Infinity, -Infinity, Infinity, -Infinity]);
    expect(p.grad?.data.every(Number.isFinite)).toBe(true);
  });

  it('bceLoss records one graph node with its derivative formula', () => {
    const loss = bceLoss(f64([0.3], true), f64([1]), { reduction: 'none' });
    expect(loss.gradFn?.name).toBe('binaryCrossEntropy');
  });

  it('works in float32 with the default reduction', () => {
    const loss = crossEntropyLoss(tensor([[2, 1, 0]]), tensor([0]));
    expect(loss.dtype).toBe('float32');
    expect(loss.item()).toBeCloseTo(0.40760596, 6);
  });
});

describe('bad targets', () => {
  it('rejects a target whose shape differs from the input', () => {
    expect(() => mseLoss(f64([1, 2]), f64([1, 2, 3]))).toThrow(
      /mseLoss: target shape \[3\] must equal input shape \[2\]/,
    );
  });

  it('rejects class indices out of range, naming the index and the class count', () => {
    expect(() => crossEntropyLoss(f64([[1, 2, 3]]), tensor([3]))).toThrow(
      /crossEntropyLoss: target 3 at flat index 0 is not a class index in \[0, 2\]/,
    );
    expect(() => nllLoss(f64([[1, 2, 3]]), tensor([1.5]))).toThrow(/nllLoss: target 1.5/);
  });

  it('rejects probabilities or indices of the wrong shape', () => {
    expect(() => crossEntropyLoss(f64([[1, 2, 3]]), f64([[0.5, 0.5]]))).toThrow(
      /class indices of shape \[1\] or probabilities of shape \[1, 3\], got \[1, 2\]/,
    );
  });

  it('rejects a non-negative ignoreIndex with probability targets, as PyTorch does', () => {
    const logits = f64([
      [1, 2, 3],
      [0, 1, 0],
    ]);
    const probabilities = f64([
      [0.2, 0.3, 0.5],
      [1, 0, 0],
    ]);
    expect(() => crossEntropyLoss(logits, probabilities, { ignoreIndex: 1 })).toThrow(
      /crossEntropyLoss: ignoreIndex 1 is not supported with class-probability targets/,
    );
    // A negative ignoreIndex (PyTorch's default -100 included) is accepted and changes nothing.
    expect(crossEntropyLoss(logits, probabilities, { ignoreIndex: -5 }).item()).toBe(
      crossEntropyLoss(logits, probabilities).item(),
    );
  });

  it('rejects probabilities outside [0, 1] in bceLoss', () => {
    expect(() => bceLoss(f64([1.5]), f64([1]))).toThrow(/bceLoss: every input must be a probability in \[0, 1\]/);
  });

  it('rejects an unknown reduction', () => {
    // @ts-expect-error testing a bad value on purpose
    expect(() => l1Loss(f64([1]), f64([1]), { reduction: 'avg' })).toThrow(/reduction must be 'mean', 'sum' or 'none'/);
  });
});
