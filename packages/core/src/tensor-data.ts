/**
 * @file What the Tensor constructor accepts and how it becomes a layout: nested arrays and typed
 * arrays parsed into a flat buffer and a shape (and back, for `toArray`). Kept apart from the class
 * so the input rules and their error messages can be read on their own.
 */
import { getBackend } from './backend/index';
import { checkDType, type DType, dtypeOf, type TypedArray } from './dtype';
import { checkShape, contiguousStrides, formatShape, sizeOf } from './shape';
import { Storage } from './storage';
import type { Tensor } from './tensor';

/** A number or arbitrarily nested arrays of numbers. */
export type NestedArray = number | readonly NestedArray[];
/** What `tensor()` accepts: a number, nested number arrays, or a typed array (with `shape`). */
export type TensorData = NestedArray | TypedArray;

export interface TensorOptions {
  /** Element type; default `'float32'` (a Float64Array input defaults to `'float64'`). */
  readonly dtype?: DType;
  readonly requiresGrad?: boolean;
  /** Shape for a flat typed array or number array; defaults to its length. */
  readonly shape?: readonly number[];
  /** Label shown by the inspect tools (walkthroughs, gradient paths, graph pictures); sets `t.name`. */
  readonly name?: string;
}

/** Layout of a tensor built internally (views and op outputs), so the public constructor stays simple. */
export class Layout {
  constructor(
    readonly storage: Storage,
    readonly shape: readonly number[],
    readonly strides: readonly number[],
    readonly offset: number,
    readonly base: Tensor | null,
  ) {}
}

/** A fresh contiguous layout that owns `data`. */
export function contiguousLayout(data: TypedArray, shape: readonly number[]): Layout {
  return new Layout(new Storage(data), shape, contiguousStrides(shape), 0, null);
}

function parseNested(data: NestedArray, where: string): { shape: number[]; values: number[] } {
  const shape: number[] = [];
  let probe: NestedArray = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0] as NestedArray;
  }
  const values: number[] = [];
  const visit = (node: NestedArray, depth: number, path: number[]) => {
    if (depth === shape.length) {
      if (typeof node !== 'number') {
        const what = Array.isArray(node) ? 'an array' : JSON.stringify(node);
        throw new Error(
          `${where}: element at index [${path.join(', ')}] is ${what}; expected a number (ragged nested arrays are not allowed)`,
        );
      }
      values.push(node);
      return;
    }
    if (!Array.isArray(node)) {
      throw new Error(
        `${where}: ragged nested array: element at index [${path.join(', ')}] is ${JSON.stringify(node)} but an array of length ${shape[depth]} was expected like the first element at that depth`,
      );
    }
    if (node.length !== shape[depth]) {
      throw new Error(
        `${where}: ragged nested array: the array at index [${path.join(', ')}] has length ${node.length} but ${shape[depth]} was expected (every array at the same depth must have the same length)`,
      );
    }
    node.forEach((child, i) => {
      visit(child, depth + 1, [...path, i]);
    });
  };
  visit(data, 0, []);
  return { shape, values };
}

/** The layout of a tensor made by the public constructor: the data is always copied. */
export function layoutFromData(data: TensorData, options: TensorOptions): Layout {
  const where = 'tensor';
  if (options.dtype !== undefined) checkDType(options.dtype, where);
  if (data instanceof Float32Array || data instanceof Float64Array) {
    const dtype = options.dtype ?? dtypeOf(data);
    const shape = options.shape ? checkShape([...options.shape], where) : [data.length];
    if (sizeOf(shape) !== data.length) {
      throw new Error(
        `${where}: shape ${formatShape(shape)} needs ${sizeOf(shape)} elements but the typed array has ${data.length}`,
      );
    }
    const copy = getBackend().allocate(dtype, data.length);
    copy.set(data);
    return contiguousLayout(copy, shape);
  }
  if (typeof data !== 'number' && !Array.isArray(data)) {
    throw new Error(
      `${where}: expected a number, a nested array of numbers or a Float32Array/Float64Array, got ${data === null ? 'null' : typeof data}`,
    );
  }
  const parsed = parseNested(data, where);
  let shape = parsed.shape;
  if (options.shape) {
    const requested = checkShape([...options.shape], where);
    if (sizeOf(requested) !== parsed.values.length) {
      throw new Error(
        `${where}: shape ${formatShape(requested)} needs ${sizeOf(requested)} elements but the data has ${parsed.values.length}`,
      );
    }
    shape = requested;
  }
  const buffer = getBackend().allocate(options.dtype ?? 'float32', parsed.values.length);
  buffer.set(parsed.values);
  return contiguousLayout(buffer, shape);
}

/** Row-major `data` of `shape` as nested plain arrays (a number for a 0-d shape). */
export function toNested(data: TypedArray, shape: readonly number[]): NestedArray {
  if (shape.length === 0) return data[0] as number;
  let index = 0;
  const build = (depth: number): NestedArray[] => {
    const out: NestedArray[] = [];
    const n = shape[depth] as number;
    for (let i = 0; i < n; i++) out.push(depth === shape.length - 1 ? (data[index++] as number) : build(depth + 1));
    return out;
  };
  return build(0);
}
