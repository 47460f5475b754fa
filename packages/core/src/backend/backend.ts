/**
 * @file The kernel interface: the only way ops touch numbers. A faster backend (WebAssembly, WebGPU)
 * implements this and is swapped in with `setBackend`, without touching any op definition.
 * Kernels know nothing of autograd; they read typed arrays and write a preallocated output.
 */
import type { DType, TypedArray } from '../dtype';
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

/** A matrix operand's element strides: [between rows, between columns]. */
export type MatrixStrides = readonly [row: number, column: number];

export interface Backend extends StorageAndFusedKernels {
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
  /**
   * Batched [n, k] @ [k, m] into a contiguous `out`; `aOffsets[i]`/`bOffsets[i]` locate batch i's matrices
   * (broadcast batches repeat offsets). Element (r, c) of batch i's A is `a[aOffsets[i] + r * aStrides[0] +
   * c * aStrides[1]]`, so a transposed view arrives as strides [1, n] with no copy; the strides default to a
   * row-major matrix ([k, 1] for A, [m, 1] for B).
   */
  matmul(
    a: TypedArray,
    b: TypedArray,
    out: TypedArray,
    aOffsets: Int32Array,
    bOffsets: Int32Array,
    n: number,
    k: number,
    m: number,
    aStrides?: MatrixStrides,
    bStrides?: MatrixStrides,
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

// ---- Storage, index checks, losses and fused optimizer steps (for backend and optimizer authors) ----

/** SGD hyperparameters of one param group (torch.optim.SGD). */
export interface SgdStepOptions {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  readonly maximize: boolean;
}

/** Adam/AdamW hyperparameters of one param group; `decoupled` selects AdamW's weight decay. */
export interface AdamStepOptions {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly decoupled: boolean;
  readonly amsgrad: boolean;
  readonly maximize: boolean;
}

/** RMSprop hyperparameters of one param group. */
export interface RmspropStepOptions {
  readonly lr: number;
  readonly alpha: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly momentum: number;
  readonly centered: boolean;
  readonly maximize: boolean;
}

/** Adagrad hyperparameters of one param group. */
export interface AdagradStepOptions {
  readonly lr: number;
  readonly lrDecay: number;
  readonly weightDecay: number;
  readonly eps: number;
  readonly maximize: boolean;
}

/**
 * Buffers of many parameters updated in one fused call: entry i of every list belongs to parameter i
 * (contiguous row-major, all of one length and dtype per parameter). `steps[i]` is parameter i's step
 * count after this step (1 on its first step).
 */
export interface FusedParams {
  readonly params: readonly TypedArray[];
  readonly grads: readonly TypedArray[];
  readonly steps: readonly number[];
}

export interface StorageAndFusedKernels {
  /** A zero-filled buffer of `length` elements: the storage of every tensor core creates. */
  allocate(dtype: DType, length: number): TypedArray;
  /**
   * The position of the first element of `index` that is not an integer in [0, size), or -1 when all are:
   * the range check of indexSelect, gather, scatterAdd, embeddings and class targets.
   */
  firstInvalidIndex(index: TypedArray, size: number): number;
  /** The p-norm of `x` in float64 (torch.linalg.vector_norm's orders: ±Infinity, 0, 1, 2, any p). */
  vectorNorm(x: TypedArray, p: number): number;
  /** out = (y - 1)·max(log(1 - x), -100) - y·max(log x, -100), element-wise (PyTorch's binary_cross_entropy). */
  binaryCrossEntropy(x: TypedArray, y: TypedArray, out: TypedArray): void;
  /** SGD: `momentumBuffers[i]` (when momentum > 0, else null) is parameter i's buffer, `fresh[i]` true on its first use. */
  sgdStep(
    t: FusedParams & { readonly momentumBuffers: readonly TypedArray[] | null; readonly fresh: readonly boolean[] },
    options: SgdStepOptions,
  ): void;
  /** Adam and AdamW (amsgrad: `maxExpAvgSqs` non-null). */
  adamStep(
    t: FusedParams & {
      readonly expAvgs: readonly TypedArray[];
      readonly expAvgSqs: readonly TypedArray[];
      readonly maxExpAvgSqs: readonly TypedArray[] | null;
    },
    options: AdamStepOptions,
  ): void;
  /** RMSprop: `momentumBuffers` when momentum > 0, `gradAvgs` when centered. */
  rmspropStep(
    t: FusedParams & {
      readonly squareAvgs: readonly TypedArray[];
      readonly momentumBuffers: readonly TypedArray[] | null;
      readonly gradAvgs: readonly TypedArray[] | null;
    },
    options: RmspropStepOptions,
  ): void;
  /** Adagrad (dense gradients). */
  adagradStep(t: FusedParams & { readonly sums: readonly TypedArray[] }, options: AdagradStepOptions): void;
}
