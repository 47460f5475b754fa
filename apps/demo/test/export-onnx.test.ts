import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noGrad } from '@optimgrad/core';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDigits } from '../src/data/digits';
import { loadModel } from '../src/training/weights';
import { ensureBuilt, runCli } from './run-cli';

let scratch = '';
let weights = '';

beforeAll(() => {
  ensureBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'optimgrad-export-'));
  const out = join(scratch, 'report');
  const train = runCli(['train', '--limit', '300', '--epochs', '1', '--hidden', '32', '--quiet', '--out', out]);
  expect(train.status).toBe(0);
  weights = join(out, 'model.safetensors');
}, 300_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('export', () => {
  it('writes the trained MLP as ONNX, and ONNX Runtime gives its logits for any batch size', async () => {
    const path = join(scratch, 'digits.onnx');
    const run = runCli(['export', '--weights', weights, '--onnx', path]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('model 784 → 32 → 10');
    expect(run.stdout).toContain('Gemm → Relu → Gemm');
    expect(run.stdout).toContain("input 'pixels' float32 [batch, 784], output 'logits' float32 [batch, 10]");

    const { model } = loadModel(weights);
    const { test } = loadDigits();
    const session = await ort.InferenceSession.create(readFileSync(path));
    try {
      for (const n of [1, 7]) {
        const x = test.x.slice(0, 0, n);
        const expected = noGrad(() => model.call(x));
        const result = await session.run({ pixels: new ort.Tensor('float32', Float32Array.from(x.data), [n, 784]) });
        const logits = result.logits as ort.Tensor;
        expect([...logits.dims]).toEqual([n, 10]);
        const actual = logits.data as Float32Array;
        const worst = Math.max(
          ...expected.data.map((v, i) => Math.abs(v - (actual[i] as number)) / Math.max(1, Math.abs(v))),
        );
        expect(worst).toBeLessThanOrEqual(1e-5);
      }
    } finally {
      await session.release();
    }
  });

  it('fails with one line for a missing weights file or an output that is not .onnx, writing nothing', () => {
    const missing = runCli([
      'export',
      '--weights',
      join(scratch, 'nope.safetensors'),
      '--onnx',
      join(scratch, 'a.onnx'),
    ]);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trimEnd()).toMatch(/^error: --weights: file not found: .*nope\.safetensors/);
    const wrong = runCli(['export', '--weights', weights, '--onnx', join(scratch, 'model.bin')]);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr.trimEnd()).toMatch(/^error: --onnx: expected a file name ending in \.onnx/);
    expect(existsSync(join(scratch, 'a.onnx')) || existsSync(join(scratch, 'model.bin'))).toBe(false);
  });
});
