/** @file The options of `exportOnnx`, their checks, and the inputs of the second trace. */
import { cat, isTensor, noGrad, type Tensor, tensor } from '@optimgrad/core';

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

export function checkInputs(exampleInputs: unknown): Tensor[] {
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

export function checkOptions(
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
export function secondInputs(
  inputs: readonly Tensor[],
  inputNames: readonly string[],
  options: ExportOnnxOptions,
): Tensor[] {
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
