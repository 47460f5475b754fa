/**
 * @file Collects the nodes and initializers of one ONNX graph, with fresh value names and the constant
 * helpers every rule needs (int64 shape vectors, scalars of a given dtype).
 */
import type { DType, Tensor } from '@optimgrad/core';
import {
  type AttributeValue,
  attribute,
  DataType,
  type DataTypeCode,
  type NodeMessage,
  type TensorMessage,
} from './proto';

/** The ONNX element type of an optimgrad dtype. */
export function onnxType(dtype: DType): DataTypeCode {
  return dtype === 'float64' ? DataType.DOUBLE : DataType.FLOAT;
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  // ONNX raw_data is little-endian, as typed arrays are on every platform Node and browsers run on.
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

export class GraphBuilder {
  readonly nodes: NodeMessage[] = [];
  readonly initializers: TensorMessage[] = [];
  private readonly taken = new Set<string>();
  private counter = 0;

  constructor(readonly opset: number) {}

  /** Reserves `name` (inputs, outputs, state-dict keys); a clash is a bug in the caller. */
  reserve(name: string): string {
    if (this.taken.has(name)) throw new Error(`exportOnnx: the name '${name}' is used twice; choose distinct names`);
    this.taken.add(name);
    return name;
  }

  /** A new value name starting with `hint`. */
  fresh(hint: string): string {
    let name: string;
    do name = `${hint}_${this.counter++}`;
    while (this.taken.has(name));
    this.taken.add(name);
    return name;
  }

  /** Adds a node and returns its (first) output name. */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, AttributeValue>> = {},
    output?: string,
  ): string {
    const out = output ?? this.fresh(opType);
    this.nodes.push({
      name: `${opType}_${this.nodes.length}`,
      op_type: opType,
      input: inputs,
      output: [out],
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return out;
  }

  /** Adds an initializer holding a tensor's values (contiguous, in its dtype). */
  tensorInitializer(name: string, t: Tensor): string {
    const data = t.contiguous().data;
    this.initializers.push({ name, dims: [...t.shape], data_type: onnxType(t.dtype), raw_data: bytesOf(data) });
    return name;
  }

  /** An int64 vector constant (shapes, axes, slice bounds). */
  int64s(values: readonly number[], hint = 'ints'): string {
    const name = this.fresh(hint);
    const data = BigInt64Array.from(values, (v) => BigInt(v));
    this.initializers.push({ name, dims: [values.length], data_type: DataType.INT64, raw_data: bytesOf(data) });
    return name;
  }

  /** A 0-d constant of an optimgrad dtype. */
  scalar(value: number, dtype: DType, hint = 'scalar'): string {
    const name = this.fresh(hint);
    const data = dtype === 'float64' ? Float64Array.of(value) : Float32Array.of(value);
    this.initializers.push({ name, dims: [], data_type: onnxType(dtype), raw_data: bytesOf(data) });
    return name;
  }

  /** A constant of `shape` filled with `value`. */
  filled(shape: readonly number[], value: number, dtype: DType, hint = 'fill'): string {
    const name = this.fresh(hint);
    const size = shape.reduce((a, b) => a * b, 1);
    const data = dtype === 'float64' ? new Float64Array(size).fill(value) : new Float32Array(size).fill(value);
    this.initializers.push({ name, dims: [...shape], data_type: onnxType(dtype), raw_data: bytesOf(data) });
    return name;
  }

  /** `Cast` to an ONNX element type. */
  cast(value: string, to: DataTypeCode): string {
    return this.node('Cast', [value], { to });
  }

  /** A reduction over `axes`: opset 18 moved ReduceMax/Min/Mean's axes from an attribute to an input. */
  reduce(
    opType: 'ReduceSum' | 'ReduceMax' | 'ReduceMin',
    x: string,
    axes: readonly number[],
    keepdims: boolean,
  ): string {
    const keep = keepdims ? 1 : 0;
    if (opType === 'ReduceSum' || this.opset >= 18) {
      return this.node(opType, [x, this.int64s(axes, 'axes')], { keepdims: keep });
    }
    return this.node(opType, [x], { axes, keepdims: keep });
  }
}
