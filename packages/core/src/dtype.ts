/** @file Element types: float32 by default, float64 wins when two meet (PyTorch's promotion for floats). */

export type DType = 'float32' | 'float64';
export type TypedArray = Float32Array | Float64Array;

export const DTYPES: readonly DType[] = ['float32', 'float64'];

/** Allocates a zero-filled buffer of `size` elements for `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/** The dtype of a typed array. */
export function dtypeOf(array: TypedArray): DType {
  return array instanceof Float64Array ? 'float64' : 'float32';
}

/** float64 if any input is float64, else float32. */
export function promote(dtypes: readonly DType[]): DType {
  return dtypes.includes('float64') ? 'float64' : 'float32';
}

export function checkDType(dtype: unknown, where: string): DType {
  if (dtype === 'float32' || dtype === 'float64') return dtype;
  throw new Error(`${where}: unknown dtype ${JSON.stringify(dtype)}; use 'float32' (the default) or 'float64'`);
}
