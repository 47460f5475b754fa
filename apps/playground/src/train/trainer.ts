/**
 * @file One training run, step by step: the toy dataset (shared with the demo), the MLP, cross-entropy,
 * backward, gradient-norm recording (inspect's `GradientTracker`), clipping (clip), an optimizer step
 * (optim), and after any number of steps a snapshot of everything the page draws: accuracies, per-layer
 * gradient norms, inspect's warnings and the class probabilities over the input plane.
 */
import { clipGradNorm } from '@optimgrad/clip';
import { manualSeed, noGrad, randperm, type Tensor, tensor } from '@optimgrad/core';
import { ActivationStats, detectGradientPathologies, GradientTracker } from '@optimgrad/inspect';
import { crossEntropyLoss, loadSafetensors, type MLP, parseSafetensors, saveSafetensors } from '@optimgrad/nn';
import { toyPoints } from '@optimgrad/shared';
import { ACTIVATIONS, type Activation, type TrainSettings } from '../state/settings';
import { type Box, domainOf, gridPoints } from './grid';
import { buildModel, buildOptimizer, linearLayers, mlpSizes } from './model';
import { type BoundsReport, networkBounds } from './network-bounds';

/** Cells per side of the heat map. */
export const GRID_SIZE = 60;

/** The dataset as the page draws it: points `x, y, …`, labels, and where the test split starts. */
export interface PlotData {
  readonly points: number[];
  readonly labels: number[];
  readonly trainCount: number;
  readonly classes: number;
  readonly domain: Box;
}

/** What the page shows after some steps. */
export interface Snapshot {
  readonly step: number;
  readonly epoch: number;
  /** Mean loss of the batches since the previous snapshot. */
  readonly loss: number;
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  /** The 2-norm of each Linear layer's gradient (weight and bias together) at the last step. */
  readonly layerGradNorms: readonly number[];
  /** inspect's warnings now: vanishing/exploding gradients per parameter and dead ReLU units per layer. */
  readonly warnings: readonly string[];
  /** Class probabilities on the `GRID_SIZE`² grid, `classes` per cell, rows from the top. */
  readonly probabilities: Float32Array;
}

/** A training run; every method runs synchronously on the calling thread (the page's worker). */
export class Trainer {
  readonly data: PlotData;
  sizes: readonly number[];
  activation: Activation;
  private model: MLP;
  private optimizer: ReturnType<typeof buildOptimizer>;
  private tracker: GradientTracker;
  private stats: ActivationStats;
  private readonly x: { train: Tensor; test: Tensor };
  private readonly y: { train: Tensor; test: Tensor };
  private readonly grid: Tensor;
  private order: Tensor | null = null;
  private cursor = 0;
  private steps = 0;
  private epochs = 0;
  private losses: number[] = [];

  constructor(private readonly settings: TrainSettings) {
    manualSeed(settings.seed);
    const { points, labels, classes } = toyPoints(settings.dataset, { count: settings.size, noise: settings.noise });
    const trainCount = Math.round(settings.size * 0.8);
    this.data = { points, labels, trainCount, classes, domain: domainOf(points) };
    const testCount = settings.size - trainCount;
    this.x = {
      train: tensor(points.slice(0, 2 * trainCount), { shape: [trainCount, 2] }),
      test: tensor(points.slice(2 * trainCount), { shape: [testCount, 2] }),
    };
    this.y = { train: tensor(labels.slice(0, trainCount)), test: tensor(labels.slice(trainCount)) };
    this.grid = tensor(gridPoints(this.data.domain, GRID_SIZE), { shape: [GRID_SIZE * GRID_SIZE, 2] });
    this.sizes = [2, ...settings.hidden, classes];
    this.activation = settings.activation;
    this.model = buildModel(this.sizes, this.activation);
    this.optimizer = buildOptimizer(this.model.parameters(), settings);
    this.tracker = new GradientTracker(this.model);
    this.stats = this.watchActivations();
  }

  /** One mini-batch: forward, loss, backward, record norms, clip, step. Returns the batch loss. */
  step(): number {
    const trainCount = this.data.trainCount;
    if (this.order === null || this.cursor >= trainCount) {
      this.order = randperm(trainCount);
      this.cursor = 0;
      this.epochs++;
    }
    const end = Math.min(trainCount, this.cursor + this.settings.batchSize);
    const index = this.order.slice(0, this.cursor, end);
    this.cursor = end;
    this.model.train();
    const logits = this.model.forward(this.x.train.indexSelect(0, index));
    const loss = crossEntropyLoss(logits, this.y.train.indexSelect(0, index));
    this.optimizer.zeroGrad();
    loss.backward();
    this.tracker.record();
    if (this.settings.clip > 0) clipGradNorm(this.model.parameters(), this.settings.clip);
    this.optimizer.step();
    this.steps++;
    const value = loss.item();
    this.losses.push(value);
    return value;
  }

