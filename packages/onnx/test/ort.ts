/** @file Runs exported models in ONNX Runtime (CPU) and compares them with optimgrad's outputs. */
import { noGrad, type Tensor } from '@optimgrad/core';
import type { Module } from '@optimgrad/nn';
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import { type ExportOnnxOptions, exportOnnx } from '../src/index';

/** Runs `bytes` on `feeds` (optimgrad tensors by input name) and returns the first output. */
export async function runOnnx(bytes: Uint8Array, feeds: Readonly<Record<string, Tensor>>): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  try {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      const data = t.dtype === 'float64' ? Float64Array.from(t.data) : Float32Array.from(t.data);
      inputs[name] = new ort.Tensor(t.dtype === 'float64' ? 'float64' : 'float32', data, [...t.shape]);
    }
    const results = await session.run(inputs);
    const name = session.outputNames[0] as string;
    return results[name] as ort.Tensor;
  } finally {
    await session.release();
  }
}

/** Expects ONNX Runtime's output to match optimgrad's: same shape, |a - b| ≤ tol · max(1, |b|). */
export function expectMatches(actual: ort.Tensor, expected: Tensor, tol = 1e-5): void {
  expect([...actual.dims]).toEqual([...expected.shape]);
  const a = actual.data as Float32Array | Float64Array;
  const b = expected.data;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (Number.isNaN(y) && Number.isNaN(x)) continue;
    if (x === y) continue;
    worst = Math.max(worst, Math.abs(x - y) / Math.max(1, Math.abs(y)));
  }
  expect(worst).toBeLessThanOrEqual(tol);
}

/** Exports `model` on `inputs`, runs it in ONNX Runtime on `runInputs` (default the same) and compares. */
export async function expectSameInOrt(
  model: Module,
  inputs: readonly Tensor[],
  options: ExportOnnxOptions = {},
  runInputs: readonly Tensor[] = inputs,
): Promise<Uint8Array> {
  const bytes = exportOnnx(model, inputs, options);
  const names = options.inputNames ?? (inputs.length === 1 ? ['input'] : inputs.map((_, i) => `input_${i}`));
  const feeds = Object.fromEntries(runInputs.map((t, i) => [names[i] as string, t]));
  const expected = noGrad(() => model.call(...(runInputs as Parameters<Module['forward']>)));
  expectMatches(await runOnnx(bytes, feeds), expected);
  return bytes;
}
