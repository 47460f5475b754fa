/**
 * @file The training loop: shuffled mini-batches, cross-entropy loss, backward, gradient-flow
 * recording, gradient clipping, an optimizer step and a cosine learning-rate schedule per batch, with
 * test accuracy after every epoch. Each package plays its part: nn (model, loss), optim (update,
 * schedule), clip (norm clipping), inspect (gradient tracker).
 */

import { clipGradNorm } from '@optimgrad/clip';
import { randperm } from '@optimgrad/core';
import { GradientTracker } from '@optimgrad/inspect';
import { crossEntropyLoss, type Sequential } from '@optimgrad/nn';
import { shiftImages } from '../data/augment';
import type { Dataset } from '../data/dataset';
import type { Progress } from '../terminal/progress';
import { buildMlp } from './build-model';
import { accuracy } from './evaluate';
import { createOptimization, type OptimizerName } from './optimizer';

/** Settings of one training run. */
export interface TrainSettings {
  readonly hidden: readonly number[];
  readonly epochs: number;
  readonly lr: number;
  readonly optimizer: OptimizerName;
  readonly batchSize: number;
  /** Gradients with a larger total 2-norm are scaled down to this norm. */
  readonly maxGradNorm: number;
  /** Image datasets only: shift training images by up to this many pixels (0 = no augmentation). */
  readonly augmentShift: number;
}

/** What happened in one epoch. */
export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly lr: number;
}

/** The trained model and everything the report draws from. */
export interface TrainResult {
  readonly model: Sequential;
  readonly sizes: readonly number[];
  readonly epochs: readonly EpochRecord[];
  /** Loss of every batch, in order. */
  readonly batchLosses: readonly number[];
  /** Total gradient norm before clipping, per batch. */
  readonly gradNorms: readonly number[];
  /** How many batches had their gradient clipped. */
  readonly clippedBatches: number;
  readonly tracker: GradientTracker;
  readonly seconds: number;
  readonly testAccuracy: number;
}

/**
 * Trains an MLP classifier on `data` and reports progress after every batch.
 * @example const result = trainClassifier(loadDigits({ limit: 600 }), settings, createProgress({ quiet: true }));
 */
export function trainClassifier(data: Dataset, settings: TrainSettings, progress: Progress): TrainResult {
  const sizes = [data.features, ...settings.hidden, data.classes];
  const model = buildMlp(sizes);
  const params = model.parameters();
  const trainCount = data.train.x.shape[0] as number;
  const batches = Math.ceil(trainCount / settings.batchSize);
  const totalSteps = batches * settings.epochs;
  const optimization = createOptimization(settings.optimizer, params, settings.lr, totalSteps);
  const tracker = new GradientTracker(model, { optimizer: optimization.optimizer });
  const epochs: EpochRecord[] = [];
  const batchLosses: number[] = [];
  const gradNorms: number[] = [];
  let clippedBatches = 0;
  const image = data.image;
  const started = performance.now();
  let samplesSeen = 0;
  progress.start(totalSteps);
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    model.train();
    const order = randperm(trainCount);
    let lossSum = 0;
    let correct = 0;
    const lr = optimization.currentLr();
    for (let batch = 0; batch < batches; batch++) {
      const index = order.slice(0, batch * settings.batchSize, Math.min(trainCount, (batch + 1) * settings.batchSize));
      const batchX = data.train.x.indexSelect(0, index);
      const x =
        image && settings.augmentShift > 0
          ? shiftImages(batchX, image.width, image.height, settings.augmentShift)
          : batchX;
      const y = data.train.y.indexSelect(0, index);
      const logits = model.forward(x);
      const loss = crossEntropyLoss(logits, y);
      optimization.optimizer.zeroGrad();
      loss.backward();
      tracker.record();
      const norm = clipGradNorm(params, settings.maxGradNorm);
      if (norm > settings.maxGradNorm) clippedBatches++;
      gradNorms.push(norm);
      optimization.optimizer.step();
      tracker.recordUpdate();
      optimization.scheduler.step();
      const lossValue = loss.item();
      const size = index.shape[0] as number;
      lossSum += lossValue * size;
      correct += logits.detach().argmax(1).eq(y).sum().item();
      batchLosses.push(lossValue);
      samplesSeen += size;
      const elapsed = (performance.now() - started) / 1000;
      const stepsDone = (epoch - 1) * batches + batch + 1;
      progress.batch({
        epoch,
        epochs: settings.epochs,
        batch: batch + 1,
        batches,
        loss: lossValue,
        samplesPerSecond: samplesSeen / Math.max(elapsed, 1e-9),
        etaSeconds: (elapsed / stepsDone) * (totalSteps - stepsDone),
      });
    }
    const testAccuracy = accuracy(model, data.test);
    const record = { epoch, trainLoss: lossSum / trainCount, trainAccuracy: correct / trainCount, testAccuracy, lr };
    epochs.push(record);
    progress.log(
      `epoch ${epoch}/${settings.epochs}: train loss ${record.trainLoss.toFixed(4)}, train accuracy ${record.trainAccuracy.toFixed(4)}, test accuracy ${testAccuracy.toFixed(4)}, lr ${lr.toExponential(2)}`,
    );
  }
  progress.stop();
  const seconds = (performance.now() - started) / 1000;
  return {
    model,
    sizes,
    epochs,
    batchLosses,
    gradNorms,
    clippedBatches,
    tracker,
    seconds,
    testAccuracy: epochs[epochs.length - 1]?.testAccuracy ?? accuracy(model, data.test),
  };
}