  /** Everything the page draws now; the loss is the mean since the previous snapshot. */
  snapshot(): Snapshot {
    const loss = this.losses.length ? this.losses.reduce((s, v) => s + v, 0) / this.losses.length : Number.NaN;
    this.losses = [];
    this.model.eval();
    const snapshot = noGrad(() => {
      const testAccuracy = this.accuracy(this.x.test, this.y.test);
      // Last, so the activation statistics describe the whole training set.
      const trainAccuracy = this.accuracy(this.x.train, this.y.train);
      const probabilities = Float32Array.from(this.model.forward(this.grid).softmax(1).data);
      return { trainAccuracy, testAccuracy, probabilities };
    });
    return {
      step: this.steps,
      epoch: this.epochs,
      loss,
      ...snapshot,
      layerGradNorms: this.layerGradNorms(),
      warnings: this.warnings(),
    };
  }

  /** Interval, CROWN and sampled ranges of the network's logits over a box of the input plane. */
  bounds(box: Box): BoundsReport {
    return networkBounds(this.model, this.sizes, this.activation, box);
  }

  /** The weights as safetensors bytes, keyed as PyTorch's `nn.Sequential` of the same layers. */
  saveWeights(): Uint8Array {
    return saveSafetensors(this.model.stateDict(), {
      format: 'pt',
      activation: this.activation,
      sizes: this.sizes.join(','),
    });
  }

  /**
   * Replaces the network by the one in a safetensors file (any hidden sizes; 2 inputs and this dataset's
   * classes); the optimizer and gradient history start afresh. Throws naming what does not fit.
   */
  loadWeights(bytes: Uint8Array): { hidden: number[]; activation: Activation } {
    const dict = loadSafetensors(bytes);
    const sizes = mlpSizes(dict);
    const [inputs, outputs] = [sizes[0], sizes[sizes.length - 1]];
    if (inputs !== 2 || outputs !== this.data.classes) {
      throw new Error(
        `weights: the network maps ${inputs} inputs to ${outputs} classes, but ${this.settings.dataset} has 2 inputs and ${this.data.classes} classes; pick a dataset with ${outputs} classes`,
      );
    }
    const named = parseSafetensors(bytes).metadata?.activation;
    const activation = (ACTIVATIONS as readonly string[]).includes(named ?? '') ? (named as Activation) : 'relu';
    const model = buildModel(sizes, activation);
    model.loadStateDict(dict);
    this.stats.remove();
    this.model = model;
    this.sizes = sizes;
    this.activation = activation;
    this.optimizer = buildOptimizer(model.parameters(), this.settings);
    this.tracker = new GradientTracker(model);
    this.stats = this.watchActivations();
    return { hidden: sizes.slice(1, -1), activation };
  }

  private accuracy(x: Tensor, y: Tensor): number {
    const count = x.shape[0] as number;
    if (count === 0) return Number.NaN;
    return this.model.forward(x).argmax(1).eq(y).sum().item() / count;
  }

  private watchActivations(): ActivationStats {
    // The activation modules sit between the Linear layers: '1', '3', … in the Sequential.
    return new ActivationStats(this.model, { filter: (name) => name !== '' && Number(name) % 2 === 1 });
  }

  private layerGradNorms(): number[] {
    return linearLayers(this.model).map((_, layer) => {
      const last = (name: string) => this.tracker.history[name]?.at(-1) ?? 0;
      return Math.hypot(last(`${2 * layer}.weight`), last(`${2 * layer}.bias`));
    });
  }

  private warnings(): string[] {
    const warnings = Object.entries(detectGradientPathologies(this.tracker.history)).flatMap(([name, found]) =>
      found.map((text) => `${name}: ${text}`),
    );
    if (this.activation === 'relu') {
      for (const [name, summary] of Object.entries(this.stats.latest)) {
        const units = this.sizes[(Number(name) + 1) / 2] ?? 0;
        const dead = Math.round(summary.deadFraction * units);
        if (dead > 0) {
          warnings.push(
            `dead ReLUs: hidden layer ${(Number(name) + 1) / 2} has ${dead} of ${units} units that output 0 for every training point`,
          );
        }
      }
    }
    return warnings;
  }
}
