import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualSeed, tensor } from '@optimgrad/core';
import { loadSafetensors } from '@optimgrad/nn';
import { describe, expect, it } from 'vitest';
import { syntheticDataset } from '../src/data/synthetic';
import { modelBounds } from '../src/report/model-bounds';
import { writeTrainReport } from '../src/report/train-report';
import { createProgress } from '../src/terminal/progress';
import { buildMlp } from '../src/training/build-model';
import { accuracy } from '../src/training/evaluate';
import { trainClassifier } from '../src/training/train-classifier';

const settings = {
  hidden: [16, 16],
  epochs: 15,
  lr: 0.01,
  optimizer: 'adam' as const,
  batchSize: 32,
  maxGradNorm: 1,
  augmentShift: 0,
};

describe('trainClassifier', () => {
  it('learns the two moons and records one entry per batch', () => {
    manualSeed(0);
    const data = syntheticDataset('moons', 400);
    const result = trainClassifier(data, { ...settings, epochs: 40 }, createProgress({ quiet: true }));
    const batches = Math.ceil(320 / 32);
    expect(result.sizes).toEqual([2, 16, 16, 2]);
    expect(result.epochs).toHaveLength(40);
    expect(result.batchLosses).toHaveLength(40 * batches);
    expect(result.tracker.history['0.weight']).toHaveLength(40 * batches);
    expect(result.testAccuracy).toBeGreaterThan(0.9);
    // The test accuracy, recomputed here from the logits: argmax per row against the labels.
    result.model.eval();
    const logits = result.model.forward(data.test.x).data;
    const labels = data.test.y.data;
    let correct = 0;
    for (let row = 0; row < labels.length; row++) {
      const [first, second] = [logits[2 * row] as number, logits[2 * row + 1] as number];
      if ((second > first ? 1 : 0) === labels[row]) correct++;
    }
    expect(result.testAccuracy).toBe(correct / labels.length);
    expect(result.epochs[39]?.trainLoss).toBeLessThan(result.epochs[0]?.trainLoss as number);
    expect(result.epochs[39]?.lr).toBeLessThan(result.epochs[0]?.lr as number);
  });

  it('gives identical results for the same seed', () => {
    const run = () => {
      manualSeed(4);
      const data = syntheticDataset('xor', 200);
      return trainClassifier(data, { ...settings, epochs: 3 }, createProgress({ quiet: true })).batchLosses;
    };
    expect(run()).toEqual(run());
  });

  it('clips every gradient whose total norm exceeds the limit', () => {
    manualSeed(1);
    const data = syntheticDataset('spiral', 300);
    const result = trainClassifier(
      data,
      { ...settings, epochs: 2, maxGradNorm: 1e-3 },
      createProgress({ quiet: true }),
    );
    expect(result.clippedBatches).toBe(result.gradNorms.filter((norm) => norm > 1e-3).length);
    expect(result.clippedBatches).toBeGreaterThan(0);
  });
});

describe('accuracy', () => {
  it('counts the rows whose largest logit is at the label', () => {
    // A 2 → 2 linear model with identity weights predicts the larger input: rows 0, 2 and 3 are right,
    // row 1 (largest input at 1, label 0) is wrong: 3 of 4.
    const model = buildMlp([2, 2]);
    model.loadStateDict({
      '0.weight': tensor([
        [1, 0],
        [0, 1],
      ]),
      '0.bias': tensor([0, 0]),
    });
    const split = {
      x: tensor([
        [1, 0],
        [0, 1],
        [2, 1],
        [0, 3],
      ]),
      y: tensor([0, 0, 0, 1]),
    };
    expect(accuracy(model, split)).toBe(0.75);
  });
});

describe('modelBounds', () => {
  it('contains every sample, and CROWN is never looser than interval bounds', () => {
    manualSeed(2);
    const model = buildMlp([6, 8, 8, 3]);
    const x = tensor([0.1, 0.5, 0.9, 0.3, 0.7, 0.2]);
    const result = modelBounds(model, x, 0, [0.01, 0.1], 300, [0, 1]);
    for (const box of result.boxes) {
      expect(box.sound).toBe(true);
      expect(box.crown).not.toBeNull();
      box.lower.forEach((lower, c) => {
        expect(box.crown?.lower[c]).toBeGreaterThanOrEqual(lower - 1e-9);
        expect(box.crown?.upper[c]).toBeLessThanOrEqual((box.upper[c] as number) + 1e-9);
        expect(box.sampledLower[c]).toBeGreaterThanOrEqual(lower - 1e-5);
      });
    }
    const logits = Array.from(model.forward(x.unsqueeze(0)).data);
    expect(result.predicted).toBe(logits.indexOf(Math.max(...logits)));
  });
});

describe('writeTrainReport', () => {
  it('writes a report whose tables, pictures and weights match the run', async () => {
    manualSeed(3);
    const data = syntheticDataset('moons', 200);
    const run = { ...settings, epochs: 3 };
    const result = trainClassifier(data, run, createProgress({ quiet: true }));
    const dir = mkdtempSync(join(tmpdir(), 'optimgrad-report-'));
    try {
      const summary = 'test accuracy: (summary line)';
      const { files } = await writeTrainReport({ data, settings: run, result, seed: 3, summary }, dir);
      const markdown = readFileSync(files.report as string, 'utf8');
      expect(markdown).toContain(`**${summary}**`);
      expect(markdown).toContain(`| 3 | ${result.epochs[2]?.trainLoss.toFixed(4)} |`);
      expect(markdown).toMatch(/\| 1 \| ReLU \| .* \| \d+\.\d% \|/);
      const html = readFileSync(files.html as string, 'utf8');
      expect(html).toContain('<img src="loss.svg" alt="loss">');
      expect(html).toContain('<th>epoch</th>');
      expect(readFileSync(files.graph as string, 'utf8')).toContain('0.weight');
      const weights = loadSafetensors(new Uint8Array(readFileSync(files.weights as string)));
      expect(Object.keys(weights).sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight', '4.bias', '4.weight']);
      expect(Array.from(weights['4.bias']?.data ?? [])).toEqual(
        Array.from(result.model.stateDict()['4.bias']?.data ?? []),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
