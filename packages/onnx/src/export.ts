/**
 * @file `exportOnnx`: traces one forward pass and writes it as an ONNX model. Module calls with a rule
 * (`module-rules.ts`) become one ONNX op each; everything else is exported op by op from the autograd
 * graph (`op-rules.ts`). Parameters and buffers become initializers named by their state-dict keys.
 *
 * Dynamic axes: the model is traced a second time on inputs one longer along every dynamic axis, and a
 * dim of any tensor is dynamic exactly when its size changed. Reshape, expand and slice use that to
 * avoid baking the example size in, and a constant that changed between the traces (made from a size
 * inside forward) stops the export instead of being frozen.
 */
import {
  cat,
  type DType,
  type GradFn,
  getRngState,
  isTableCall,
  isTensor,
  noGrad,
  type OpName,
  setRngState,
  type Tensor,
  tensor,
} from '@optimgrad/core';
import type { Module } from '@optimgrad/nn';
import type { EmitContext } from './context';
import { GraphBuilder, onnxType } from './graph-builder';
import { checkExportable, moduleRule } from './module-rules';
import { type OpRule, opRules } from './op-rules';
import { type Dim, encodeModel, type ValueInfoMessage } from './proto';
import { matchSoftmax, type SoftmaxMatch } from './softmax-pattern';
import { emitStableShift, findStableShifts, type StableShift } from './stable-shift';
import { describe, locate, type ModuleCall, pairTraces, type Trace, traceModule } from './trace';

/** The opset written by default; 17 is the first with LayerNormalization. */
export const DEFAULT_OPSET = 17;
const MAX_OPSET = 21;

/** Options of `exportOnnx` (as `torch.onnx.export`). */
export interface ExportOnnxOptions {
  /** Names of the graph inputs, one per example input (default `input`, or `input_0`, `input_1`, …). */
  readonly inputNames?: readonly string[];
  /** Name of the graph output (default `output`). */
  readonly outputNames?: readonly string[];
  /**
   * Axes whose size may change at run time, per input or output name: `{ input: { 0: 'batch' } }` writes the
   * symbolic dim `batch` instead of the example's size.
   */
  readonly dynamicAxes?: Readonly<Record<string, Readonly<Record<number, string>>>>;
  /** ONNX opset version, 17 to 21 (default 17). */
  readonly opset?: number;
}

function checkInputs(exampleInputs: unknown): Tensor[] {
  const list: unknown[] = Array.isArray(exampleInputs) ? exampleInputs : [exampleInputs];
  if (list.length === 0) throw new Error('exportOnnx: exampleInputs is empty; pass one example Tensor per input');
  return list.map((x, i) => {
    if (!isTensor(x)) {
      const kind = x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x;
      throw new Error(
        `exportOnnx: example input ${i} is ${kind}, not a Tensor; only tensors can be graph inputs (wrap data with tensor(…), and fix other arguments inside the module)`,
      );
    }
    return x;
  });
}

function checkNames(kind: string, names: readonly string[], count: number): void {
  if (names.length !== count) {
    throw new Error(
      `exportOnnx: ${kind}Names has ${names.length} names for ${count} ${kind}s; give one name per ${kind}`,
    );
  }
  if (names.some((n) => typeof n !== 'string' || n === '')) {
    throw new Error(`exportOnnx: ${kind}Names must be non-empty strings, got ${JSON.stringify(names)}`);
  }
}

function checkOptions(
  inputs: readonly Tensor[],
  inputNames: readonly string[],
  outputNames: readonly string[],
  options: ExportOnnxOptions,
): void {
  checkNames('input', inputNames, inputs.length);
  checkNames('output', outputNames, 1);
  const all = [...inputNames, ...outputNames];
  if (new Set(all).size !== all.length)
    throw new Error(`exportOnnx: input and output names must be distinct, got ${JSON.stringify(all)}`);
  const opset = options.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < DEFAULT_OPSET || opset > MAX_OPSET) {
    throw new Error(`exportOnnx: opset must be an integer from ${DEFAULT_OPSET} to ${MAX_OPSET}, got ${opset}`);
  }
  for (const [name, axes] of Object.entries(options.dynamicAxes ?? {})) {
    const index = inputNames.indexOf(name);
    if (index === -1 && !outputNames.includes(name)) {
      throw new Error(`exportOnnx: dynamicAxes names '${name}', which is not an input or output (${all.join(', ')})`);
    }
    const ndim = index === -1 ? Infinity : (inputs[index] as Tensor).ndim;
    for (const [key, label] of Object.entries(axes)) {
      const axis = Number(key);
      if (!Number.isInteger(axis) || axis < 0 || axis >= ndim || typeof label !== 'string' || label === '') {
        throw new Error(
          `exportOnnx: dynamicAxes.${name} maps ${key} to ${JSON.stringify(label)}; keys must be dims 0 to ${ndim - 1} and values non-empty names, e.g. { 0: 'batch' }`,
        );
      }
      if (index !== -1 && (inputs[index] as Tensor).shape[axis] === 0) {
        throw new Error(
          `exportOnnx: dynamic axis ${axis} of input '${name}' has size 0 in the example; use an example with at least one element along it`,
        );
      }
    }
  }
}

