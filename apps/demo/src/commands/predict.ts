/**
 * @file `predict --weights FILE [--count 10]`: loads a model saved by `train` and classifies held-out
 * digits, drawing each as ASCII art with its prediction, then prints the accuracy on the whole test split.
 */
import { noGrad } from '@optimgrad/core';
import { loadDigits } from '../data/digits';
import { UsageError } from '../errors';
import { asciiDigitCompact, cropBlankRows } from '../report/ascii-digit';
import type { Print } from '../terminal/output';
import { accuracy } from '../training/evaluate';
import { loadModel } from '../training/weights';

/** Options of the predict command. */
export interface PredictOptions {
  readonly weights: string;
  readonly count: number;
  /** Digits per row of ASCII art. */
  readonly columns: number;
}

/**
 * Runs `predict` and returns the accuracy on the shown digits and on the whole test split.
 * @example runPredict({ weights: 'report/model.safetensors', count: 4, columns: 4 }, console.log);
 */
export function runPredict(options: PredictOptions, print: Print): { shown: number; test: number } {
  const { model, sizes } = loadModel(options.weights);
  if (sizes[0] !== 784 || sizes[sizes.length - 1] !== 10) {
    throw new UsageError(
      `--weights ${options.weights}: the model maps ${sizes[0]} inputs to ${sizes[sizes.length - 1]} classes; predict needs a digits model (784 inputs, 10 classes)`,
    );
  }
  const { test } = loadDigits();
  const available = test.x.shape[0] as number;
  const count = Math.min(options.count, available);
  const x = test.x.slice(0, 0, count);
  const probabilities = noGrad(() => model.forward(x).softmax(1));
  const predicted = probabilities.argmax(1).data;
  const labels = test.y.data;
  const pixels = x.data;
  let correct = 0;
  print(`model ${sizes.join(' → ')} from ${options.weights}`);
  const width = 24;
  for (let start = 0; start < count; start += options.columns) {
    const end = Math.min(count, start + options.columns);
    const art: string[][] = [];
    const captions: string[] = [];
    for (let i = start; i < end; i++) {
      art.push(asciiDigitCompact(pixels.subarray(i * 784, (i + 1) * 784), 28, 28).map((line) => line.slice(2, 26)));
      const guess = predicted[i] as number;
      const truth = labels[i] as number;
      const confidence = Math.round((probabilities.data[i * 10 + guess] as number) * 100);
      if (guess === truth) correct++;
      captions.push(`#${i}: ${guess} ${guess === truth ? '✓' : `✗ is ${truth}`} (${confidence}%)`);
    }
    const rows = (art[0] ?? []).map((_, row) => art.map((lines) => (lines[row] ?? '').padEnd(width)).join('  '));
    for (const row of cropBlankRows(rows)) print(row.trimEnd());
    print(
      captions
        .map((caption) => caption.padEnd(width))
        .join('  ')
        .trimEnd(),
    );
    print('');
  }
  const testAccuracy = accuracy(model, test);
  print(`accuracy on these ${count} digits: ${(correct / count).toFixed(4)}`);
  print(`test accuracy: ${testAccuracy.toFixed(4)} (${available} held-out digits)`);
  return { shown: correct / count, test: testAccuracy };
}
