/**
 * @file Every name API.md promises for @optimgrad/core exists: the exports, and the Tensor
 * properties and methods, checked by name so a rename or removal fails here.
 */
import { describe, expect, it } from 'vitest';
import * as core from '../src/index';

const exportsByApi = [
  'Tensor',
  'tensor',
  'zeros',
  'ones',
  'full',
  'zerosLike',
  'onesLike',
  'arange',
  'linspace',
  'eye',
  'rand',
  'randn',
  'randint',
  'manualSeed',
  'cat',
  'stack',
  'where',
  'grad',
  'noGrad',
  'enableGrad',
  'isGradEnabled',
  'gradcheck',
] as const;

const methods = [
  'toArray',
  'item',
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'neg',
  'exp',
  'log',
  'sqrt',
  'abs',
  'sin',
  'cos',
  'tanh',
  'sigmoid',
  'relu',
  'square',
  'reciprocal',
  'clamp',
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'sum',
  'mean',
  'max',
  'min',
  'argmax',
  'argmin',
  'var',
  'std',
  'logsumexp',
  'softmax',
  'logSoftmax',
  'matmul',
  'reshape',
  'flatten',
  'squeeze',
  'unsqueeze',
  'transpose',
  'permute',
  'expand',
  'slice',
  'gather',
  'split',
  'chunk',
  'backward',
  'retainGrad',
  'zeroGrad',
  'detach',
  'registerHook',
  'add_',
  'mul_',
  'sub_',
  'zero_',
  'copy_',
] as const;

const properties = ['shape', 'ndim', 'size', 'dtype', 'data', 'requiresGrad', 'grad', 'isLeaf', 'gradFn', 'T'] as const;

const exported = new Map<string, unknown>(Object.entries(core));

describe('the public API of @optimgrad/core', () => {
  it.each(exportsByApi)('exports %s as a function or class', (name) => {
    expect(typeof exported.get(name)).toBe('function');
  });

  it.each(methods)('Tensor has the method %s', (name) => {
    expect(typeof core.Tensor.prototype[name]).toBe('function');
  });

  it.each(properties)('Tensor has the property %s', (name) => {
    const m = core.tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(name in m).toBe(true);
    expect(() => m[name]).not.toThrow();
  });

  it('exposes gradgradcheck, detectAnomaly and the ops table for the test suite and inspect', () => {
    expect(typeof core.gradgradcheck).toBe('function');
    expect(typeof core.detectAnomaly).toBe('function');
    expect(Object.keys(core.ops).length).toBeGreaterThan(40);
  });
});
