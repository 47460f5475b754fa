/**
 * @file `train`: the default command. Trains an MLP on the digits (or a synthetic dataset) with a
 * live progress display, prints the test accuracy as one parseable last line, and writes the report.
 */
import { manualSeed } from '@optimgrad/core';
import { loadDataset } from '../data/load-dataset';
import { writeTrainReport } from '../report/train-report';
import { ensureOutputDir, type Print, writeReportFile } from '../terminal/output';
import { createProgress, formatDuration } from '../terminal/progress';
import type { OptimizerName } from '../training/optimizer';
import { type TrainSettings, trainClassifier } from '../training/train-classifier';

/**
 * Settings per dataset when the user gives none: tuned to finish quickly and reach their targets.
 * @example TRAIN_DEFAULTS.digits.epochs; // 8
 */
export const TRAIN_DEFAULTS = {
  digits: { hidden: [256, 64], epochs: 8, lr: 2e-3, batchSize: 64 },
  synthetic: { hidden: [32, 32], epochs: 40, lr: 1e-2, batchSize: 32 },
  /** Plain SGD (with momentum 0.9) needs a larger step than Adam's. */
  sgdLr: 0.1,
  /** Random shifts of the training images, in pixels (image datasets only). */
  augment: 2,
} as const;

/** Options of the train command, after parsing. */
export interface TrainCommandOptions {
  readonly dataset: string;
  readonly hidden?: readonly number[];
  readonly epochs?: number;
  readonly lr?: number;
  readonly optimizer: OptimizerName;
  readonly batchSize?: number;
  readonly seed: number;
  readonly limit?: number;
  readonly out: string;
  readonly quiet: boolean;
  readonly maxGradNorm: number;
  readonly augment?: number;
}

/**
 * Runs `train` and returns the final summary line.
 * @example await runTrain({ dataset: 'moons', optimizer: 'adam', seed: 0, out: 'r', quiet: true, maxGradNorm: 1 }, console.log);
 */
export async function runTrain(options: TrainCommandOptions, print: Print): Promise<string> {
  manualSeed(options.seed);
  ensureOutputDir(options.out);
  const data = loadDataset(options.dataset, options.limit === undefined ? {} : { limit: options.limit });
  const defaults = data.name === 'digits' ? TRAIN_DEFAULTS.digits : TRAIN_DEFAULTS.synthetic;
  const settings: TrainSettings = {
    hidden: options.hidden ?? defaults.hidden,
    epochs: options.epochs ?? defaults.epochs,
    lr: options.lr ?? (options.optimizer === 'sgd' ? TRAIN_DEFAULTS.sgdLr : defaults.lr),
    optimizer: options.optimizer,
    batchSize: options.batchSize ?? defaults.batchSize,
    maxGradNorm: options.maxGradNorm,
    augmentShift: data.image ? (options.augment ?? TRAIN_DEFAULTS.augment) : 0,
  };
  const trainCount = data.train.x.shape[0] as number;
  const testCount = data.test.x.shape[0] as number;
  const say = options.quiet ? () => {} : print;
  say(
    `training an MLP ${[data.features, ...settings.hidden, data.classes].join(' → ')} on ${data.name} ` +
      `(${trainCount} train / ${testCount} test) with ${settings.optimizer}, lr ${settings.lr}, batch ${settings.batchSize}, ` +
      `${settings.epochs} epochs, seed ${options.seed}` +
      (settings.augmentShift > 0 ? `, random shifts up to ${settings.augmentShift} px` : ''),
  );
  const progress = createProgress({ quiet: options.quiet, write: print });
  const result = trainClassifier(data, settings, progress);
  const epochWord = settings.epochs === 1 ? 'epoch' : 'epochs';
  const summary =
    `test accuracy: ${result.testAccuracy.toFixed(4)} (${trainCount} train / ${testCount} test, ` +
    `${settings.epochs} ${epochWord}, ${result.seconds.toFixed(1)} s)`;
  say('gradient flow (gradient norm per parameter, last steps, log scale):');
  for (const line of result.tracker.toString().split('\n')) say(`  ${line}`);
  say('writing the report...');
  const report = await writeTrainReport({ data, settings, result, seed: options.seed, summary }, options.out);
  say(
    `trained in ${formatDuration(result.seconds)}; ${result.clippedBatches} of ${result.gradNorms.length} batches had their gradient clipped`,
  );
  say(`report: ${report.files.report} (open ${report.files.html} in a browser); weights: ${report.files.weights}`);
  writeReportFile(options.out, 'summary.txt', `${summary}\n`);
  print(summary);
  return summary;
}
