/**
 * @file The ONNX protobuf messages the exporter writes, encoded by protobufjs from the official
 * `onnx.proto` (vendored in `src/proto/`, embedded as text so no file is read at run time).
 */
import protobuf from 'protobufjs';
import { ONNX_PROTO } from './proto/onnx-proto.generated';

/** `TensorProto.DataType` values the exporter uses. */
export const DataType = { FLOAT: 1, INT64: 7, BOOL: 9, DOUBLE: 11 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

/** `AttributeProto.AttributeType` values the exporter uses. */
const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

export interface TensorMessage {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data_type: DataTypeCode;
  readonly raw_data: Uint8Array;
}

export interface AttributeMessage {
  readonly name: string;
  readonly type: number;
  readonly f?: number;
  readonly i?: number;
  readonly s?: Uint8Array;
  readonly floats?: readonly number[];
  readonly ints?: readonly number[];
}

export interface NodeMessage {
  readonly name: string;
  readonly op_type: string;
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly attribute: readonly AttributeMessage[];
}

export type Dim = { readonly dim_value: number } | { readonly dim_param: string };

export interface ValueInfoMessage {
  readonly name: string;
  readonly type: {
    readonly tensor_type: { readonly elem_type: DataTypeCode; readonly shape: { readonly dim: Dim[] } };
  };
}

export interface ModelMessage {
  readonly ir_version: number;
  readonly opset_import: readonly { readonly domain: string; readonly version: number }[];
  readonly producer_name: string;
  readonly graph: {
    readonly name: string;
    readonly node: readonly NodeMessage[];
    readonly initializer: readonly TensorMessage[];
    readonly input: readonly ValueInfoMessage[];
    readonly output: readonly ValueInfoMessage[];
  };
}

/** An attribute value as rules write it: numbers are ints unless wrapped by `float`, arrays are ints. */
export type AttributeValue = number | string | readonly number[] | { readonly float: number };

/** Builds one `AttributeProto` with its type discriminator set (required since IR version 2). */
export function attribute(name: string, value: AttributeValue): AttributeMessage {
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') return { name, type: AttributeType.INT, i: value };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeType.INTS, ints: [...value] };
}

let modelType: protobuf.Type | null = null;

/** `onnx.ModelProto`, parsed once, with the field names of the .proto file (`ir_version`, `op_type`). */
function modelProto(): protobuf.Type {
  modelType ??= protobuf.parse(ONNX_PROTO, { keepCase: true }).root.lookupType('onnx.ModelProto');
  return modelType;
}

/** Checks and serialises a model to the bytes of a `.onnx` file. */
export function encodeModel(model: ModelMessage): Uint8Array {
  const type = modelProto();
  const problem = type.verify(model);
  if (problem !== null) throw new Error(`exportOnnx: the model does not match onnx.proto (${problem})`);
  return type.encode(type.fromObject(model)).finish();
}

/** Parses the bytes of a `.onnx` file back into plain objects (for tests and inspection). */
export function decodeModel(bytes: Uint8Array): Record<string, unknown> {
  const type = modelProto();
  return type.toObject(type.decode(bytes), { longs: Number, bytes: Array, defaults: false });
}