/**
 * The inputs of the second trace: grown by one along every dynamic axis (repeating the first slice), with the
 * elements in reverse order, so the values change but stay in their domain (valid indices stay valid).
 */
function secondInputs(inputs: readonly Tensor[], inputNames: readonly string[], options: ExportOnnxOptions): Tensor[] {
  return noGrad(() =>
    inputs.map((x, i) => {
      let grown = x;
      for (const key of Object.keys(options.dynamicAxes?.[inputNames[i] as string] ?? {})) {
        const axis = Number(key);
        grown = cat([grown, grown.narrow(axis, 0, 1)], axis);
      }
      const n = grown.size;
      const reversed = tensor(Array.from({ length: n }, (_, k) => n - 1 - k));
      return grown
        .reshape(-1)
        .indexSelect(0, reversed)
        .reshape(...grown.shape);
    }),
  );
}

function sameValues(a: Tensor, b: Tensor): boolean {
  if (a.shape.join() !== b.shape.join() || a.dtype !== b.dtype) return false;
  const x = a.contiguous().data;
  const y = b.contiguous().data;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}

class Emitter implements EmitContext {
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

function valueInfo(name: string, t: Tensor, dims: (i: number) => string | undefined): ValueInfoMessage {
  const dim: Dim[] = t.shape.map((n, i) => {
    const param = dims(i);
    return param === undefined ? { dim_value: n } : { dim_param: param };
  });
  return { name, type: { tensor_type: { elem_type: onnxType(t.dtype), shape: { dim } } } };
}

/**
 * Exports `model` as an ONNX model, traced on `exampleInputs` (one forward pass, in eval mode for dropout
 * and batch norm), and returns the bytes of a `.onnx` file. Parameters and buffers become initializers
 * named by their state-dict keys. Throws, writing nothing, on an op with no ONNX mapping (naming it and
 * its module), a module in training mode with dropout or batch statistics, or an input that is not a Tensor.
 * @example const bytes = exportOnnx(model.eval(), randn([1, 784]), { dynamicAxes: { input: { 0: 'batch' } } });
 */
export function exportOnnx(
  model: Module,
  exampleInputs: Tensor | readonly Tensor[],
  options: ExportOnnxOptions = {},
): Uint8Array {
  if (model === null || typeof model !== 'object' || typeof model.namedModules !== 'function') {
    throw new Error(
      'exportOnnx: the first argument must be an @optimgrad/nn Module (a layer, Sequential or your subclass)',
    );
  }
  const inputs = checkInputs(exampleInputs);
  const inputNames = options.inputNames ?? (inputs.length === 1 ? ['input'] : inputs.map((_, i) => `input_${i}`));
  const outputNames = options.outputNames ?? ['output'];
  checkOptions(inputs, inputNames, outputNames, options);
  checkExportable(model);
  const opset = options.opset ?? DEFAULT_OPSET;

  // Two traces: the second on other values, grown along the dynamic axes, so sizes that follow an axis, and
  // constants that change between runs (random masks, values read outside the graph, sizes), are found. The seeded generator is
  // restored, so exporting does not change what a seeded program draws next.
  const rng = getRngState();
  let trace: Trace;
  let pairs: Map<Tensor, Tensor>;
  try {
    trace = traceModule(model, inputs);
    pairs = pairTraces(trace, traceModule(model, secondInputs(inputs, inputNames, options)));
  } finally {
    setRngState(rng);
  }

  const emitter = new Emitter(model, trace, pairs, opset);
  for (const [i, t] of trace.inputs.entries()) emitter.bindInput(t, inputNames[i] as string);
  const outputName = outputNames[0] as string;
  emitter.builder.reserve(outputName);
  emitter.builder.node('Identity', [emitter.emitAll(trace.output)], {}, outputName);

  const dynamicOut = emitter.dynamic(trace.output);
  const outputDim = (i: number): string | undefined => {
    const declared = options.dynamicAxes?.[outputName]?.[i];
    if (declared !== undefined || !dynamicOut[i]) return declared;
    // An undeclared dynamic output dim takes the name of an input axis of the same size, e.g. 'batch'.
    const size = trace.output.shape[i];
    for (const [j, name] of inputNames.entries()) {
      for (const [axis, label] of Object.entries(options.dynamicAxes?.[name] ?? {})) {
        if (trace.inputs[j]?.shape[Number(axis)] === size) return label;
      }
    }
    return `${outputName}_dim${i}`;
  };
  return encodeModel({
    ir_version: 8,
    opset_import: [{ domain: '', version: opset }],
    producer_name: 'optimgrad',
    graph: {
      name: model.constructor.name,
      node: emitter.builder.nodes,
      initializer: emitter.builder.initializers,
      input: trace.inputs.map((t, i) => {
        const name = inputNames[i] as string;
        return valueInfo(name, t, (axis) => options.dynamicAxes?.[name]?.[axis]);
      }),
      output: [valueInfo(outputName, trace.output, outputDim)],
    },
  });
}
