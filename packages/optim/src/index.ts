/** @file @optimgrad/optim: optimizers and learning-rate schedulers, step for step identical to torch.optim. */
export type { AdagradOptions, ResolvedAdagradOptions } from './adagrad';
export { Adagrad } from './adagrad';
export type { AdamOptions, AdamWOptions, ResolvedAdamOptions, ResolvedAdamWOptions } from './adam';
export { Adam, AdamW } from './adam';
export type { LRSchedulerStateDict, SchedulableOptimizer, SchedulerGroup } from './lr-scheduler';
export { LRScheduler } from './lr-scheduler';
export type { OneCycleLROptions } from './one-cycle-lr';
export { OneCycleLR } from './one-cycle-lr';
export { Optimizer } from './optimizer';
export type { ReduceLROnPlateauOptions, ReduceLROnPlateauStateDict } from './reduce-lr-on-plateau';
export { ReduceLROnPlateau } from './reduce-lr-on-plateau';
export type { ResolvedRMSpropOptions, RMSpropOptions } from './rmsprop';
export { RMSprop } from './rmsprop';
export type {
  CosineAnnealingLROptions,
  ExponentialLROptions,
  LinearLROptions,
  MultiStepLROptions,
  StepLROptions,
} from './schedulers';
export { CosineAnnealingLR, ExponentialLR, LinearLR, MultiStepLR, StepLR } from './schedulers';
export type { ResolvedSGDOptions, SGDOptions, SGDParamGroupWithLr } from './sgd';
export { SGD } from './sgd';
export type {
  BaseOptions,
  OptimizerStateDict,
  ParamBatch,
  ParamGroup,
  ParamGroupInput,
  ParamState,
  ParamsInput,
  SchedulerGroupFields,
  SerializedParamGroup,
  SerializedParamState,
} from './types';
