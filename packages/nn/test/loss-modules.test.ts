import { tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import {
  BCELoss,
  BCEWithLogitsLoss,
  bceLoss,
  bceWithLogitsLoss,
  CrossEntropyLoss,
  crossEntropyLoss,
  HuberLoss,
  huberLoss,
  L1Loss,
  l1Loss,
  MSELoss,
  mseLoss,
  NLLLoss,
  nllLoss,
  SmoothL1Loss,
  smoothL1Loss,
} from '../src/index';

const a = tensor([
  [0.2, 0.7, 0.1],
  [0.6, 0.3, 0.9],
]);
const b = tensor([
  [0, 1, 0],
  [1, 0, 1],
]);
const labels = tensor([1, 2]);

describe('loss modules', () => {
  it('compute the same values as the functional losses with the same options', () => {
    expect(new MSELoss().call(a, b).item()).toBe(mseLoss(a, b).item());
    expect(new L1Loss({ reduction: 'sum' }).call(a, b).item()).toBe(l1Loss(a, b, { reduction: 'sum' }).item());
    expect(new HuberLoss({ delta: 0.3 }).call(a, b).item()).toBe(huberLoss(a, b, { delta: 0.3 }).item());
    expect(new SmoothL1Loss({ beta: 0.3 }).call(a, b).item()).toBe(smoothL1Loss(a, b, { beta: 0.3 }).item());
    expect(new BCELoss().call(a, b).item()).toBe(bceLoss(a, b).item());
    const posWeight = tensor([1, 2, 3]);
    expect(new BCEWithLogitsLoss({ posWeight }).call(a, b).item()).toBe(bceWithLogitsLoss(a, b, { posWeight }).item());
    expect(new CrossEntropyLoss({ labelSmoothing: 0.1 }).call(a, labels).item()).toBe(
      crossEntropyLoss(a, labels, { labelSmoothing: 0.1 }).item(),
    );
    expect(new NLLLoss().call(a.log(), labels).item()).toBe(nllLoss(a.log(), labels).item());
  });

  it('register class weights as buffers with PyTorch state-dict keys', () => {
    const weight = tensor([1, 2, 3]);
    const criterion = new CrossEntropyLoss({ weight });
    expect(Object.keys(criterion.stateDict())).toEqual(['weight']);
    expect(Object.keys(new BCEWithLogitsLoss({ weight, posWeight: weight }).stateDict())).toEqual([
      'weight',
      'pos_weight',
    ]);
    criterion.loadStateDict({ weight: tensor([3, 2, 1]) });
    expect(criterion.call(a, labels).item()).toBe(crossEntropyLoss(a, labels, { weight: tensor([3, 2, 1]) }).item());
    expect(String(criterion)).toBe("CrossEntropyLoss(reduction='mean')");
  });
});
