/**
 * @file Chooses the optimizer named by `--optimizer` (SGD with momentum, Adam or AdamW from
 * @optimgrad/optim) and the cosine learning-rate schedule stepped after every batch.
 */
import type { Tensor } from '@optimgrad/core';
import { Adam, AdamW, CosineAnnealingLR, SGD } from '@optimgrad/optim';

/**
 * The optimizers `--optimizer` accepts.
 * @example OPTIMIZERS.includes('adamw'); // true
 */
export const OPTIMIZERS = ['sgd', 'adam', 'adamw'] as const;
/** An optimizer name. */
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** What the training loop needs from an optimizer and its scheduler. */
export interface Optimization {
  readonly optimizer: SGD | Adam | AdamW;
  readonly scheduler: CosineAnnealingLR;
  /** The learning rate the next step will use. */
  currentLr(): number;
}

/**
 * Builds the optimizer and a cosine schedule that anneals the learning rate to 1% over `totalSteps`.
 * @example const { optimizer, scheduler } = createOptimization('adam', model.parameters(), 1e-3, 500);
 */
export function createOptimization(
  name: OptimizerName,
  params: Tensor[],
  lr: number,
  totalSteps: number,
): Optimization {
  const optimizer =
    name === 'sgd'
      ? new SGD(params, { lr, momentum: 0.9 })
      : name === 'adamw'
        ? new AdamW(params, { lr, weightDecay: 1e-2 })
        : new Adam(params, { lr });
  const scheduler = new CosineAnnealingLR(optimizer, { tMax: Math.max(1, totalSteps), etaMin: lr * 0.01 });
  return {
    optimizer,
    scheduler,
    currentLr: () => scheduler.getLastLr()[0] ?? lr,
  };
}
