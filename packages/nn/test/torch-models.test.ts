/**
 * @file PyTorch models both ways (fixtures from scripts/fixtures/models.py). PyTorch → optimgrad: each
 * torch.nn model's state_dict, saved as safetensors, loads into the matching optimgrad model, which then
 * reproduces PyTorch's outputs (training and eval mode), loss, gradients and BatchNorm running statistics.
 * optimgrad → PyTorch: the committed weight files are exactly what optimgrad writes now, and PyTorch's
 * outputs from them (recorded in a committed file) match optimgrad's. float32 throughout.
 */
import { readFileSync } from 'node:fs';
import { grad, type NestedArray, type Tensor, tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { crossEntropyLoss, loadSafetensors, type Module } from '../src/index';
import { expectClose, loadFixture } from './helpers';
import { type ModelName, models, optimgradWeights } from './torch-models';

interface Run {
  readonly output: NestedArray;
  readonly loss: number;
  readonly grads: Record<string, NestedArray>;
  readonly inputGrad: NestedArray | null;
  readonly buffers: Record<string, NestedArray>;
  readonly evalOutput: NestedArray;
}

interface Case extends Run {
  readonly input: NestedArray;
  readonly target: NestedArray;
}

const fromTorch = loadFixture<{ models: Record<ModelName, Case> }>('models/torch-to-optimgrad').models;
const toTorch = loadFixture<{ models: Record<ModelName, Run> }>('models/optimgrad-to-torch').models;
const names = Object.keys(models) as ModelName[];
const read = (file: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/torch/models/${file}`, import.meta.url)));

// float32 on both sides, with sums in a different order: agreement to about 1e-5 relative.
const tolerance = { rtol: 1e-5, atol: 1e-6 };

/** Runs `model` as the fixture script's `run` does and compares every recorded value. */
function expectSameRun(model: Module, c: Case, expected: Run): void {
  const float = c.inputGrad !== null || expected.inputGrad !== null;
  const x = tensor(c.input, { requiresGrad: float });
  const params = model.namedParameters();
  model.train();
  const out = model.call(x);
  expectClose(out, expected.output, { ...tolerance, label: 'output' });
  const loss = crossEntropyLoss(out, tensor(c.target));
  expectClose(loss, expected.loss, { ...tolerance, label: 'loss' });
  const wanted = [...params.map(([, p]) => p), ...(float ? [x] : [])];
  const grads = grad(loss, wanted);
  params.forEach(([name], i) => {
    expectClose(grads[i] as Tensor, expected.grads[name] as NestedArray, { ...tolerance, label: `grad of ${name}` });
  });
  expect(Object.keys(expected.grads).sort()).toEqual(params.map(([name]) => name).sort());
  if (float)
    expectClose(grads[params.length] as Tensor, expected.inputGrad as NestedArray, {
      ...tolerance,
      label: 'input grad',
    });
  for (const [name, buffer] of model.namedBuffers()) {
    expectClose(buffer, expected.buffers[name] as NestedArray, { ...tolerance, label: `buffer ${name}` });
  }
  expect(Object.keys(expected.buffers).sort()).toEqual(
    model
      .namedBuffers()
      .map(([name]) => name)
      .sort(),
  );
  model.eval();
  expectClose(model.call(x), expected.evalOutput, { ...tolerance, label: 'eval output' });
}

describe.each(names)('the %s model', (name) => {
  const c = fromTorch[name];

  it("loads PyTorch's state_dict from safetensors and reproduces its outputs, loss, gradients and buffers", () => {
    const model = models[name]();
    const result = model.loadStateDict(loadSafetensors(read(`torch-${name}.safetensors`)));
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expectSameRun(model, c, c);
  });

  it('writes exactly the committed optimgrad weight file (so the PyTorch outputs below are of these weights)', () => {
    expect(Buffer.from(optimgradWeights(name)).equals(Buffer.from(read(`optimgrad-${name}.safetensors`)))).toBe(true);
  });

  it('gives the outputs PyTorch computed from the weights optimgrad wrote', () => {
    const model = models[name]();
    model.loadStateDict(loadSafetensors(read(`optimgrad-${name}.safetensors`)));
    expectSameRun(model, c, toTorch[name]);
  });
});
