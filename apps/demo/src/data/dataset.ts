/**
 * @file The shape every dataset of the demo takes: float inputs `[N, features]` and class indices
 * `[N]` (float tensors holding integers, as core's `argmax` returns), split into train and test.
 */
import type { Tensor } from '@optimgrad/core';

/** One split of a dataset. */
export interface Split {
  /** Inputs, `[N, features]`. */
  readonly x: Tensor;
  /** Class indices, `[N]`. */
  readonly y: Tensor;
}

/** A classification dataset with a held-out test split. */
export interface Dataset {
  readonly name: string;
  readonly features: number;
  readonly classes: number;
  readonly train: Split;
  readonly test: Split;
  /** Image size when inputs are pictures (for ASCII art), else undefined. */
  readonly image?: { readonly width: number; readonly height: number };
}

/**
 * The datasets the `train` command knows.
 * @example DATASETS.includes('spiral'); // true
 */
export const DATASETS = ['digits', 'moons', 'spiral', 'xor'] as const;
/** A dataset name accepted by `--dataset`. */
export type DatasetName = (typeof DATASETS)[number];
