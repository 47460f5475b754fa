/**
 * @file Everything a user can set on the page, with the defaults and the limits each control allows.
 * One object, so the URL, the form and the training worker agree on what a setup is.
 */
import { TOY_DATASETS, type ToyDatasetName } from '@optimgrad/shared';

/** The tabs of the page. */
export const TABS = ['train', 'explain', 'bounds'] as const;
/** A tab name. */
export type Tab = (typeof TABS)[number];

/** Activations offered between hidden layers (nn's `MLP` names). */
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid'] as const;
/** An activation name. */
export type Activation = (typeof ACTIVATIONS)[number];

/** Optimizers offered (from @optimgrad/optim). */
export const OPTIMIZERS = ['sgd', 'adam', 'adamw'] as const;
/** An optimizer name. */
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** A training setup: what the worker needs to build data, model and optimizer. */
export interface TrainSettings {
  readonly dataset: ToyDatasetName;
  readonly noise: number;
  /** Number of points, train and test together (80% / 20%). */
  readonly size: number;
  readonly hidden: readonly number[];
  readonly activation: Activation;
  readonly optimizer: OptimizerName;
  readonly lr: number;
  readonly batchSize: number;
  /** L2 penalty (weight decay). */
  readonly l2: number;
  /** Maximum total gradient norm; 0 turns clipping off. */
  readonly clip: number;
  readonly seed: number;
}

/** The whole page state that a link carries. */
export interface Settings extends TrainSettings {
  readonly tab: Tab;
  readonly expression: string;
  /** Values of the expression's variables, by name. */
  readonly values: Readonly<Record<string, number>>;
}

/** The setup a fresh page starts with: the Quick Start expression and a small ReLU network on moons. */
export const DEFAULT_SETTINGS: Settings = {
  tab: 'train',
  dataset: 'moons',
  noise: 0.1,
  size: 400,
  hidden: [8, 8],
  activation: 'relu',
  optimizer: 'adam',
  lr: 0.03,
  batchSize: 32,
  l2: 0,
  clip: 5,
  seed: 0,
  expression: 'x*y + x^2',
  values: { x: 2, y: 3 },
};

/** Limits of each numeric setting: values outside are clamped, non-numbers fall back to the default. */
export const LIMITS = {
  noise: { min: 0, max: 0.5 },
  size: { min: 50, max: 2000 },
  lr: { min: 1e-4, max: 1 },
  batchSize: { min: 1, max: 512 },
  l2: { min: 0, max: 0.1 },
  clip: { min: 0, max: 100 },
  seed: { min: 0, max: 1_000_000 },
  layerWidth: { min: 1, max: 64 },
  layers: { min: 0, max: 6 },
} as const;

/** Whether a string names one of the toy datasets. */
export function isDatasetName(value: string): value is ToyDatasetName {
  return (TOY_DATASETS as readonly string[]).includes(value);
}
