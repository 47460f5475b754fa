/**
 * @file `BatchNorm1d` and `BatchNorm2d` as in PyTorch: normalise `[N, C, ...]` per channel with the batch's
 * biased variance while training, and keeps running statistics (updated with `momentum`, the running
 * variance unbiased) that evaluation mode uses instead. Buffer names match PyTorch's state dict.
 */
import { type DType, formatShape, noGrad, ones, type Tensor, zeros } from '@optimgrad/core';
import { Module } from '../module';

/**
 * Options of `BatchNorm1d` and `BatchNorm2d`.
 * @example new BatchNorm1d(16, { momentum: 0.01, affine: false });
 */
export interface BatchNormOptions {
  /** Added to the variance (default 1e-5). */
  readonly eps?: number;
  /** Weight of the new batch in the running statistics (default 0.1); `null` for a cumulative average. */
  readonly momentum?: number | null;
  /** Learn a per-channel scale and shift (default `true`). */
  readonly affine?: boolean;
  /** Keep running statistics for evaluation (default `true`). */
  readonly trackRunningStats?: boolean;
  /** Parameter and buffer dtype (default `'float32'`). */
  readonly dtype?: DType;
}

/** Shared by BatchNorm1d/2d: statistics over every dimension except the channel dimension 1. */
abstract class BatchNorm extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  /** The input ranks this layer accepts and how to describe them in errors. */
  protected abstract readonly ranks: readonly number[];
  protected abstract readonly layout: string;

  constructor(
    readonly numFeatures: number,
    options: BatchNormOptions = {},
  ) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures < 1) {
      throw new Error(`${new.target.name}: numFeatures must be a positive integer, got ${numFeatures}`);
    }
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    const dtype = options.dtype ?? 'float32';
    this.registerParameter('weight', this.affine ? ones([numFeatures], { dtype }) : null);
    this.registerParameter('bias', this.affine ? zeros([numFeatures], { dtype }) : null);
    const track = this.trackRunningStats;
    this.registerBuffer('running_mean', track ? zeros([numFeatures], { dtype }) : null);
    this.registerBuffer('running_var', track ? ones([numFeatures], { dtype }) : null);
    this.registerBuffer('num_batches_tracked', track ? zeros([], { dtype }) : null);
  }

  /** Per-channel scale (`null` when not affine). */
  get weight(): Tensor | null {
    return this.getOptionalParameter('weight');
  }
  /** Per-channel shift (`null` when not affine). */
  get bias(): Tensor | null {
    return this.getOptionalParameter('bias');
  }
  /** Running mean (the `running_mean` buffer). */
  get runningMean(): Tensor {
    return this.getBuffer('running_mean');
  }
  /** Running unbiased variance (the `running_var` buffer). */
  get runningVar(): Tensor {
    return this.getBuffer('running_var');
  }
  /** Number of training batches seen (the `num_batches_tracked` buffer). */
  get numBatchesTracked(): Tensor {
    return this.getBuffer('num_batches_tracked');
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }

  override forward(x: Tensor): Tensor {
    const name = this.constructor.name;
    if (!this.ranks.includes(x.ndim) || x.shape[1] !== this.numFeatures) {
      throw new Error(
        `${name}: expected input of shape ${this.layout.replaceAll('C', String(this.numFeatures))}, got ${formatShape(x.shape)}`,
      );
    }
    const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
    // Per-channel statistics shaped to broadcast against x.
    const statShape = x.shape.map((n, i) => (i === 1 ? n : 1));
    const useBatch = this.training || !this.trackRunningStats;
    let mean: Tensor;
    let variance: Tensor;
    if (useBatch) {
      const count = x.size / this.numFeatures;
      if (this.training && count <= 1) {
        throw new Error(
          `${name}: expected more than 1 value per channel when training, got input of shape ${formatShape(x.shape)}; use a larger batch or call eval()`,
        );
      }
      mean = x.mean(dims, true);
      variance = x.sub(mean).square().mean(dims, true);
      if (this.training && this.trackRunningStats) this.updateRunningStats(mean, variance, count);
    } else {
      mean = this.runningMean.reshape(...statShape);
      variance = this.runningVar.reshape(...statShape);
    }
    let y = x.sub(mean).div(variance.add(this.eps).sqrt());
    const weight = this.weight;
    const bias = this.bias;
    if (weight !== null) y = y.mul(weight.reshape(...statShape));
    if (bias !== null) y = y.add(bias.reshape(...statShape));
    return y;
  }

  private updateRunningStats(mean: Tensor, variance: Tensor, count: number): void {
    noGrad(() => {
      const tracked = this.numBatchesTracked;
      tracked.add_(1);
      const factor = this.momentum ?? 1 / tracked.item();
      const batchMean = mean.detach().reshape(-1);
      const unbiased = variance
        .detach()
        .reshape(-1)
        .mul(count / (count - 1));
      this.runningMean.mul_(1 - factor).add_(batchMean.mul(factor));
      this.runningVar.mul_(1 - factor).add_(unbiased.mul(factor));
    });
  }
}

/**
 * Batch normalisation over `[N, C]` or `[N, C, L]` inputs.
 * @example const bn = new BatchNorm1d(16); bn.call(randn([32, 16]));
 */
export class BatchNorm1d extends BatchNorm {
  protected readonly ranks = [2, 3];
  protected readonly layout = '[N, C] or [N, C, L]';
}

/**
 * Batch normalisation over `[N, C, H, W]` inputs (per channel, over batch and spatial positions).
 * @example const bn = new BatchNorm2d(8); bn.call(randn([4, 8, 5, 5]));
 */
export class BatchNorm2d extends BatchNorm {
  protected readonly ranks = [4];
  protected readonly layout = '[N, C, H, W]';
}
