/** @file Stable, readable names for the tensors of a graph: parameter names, `x0, x1…` for leaves, `t0…` for results. */
import type { GradFn, Tensor } from '@optimgrad/core';
import { type ParamSource, parameterNames } from '../graph/params';

/**
 * Names every tensor met in a walk: `output`, intermediate results `t1, t2…`, leaves by name or `x0, x1…`.
 * @example const labels = new TensorLabels(loss, { w }); labels.of(w) // 'w'
 */
export class TensorLabels {
  private readonly names: Map<Tensor, string>;
  private readonly nodeLabels = new Map<GradFn, string>();
  private leafCount = 0;

  constructor(output: Tensor, params?: ParamSource) {
    this.names = parameterNames(params);
    if (output.gradFn !== null) this.nodeLabels.set(output.gradFn, 'output');
    else if (!this.names.has(output)) this.names.set(output, 'output');
  }

  /** The label of a tensor made by `producer` (default: its current gradFn), assigned on first sight. */
  of(t: Tensor, producer: GradFn | null = t.gradFn): string {
    const fn = producer;
    if (fn !== null) {
      let label = this.nodeLabels.get(fn);
      if (label === undefined) {
        label = t.name ?? `t${this.nodeLabels.size}`;
        this.nodeLabels.set(fn, label);
      }
      return label;
    }
    let label = this.names.get(t);
    if (label === undefined) {
      label = t.name ?? `x${this.leafCount++}`;
      this.names.set(t, label);
    }
    return label;
  }
}
