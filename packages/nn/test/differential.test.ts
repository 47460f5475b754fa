/**
 * @file nn's part of the differential suite (scripts/fixtures/differential.py): every loss, convolution and
 * pooling function on seeded random shapes, options and non-contiguous inputs, both dtypes, against PyTorch
 * 1.13: outputs, gradients of inputs, weights and targets, and float64 second derivatives.
 */
import type { Tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { type Params, readCases, replay } from '../../core/test/helpers/differential';
import {
  avgPool1d,
  avgPool2d,
  bceLoss,
  bceWithLogitsLoss,
  conv1d,
  conv2d,
  crossEntropyLoss,
  huberLoss,
  l1Loss,
  maxPool1d,
  maxPool2d,
  mseLoss,
  nllLoss,
  smoothL1Loss,
} from '../src/index';

const cases = readCases(new URL('./fixtures/torch/differential.json', import.meta.url));

type Reduction = 'mean' | 'sum' | 'none';
const reduction = (p: Params) => p.reduction as Reduction;
const num = (p: Params, key: string) => p[key] as number;
const at = (args: Tensor[], i: number) => args[i] as Tensor;

/** Class-index targets, the ignore index when one was drawn, and label smoothing. */
function classOptions(p: Params) {
  return {
    reduction: reduction(p),
    ...(p.ignoreIndex === undefined ? {} : { ignoreIndex: num(p, 'ignoreIndex') }),
  };
}

const FUNCTIONS: Record<string, (args: Tensor[], p: Params) => Tensor> = {
  mseLoss: (a, p) => mseLoss(at(a, 0), at(a, 1), { reduction: reduction(p) }),
  l1Loss: (a, p) => l1Loss(at(a, 0), at(a, 1), { reduction: reduction(p) }),
  huberLoss: (a, p) => huberLoss(at(a, 0), at(a, 1), { reduction: reduction(p), delta: num(p, 'delta') }),
  smoothL1Loss: (a, p) => smoothL1Loss(at(a, 0), at(a, 1), { reduction: reduction(p), beta: num(p, 'beta') }),
  bceLoss: (a, p) => bceLoss(at(a, 0), at(a, 1), { reduction: reduction(p) }),
  bceWithLogitsLoss: (a, p) => bceWithLogitsLoss(at(a, 0), at(a, 1), { reduction: reduction(p) }),
  crossEntropyLoss: (a, p) =>
    crossEntropyLoss(at(a, 0), at(a, 1), { ...classOptions(p), labelSmoothing: num(p, 'labelSmoothing') }),
  nllLoss: (a, p) => nllLoss(at(a, 0).logSoftmax(1), at(a, 1), classOptions(p)),
  conv1d: (a, p) =>
    conv1d(at(a, 0), at(a, 1), a[2] ?? null, {
      stride: num(p, 'stride'),
      padding: num(p, 'padding'),
      dilation: num(p, 'dilation'),
    }),
  conv2d: (a, p) =>
    conv2d(at(a, 0), at(a, 1), a[2] ?? null, {
      stride: num(p, 'stride'),
      padding: num(p, 'padding'),
      dilation: num(p, 'dilation'),
    }),
  maxPool1d: (a, p) => maxPool1d(at(a, 0), num(p, 'kernel'), maxOptions(p)),
  maxPool2d: (a, p) => maxPool2d(at(a, 0), num(p, 'kernel'), maxOptions(p)),
  avgPool1d: (a, p) => avgPool1d(at(a, 0), num(p, 'kernel'), avgOptions(p)),
  avgPool2d: (a, p) => avgPool2d(at(a, 0), num(p, 'kernel'), avgOptions(p)),
};

function maxOptions(p: Params) {
  return {
    stride: num(p, 'stride'),
    padding: num(p, 'padding'),
    dilation: num(p, 'dilation'),
    ceilMode: p.ceilMode as boolean,
  };
}

function avgOptions(p: Params) {
  return {
    stride: num(p, 'stride'),
    padding: num(p, 'padding'),
    ceilMode: p.ceilMode as boolean,
    countIncludePad: p.countIncludePad as boolean,
  };
}

it('covers every loss, convolution and pooling function the fixture script draws from', () => {
  expect(cases.length).toBeGreaterThanOrEqual(300);
  expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(FUNCTIONS)));
});

describe.each(cases.map((c) => [c.id, c] as const))('differential case %s', (_id, c) => {
  it('matches PyTorch', () => {
    const fn = FUNCTIONS[c.op];
    if (fn === undefined) throw new Error(`no optimgrad function for ${c.op}`);
    replay(c, fn);
  });
});
