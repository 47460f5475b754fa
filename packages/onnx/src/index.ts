/** @file @optimgrad/onnx: export optimgrad modules as ONNX models for ONNX Runtime and other engines. */

export type { ExportOnnxOptions } from './export';
export { DEFAULT_OPSET, exportOnnx } from './export';
export { decodeModel } from './proto';
