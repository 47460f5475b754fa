/** @file What a mapping rule sees while the exporter emits one op or module. */
import type { DType, Tensor } from '@optimgrad/core';
import type { GraphBuilder } from './graph-builder';

export interface EmitContext {
  readonly builder: GraphBuilder;
  /** Emits `t` (and everything it depends on) and returns the name of its ONNX value. */
  value(t: Tensor): string;
  /** `value(t)`, cast to `dtype` when `t` has another dtype (ONNX ops need equal element types). */
  valueAs(t: Tensor, dtype: DType): string;
  /** Per dim of `t`: whether its size follows a dynamic axis (it changed when the inputs grew). */
  dynamic(t: Tensor): readonly boolean[];
  /** Where the op or module being emitted ran, for error messages: `module 'features.0' (Conv2d)`. */
  where(): string;
}
