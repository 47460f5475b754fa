/**
 * @file The kernel interface: the only way ops touch numbers. A faster backend (WebAssembly, WebGPU)
 * implements this and is swapped in with `setBackend`, without touching any op definition.
 * Kernels know nothing of autograd; they read typed arrays and write a preallocated output.
 */
import type { TypedArray } from '../dtype';
import type { Shape } from '../shape';

export type UnaryKind =
  | 'neg'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'abs'
  | 'sin'
  | 'cos'
  | 'tanh'
  | 'sigmoid'
  | 'relu'
  | 'reciprocal'
  | 'square'
  | 'log1p'
  | 'expm1'
  | 'erf'
  | 'sign'
  | 'floor'
  | 'round'
  | 'isfinite'
  /** x ** p0 */
  | 'powScalar'
  /** min(max(x, p0), p1): NaN in x or in a bound gives NaN */
  | 'clamp'
  /** 1 where p0 <= x <= p1 else 0: clamp's derivative */
  | 'inRange';

export type BinaryKind =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'eq'
  | 'ne'
  | 'gt'
  | 'ge'
  | 'lt'
  | 'le';

export type ReduceKind = 'sum' | 'max' | 'min' | 'argmax' | 'argmin';

/** A tensor's buffer read through strides (0 on broadcast dims) from an offset. */
export interface StridedView {
  readonly data: TypedArray;
  readonly offset: number;
  readonly strides: readonly number[];
}

export interface Backend {
  readonly name: string;
  /** Element-wise on contiguous buffers of equal length. `p0`, `p1` parametrise `powScalar`, `clamp`, `inRange`. */
  unary(kind: UnaryKind, x: TypedArray, out: TypedArray, p0: number, p1: number): void;
  /** Element-wise over `shape`; `a` and `b` are read through strides already broadcast to `shape`. */
  binary(kind: BinaryKind, a: StridedView, b: StridedView, out: TypedArray, shape: Shape): void;
  /** out = cond != 0 ? a : b, all three broadcast to `shape`. */
  where(cond: StridedView, a: StridedView, b: StridedView, out: TypedArray, shape: Shape): void;
  /** Copies `source` into `dest`, both strided views of `shape` (dest must not overlap itself). */
  copy(source: StridedView, dest: StridedView, shape: Shape): void;
  /** Reduces the middle axis of a contiguous buffer read as [outer, size, inner] into [outer, inner]. */
  reduce(kind: ReduceKind, x: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void;
  /** Batched [n, k] @ [k, m]; `aOffsets[i]`/`bOffsets[i]` locate batch i's matrices (broadcast batches repeat offsets). */
  matmul(
    a: TypedArray,
    b: TypedArray,
    out: TypedArray,
    aOffsets: Int32Array,
    bOffsets: Int32Array,
    n: number,
    k: number,
    m: number,
  ): void;
  /** x read as [outer, size, inner]; out[o, i, r] = x[o, index[i], r] for i < index.length. */
  indexSelect(x: TypedArray, index: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void;
  /** out read as [outer, size, inner] (already holding the base values); out[o, index[i], r] += source[o, i, r]. */
  indexAdd(source: TypedArray, index: TypedArray, outer: number, size: number, inner: number, out: TypedArray): void;
  /** torch.gather on contiguous buffers: out[..., i, ...] = x[..., index[..., i, ...], ...] along `dim`. */
  gather(x: TypedArray, xShape: Shape, index: TypedArray, indexShape: Shape, dim: number, out: TypedArray): void;
  /** torch.scatter_add_ into a contiguous `out` of shape `outShape` (already holding the base values). */
  scatterAdd(
    source: TypedArray,
    index: TypedArray,
    indexShape: Shape,
    dim: number,
    out: TypedArray,
    outShape: Shape,
  ): void;
}
