/**
 * @file `exportOnnx`: traces one forward pass and writes it as an ONNX model. Module calls with a rule
 * (`module-rules.ts`) become one ONNX op each; everything else is exported op by op from the autograd
 * graph (`op-rules.ts`). Parameters and buffers become initializers named by their state-dict keys.
 *
 * The model is traced twice, the second time on the inputs' values reversed and grown by one along every
 * dynamic axis. A dim of any tensor is dynamic exactly when its size changed, which reshape, expand and
 * slice use to avoid baking the example size in; a constant that changed between the traces (random, read
 * from the input outside the graph, or made from a size) stops the export instead of being frozen.
 */
import { getRngState, setRngState, type Tensor } from '@optimgrad/core';
import type { Module } from '@optimgrad/nn';
import { Emitter } from './emitter';
import { onnxType } from './graph-builder';
import { checkExportable } from './module-rules';
import { checkInputs, checkOptions, DEFAULT_OPSET, type ExportOnnxOptions, secondInputs } from './options';
import { type Dim, encodeModel, type ValueInfoMessage } from './proto';
import { pairTraces, type Trace, traceModule } from './trace';

export type { ExportOnnxOptions } from './options';
export { DEFAULT_OPSET } from './options';

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
