/**
 * @file Emits the ONNX nodes of a trace: module calls with a rule as one op, the rest op by op, leaves as
 * initializers (state-dict names for parameters and buffers), from an explicit stack.
 */
import { type DType, type GradFn, isTableCall, type OpName, type Tensor } from '@optimgrad/core';
import type { Module } from '@optimgrad/nn';
import type { EmitContext } from './context';
import { GraphBuilder, onnxType } from './graph-builder';
import { moduleRule } from './module-rules';
import { type OpRule, opRules } from './op-rules';
import { matchSoftmax, type SoftmaxMatch } from './softmax-pattern';
import { emitStableShift, findStableShifts, type StableShift } from './stable-shift';
import { describe, locate, type ModuleCall, type Trace } from './trace';

function sameValues(a: Tensor, b: Tensor): boolean {
  if (a.shape.join() !== b.shape.join() || a.dtype !== b.dtype) return false;
  const x = a.contiguous().data;
  const y = b.contiguous().data;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}

export class Emitter implements EmitContext {
  readonly builder: GraphBuilder;
  private readonly memo = new Map<Tensor, string>();
  private readonly stateNames = new Map<Tensor, string>();
  private readonly mapped = new Map<Tensor, ModuleCall>();
  private readonly places: (() => string)[] = [];
  private readonly shifts: Map<Tensor, StableShift>;
  private readonly softmaxes = new Map<GradFn, SoftmaxMatch | null>();

  constructor(
    model: Module,
    private readonly trace: Trace,
    private readonly pairs: Map<Tensor, Tensor>,
    opset: number,
  ) {
    this.builder = new GraphBuilder(opset);
    for (const [name, t] of [...model.namedParameters(), ...model.namedBuffers()]) {
      if (!this.stateNames.has(t)) this.stateNames.set(t, name);
    }
    this.shifts = findStableShifts(trace, (t) => this.stateNames.has(t) || trace.inputs.includes(t));
    for (const call of trace.calls) {
      // Inner calls come first and win; a module returning its input (Identity, Dropout in eval) needs no node.
      if (call.inputs.includes(call.output) || this.mapped.has(call.output)) continue;
      if (moduleRule(call.module, opset) !== undefined) this.mapped.set(call.output, call);
    }
  }

  bindInput(t: Tensor, name: string): void {
    this.memo.set(t, this.builder.reserve(name));
  }

  /**
   * Emits `root` with everything it depends on, inputs before the values made from them, by an explicit
   * stack: each rule then finds its inputs already emitted, so a 100,000-op chain does not overflow the stack.
   */
  emitAll(root: Tensor): string {
    const stack: { t: Tensor; expanded: boolean }[] = [{ t: root, expanded: false }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { t: Tensor; expanded: boolean };
      if (this.memo.has(top.t)) {
        stack.pop();
      } else if (!top.expanded) {
        top.expanded = true;
        for (const d of this.dependencies(top.t)) {
          // Plain leaves need no stack and are left to the rule reading them, so errors about them name its place.
          const plainLeaf = d.gradFn === null && !this.shifts.has(d) && !this.mapped.has(d);
          if (!plainLeaf && !this.memo.has(d)) stack.push({ t: d, expanded: false });
        }
      } else {
        stack.pop();
        this.value(top.t);
      }
    }
    return this.value(root);
  }

  /** The tensors the rule for `t` reads, as `emit` will choose it. */
  private dependencies(t: Tensor): readonly Tensor[] {
    const call = this.mapped.get(t);
    if (call !== undefined) return call.inputs;
    const node = t.gradFn;
    if (node === null) {
      const shift = this.shifts.get(t);
      return shift === undefined ? [] : [shift.x];
    }
    const softmax = this.softmaxOf(node);
    return softmax === null ? node.inputs : [softmax.x];
  }

  private softmaxOf(node: GradFn): SoftmaxMatch | null {
    let match = this.softmaxes.get(node);
    if (match === undefined) {
      match = matchSoftmax(node, this.shifts);
      this.softmaxes.set(node, match);
    }
    return match;
  }

  value(t: Tensor): string {
    const known = this.memo.get(t);
    if (known !== undefined) return known;
    const name = this.emit(t);
    this.memo.set(t, name);
    return name;
  }

  valueAs(t: Tensor, dtype: DType): string {
    const v = this.value(t);
    return t.dtype === dtype ? v : this.builder.cast(v, onnxType(dtype));
  }

  dynamic(t: Tensor): readonly boolean[] {
    const partner = this.pairs.get(t);
    return t.shape.map((n, i) => partner !== undefined && partner.shape[i] !== n);
  }

  where(): string {
    const place = this.places[this.places.length - 1];
    return place === undefined ? 'the model' : place();
  }

  private within<T>(place: () => string, fn: () => T): T {
    this.places.push(place);
    try {
      return fn();
    } finally {
      this.places.pop();
    }
  }

  private emit(t: Tensor): string {
    const call = this.mapped.get(t);
    if (call !== undefined) {
      const rule = moduleRule(call.module, this.builder.opset);
      const result =
        rule === undefined
          ? null
          : this.within(
              () => describe(call),
              () => rule(call, this),
            );
      if (result !== null) return result;
    }
    const node = t.gradFn;
    if (node !== null) return this.emitNode(node, t);
    return this.emitLeaf(t);
  }

  private emitNode(node: GradFn, output: Tensor): string {
    const place = (): string => locate(node, this.trace.calls);
    const softmax = this.softmaxOf(node);
    if (softmax !== null) {
      return this.builder.node(softmax.opType, [this.valueAs(softmax.x, output.dtype)], { axis: softmax.axis });
    }
    const rule = isTableCall(node) ? (opRules[node.op.id] as OpRule<OpName> | null) : null;
    if (rule === null) {
      const known = isTableCall(node)
        ? 'has no ONNX mapping'
        : "is not an op of core's table, so it has no ONNX mapping";
      throw new Error(
        `exportOnnx: op '${node.name}' in ${place()} ${known}; rewrite that computation with mapped ops (see the @optimgrad/onnx README), or export the parts around it`,
      );
    }
    return this.within(place, () => rule({ params: node.params as never, inputs: node.inputs, output }, this));
  }

  private emitLeaf(t: Tensor): string {
    const key = this.stateNames.get(t);
    if (key !== undefined) return this.builder.tensorInitializer(this.builder.reserve(key), t);
    const shift = this.shifts.get(t);
    if (shift !== undefined) return emitStableShift(shift, this);
    const partner = this.pairs.get(t);
    if (partner !== undefined && !sameValues(t, partner)) {
      throw new Error(
        `exportOnnx: a constant of shape [${t.shape.join(', ')}] made inside forward (used in ${this.where()}) changes from one run to the next: ` +
          'it is random (dropout or noise in training mode: call model.eval() or pass training = false), read from the input outside the graph ' +
          '(detach(), .data, item(): compute it with tensor ops instead), or built from the size of a dynamic axis ' +
          '(compute it from the input tensor, or export without dynamicAxes); exported, it would be frozen',
      );
    }
    return this.builder.tensorInitializer(this.builder.fresh('constant'), t);
  }
}
