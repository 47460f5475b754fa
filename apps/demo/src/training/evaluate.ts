/**
 * @file Accuracy of a classifier on a split, computed in eval mode without recording a graph.
 */
import { noGrad, type Tensor } from '@optimgrad/core';
import type { Module } from '@optimgrad/nn';
import type { Split } from '../data/dataset';

/** A module that maps inputs `[N, F]` to logits `[N, C]`. */
export interface Classifier extends Module {
  forward(x: Tensor): Tensor;
}

/**
 * Predicted class indices for inputs `[N, F]` (eval mode, no graph).
 * @example predictClasses(model, test.x).data; // Float32Array of class indices
 */
export function predictClasses(model: Classifier, x: Tensor): Tensor {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => model.forward(x).argmax(1));
  } finally {
    if (wasTraining) model.train();
  }
}

/**
 * The fraction of samples whose predicted class equals the label.
 * @example accuracy(model, data.test); // 0.97
 */
export function accuracy(model: Classifier, split: Split): number {
  const count = split.x.shape[0] as number;
  if (count === 0) return Number.NaN;
  let correct = 0;
  const chunk = 1000;
  for (let start = 0; start < count; start += chunk) {
    const end = Math.min(count, start + chunk);
    const predicted = predictClasses(model, split.x.slice(0, start, end));
    correct += noGrad(() =>
      predicted
        .eq(split.y.slice(0, start, end))
        .sum()
        .item(),
    );
  }
  return correct / count;
}
