/** @file Shapes shared by the optimizers and schedulers: option bags, param groups and state dicts. */
import type { Tensor, TypedArray } from '@optimgrad/core';

/** Options every optimizer has: the learning rate. */
export interface BaseOptions {
  lr: number;
}

/** Keys the learning-rate schedulers add to a param group (PyTorch's `initial_lr`, `max_lr`, ...). */
export interface SchedulerGroupFields {
  initialLr?: number;
  maxLr?: number;
  minLr?: number;
  maxMomentum?: number;
  baseMomentum?: number;
}

/** One param group: its tensors plus its own copy of every option. */
export type ParamGroup<O extends BaseOptions> = O & SchedulerGroupFields & { params: Tensor[] };

/** A param group as given to a constructor: options left out fall back to the optimizer's defaults. */
export type ParamGroupInput<O extends BaseOptions> = Partial<O> & { params: Iterable<Tensor> };

/** What an optimizer accepts as `params`: tensors, or param groups with per-group options (arrays or other iterables). */
export type ParamsInput<O extends BaseOptions> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

/** Per-parameter optimizer state: a step counter and named buffers shaped like the parameter. */
export interface ParamState {
  step: number;
  buffers: Record<string, TypedArray>;
}

/**
 * The parameters of one param group that have a gradient, as `Optimizer.step` hands them to
 * `updateGroup`: entry i of each list belongs to parameter i (row-major elements; `params[i]` is written
 * back to `tensors[i]` after the update).
 */
export interface ParamBatch {
  readonly tensors: Tensor[];
  readonly params: TypedArray[];
  readonly grads: TypedArray[];
  readonly states: ParamState[];
}

/** One parameter's state in a state dict: `step` and each buffer as a plain row-major array. */
export interface SerializedParamState {
  step: number;
  [buffer: string]: number | number[];
}

/** A param group in a state dict: its options, with `params` replaced by parameter indices. */
export type SerializedParamGroup<O extends BaseOptions> = Omit<ParamGroup<O>, 'params'> & { params: number[] };

/**
 * An optimizer's state as plain JSON-safe data (PyTorch's `state_dict()` layout): `state` is keyed by the
 * parameter's index, counted across groups in order; buffers are plain arrays.
 */
export interface OptimizerStateDict<O extends BaseOptions = BaseOptions> {
  /**
   * The optimizer that saved it (`'SGD'`, `'Adam'`, ...), checked by `loadStateDict`; absent in state
   * dicts saved by earlier versions, whose kind is then checked through their option names.
   */
  optimizer?: string;
  state: Record<string, SerializedParamState>;
  paramGroups: SerializedParamGroup<O>[];
}
