/**
 * @file The Tensor class. Methods are thin: a primitive's method is one `apply` (its arguments normalized by `tensor-args`),
 * a composite's is one call into `ops/composite`, an in-place method one call into `ops/in-place`.
 * Parsing constructor input lives in `tensor-data`, printing in `tensor-format`.
 *
 * Those helpers, and `apply` (apply.ts, where ops run and graph nodes are recorded), import `Tensor` back from here. The cycle is safe as long as no module
 * uses the other side while loading (no tensor made at top level, no `extends Tensor`): every use
 * is inside a function, which runs after all modules have loaded.
 */
import { apply, tensorFromLayout } from './apply';
import { runBackward } from './autograd/backward';
import type { GradFn } from './autograd/grad-fn';
import { isGradEnabled, noGrad } from './autograd/grad-mode';
import { accumulateGrad, addHook, backwardSeed } from './autograd/tensor-grad';
import type { StridedView } from './backend/backend';
import { getBackend } from './backend/index';
import { isTensor, TENSOR_BRAND } from './brand';
import { checkDType, type DType, dtypeOf, type TypedArray } from './dtype';
import * as composite from './ops/composite';
import { inplace } from './ops/in-place';
import { ops } from './ops/index';
import { resolveShape, viewStrides } from './ops/movement';
import {
  broadcastStrides,
  checkShape,
  contiguousStrides,
  formatShape,
  isRowMajor,
  normalizeDim,
  SCALAR_SHAPE,
  type Shape,
  shapesEqual,
  sizeOf,
} from './shape';
import { Storage } from './storage';
import {
  clampParams,
  expandTarget,
  extremumParams,
  permuteDims,
  reductionDims,
  type ShapeArgs,
  shapeArgs,
  sliceParams,
} from './tensor-args';
import {
  contiguousLayout,
  Layout,
  layoutFromData,
  type NestedArray,
  type TensorData,
  type TensorOptions,
  toNested,
} from './tensor-data';
import { formatTensor } from './tensor-format';

export interface BackwardCallOptions {
  /** Keep the graph so backward can run through it again. */
  readonly retainGraph?: boolean;
  /** Record the backward pass as graph, for higher-order derivatives. */
  readonly createGraph?: boolean;
}

/** A gradient hook: return a replacement gradient, or nothing to keep it. */
export type GradHook = (grad: Tensor) => Tensor | undefined;

export interface RemovableHandle {
  remove(): void;
}

/** A fresh 0-d tensor holding `value`; it shares the 0-d shape and strides arrays. */
function scalarTensor(value: number, dtype: DType): Tensor {
  const data = getBackend().allocate(dtype, 1);
  data[0] = value;
  return tensorFromLayout(new Layout(new Storage(data), SCALAR_SHAPE, SCALAR_SHAPE, 0, null));
}

/** Number operands of ops run without grad recording, by dtype and value (see `Tensor.scalar`). */
const CONSTANTS: Readonly<Record<DType, Map<number, Tensor>>> = { float32: new Map(), float64: new Map() };
/** Enough for the constants of every backward rule and optimizer; a loop over many values just refills it. */
const CONSTANT_CACHE_SIZE = 256;

export class Tensor {
  static {
    // The brand `isTensor` checks: shared by every build of this class (see brand.ts).
    Object.defineProperty(Tensor.prototype, TENSOR_BRAND, { value: true });
  }
  readonly shape: readonly number[];
  /** @internal */ readonly _storage: Storage;
  /** @internal */ readonly _strides: readonly number[];
  /** @internal */ readonly _offset: number;
  /** @internal The tensor whose storage this view reads, or null when it owns its storage. */
  readonly _base: Tensor | null;
  /** @internal */ _requiresGrad: boolean;
  /** @internal */ _grad: Tensor | null = null;
  /** @internal */ _gradFn: GradFn | null = null;
  /** @internal */ _retainsGrad = false;
  /** @internal */ _hooks: GradHook[] | null = null;
  /**
   * @internal Position of the compute op that made this tensor's buffer (0 for tensors not made by one):
   * backward compares it with `computedSoFar()` at its start to know which gradients it made itself
   * and may hand to a leaf's `.grad` without copying.
   */
  _serial = 0;
  /** Optional label shown by the inspect tools (set for module parameters, or via the `name` option). */
  name: string | undefined = undefined;

  /**
   * Creates a tensor from a number, nested arrays or a typed array (copied).
   * @example new Tensor([[1, 2], [3, 4]], { requiresGrad: true })
   */
  constructor(data: TensorData, options?: TensorOptions) {
    // Op outputs come through here with a Layout and no options: no default options object per op.
    const layout =
      (data as unknown) instanceof Layout ? (data as unknown as Layout) : layoutFromData(data, options ?? {});
    this._storage = layout.storage;
    this.shape = layout.shape;
    this._strides = layout.strides;
    this._offset = layout.offset;
    this._base = layout.base;
    this._requiresGrad = false;
    if (options === undefined) return;
    if (options.requiresGrad) this.requiresGrad = true;
    if (options.name !== undefined) this.name = options.name;
  }

  // ---- properties -------------------------------------------------------------------------

  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }

  get dtype(): DType {
    return dtypeOf(this._storage.data);
  }

  get strides(): readonly number[] {
    return this._strides;
  }

  get offset(): number {
    return this._offset;
  }

  /**
   * The elements in row-major order. For a contiguous tensor that owns its whole buffer this is the
   * buffer itself (writes show through, without autograd's version check); otherwise a copy.
   */
  get data(): TypedArray {
    return this.contiguousData();
  }

  /** True when the elements are laid out row-major without gaps. */
  isContiguous(): boolean {
    return isRowMajor(this._strides, this.shape);
  }

  /** @internal A contiguous buffer of exactly this tensor's elements (the storage itself when possible). */
  contiguousData(): TypedArray {
    const data = this._storage.data;
    const n = this.size;
    if (this.isContiguous()) {
      return this._offset === 0 && data.length === n ? data : data.subarray(this._offset, this._offset + n);
    }
    const out = getBackend().allocate(this.dtype, n);
    getBackend().copy(
      this.stridedView(this.shape),
      { data: out, offset: 0, strides: contiguousStrides(this.shape) },
      this.shape,
    );
    return out;
  }

  /** @internal This tensor read as if broadcast to `shape`. */
  stridedView(shape: Shape): StridedView {
    const strides = shapesEqual(shape, this.shape) ? this._strides : broadcastStrides(this.shape, this._strides, shape);
    return { data: this._storage.data, offset: this._offset, strides };
  }

  /** Nested plain arrays (a number for a 0-d tensor). */
  toArray(): NestedArray {
    return toNested(this.contiguousData(), this.shape);
  }

  /** The value of a single-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new Error(
        `item: only a tensor with one element can be converted to a number, but this one has shape ${formatShape(this.shape)} (${this.size} elements); index or reduce it first (e.g. t.sum().item())`,
      );
    }
    return this._storage.data[this._offset] as number;
  }

  toString(): string {
    return formatTensor(this);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  // ---- autograd ---------------------------------------------------------------------------

  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (this._gradFn !== null) {
      if (value) return;
      throw new Error(
        'requiresGrad: can only be changed on leaf tensors; use detach() to get a tensor that does not require grad',
      );
    }
    this._requiresGrad = Boolean(value);
  }

  /** Accumulated gradient (after backward), or null. Settable to null or a tensor of the same shape. */
  get grad(): Tensor | null {
    return this._grad;
  }

  set grad(value: Tensor | null) {
    if (value !== null && !isTensor(value)) throw new Error('grad: can only be set to null or a Tensor');
    if (value !== null && !shapesEqual(value.shape, this.shape)) {
      throw new Error(
        `grad: assigned gradient has shape ${formatShape(value.shape)} but the tensor has shape ${formatShape(this.shape)}; they must match`,
      );
    }
    this._grad = value;
  }

  /** True for tensors not produced by a recorded op (user-created tensors, parameters). */
  get isLeaf(): boolean {
    return this._gradFn === null;
  }

  /** The graph node that produced this tensor: `name` (op) and `inputs`; null for leaves. */
  get gradFn(): GradFn | null {
    return this._gradFn;
  }

  /** Keeps `.grad` for this non-leaf tensor during backward. */
  retainGrad(): this {
    if (!this._requiresGrad)
      throw new Error("retainGrad: can't retain the gradient of a tensor that does not require grad");
    if (this._gradFn !== null) this._retainsGrad = true;
    return this;
  }

  /** True when `.grad` will be kept for this non-leaf tensor. */
  get retainsGrad(): boolean {
    return this._retainsGrad;
  }

  /**
   * Calls `hook(grad)` when this tensor's gradient is computed; a returned tensor replaces it.
   * @example const h = x.registerHook((g) => g.mul(2)); h.remove();
   */
  registerHook(hook: GradHook): RemovableHandle {
    return addHook(this, hook);
  }

  /**
   * Computes gradients of this tensor with respect to graph leaves and accumulates them in `.grad`.
   * @example const z = x.mul(y).add(x.pow(2)); z.backward(); x.grad?.item();
   */
  backward(gradient?: Tensor | NestedArray, options: BackwardCallOptions = {}): void {
    const seed = backwardSeed(this, gradient);
    const createGraph = options.createGraph ?? false;
    runBackward([this], [seed], { retainGraph: options.retainGraph ?? createGraph, createGraph });
  }

  /** @internal Adds `g` into `.grad` (in place when no graph is being built). */
  _accumulateGrad(g: Tensor, createGraph: boolean): void {
    accumulateGrad(this, g, createGraph);
  }

  /** Clears `.grad` (to null, PyTorch 2's default; pass false to zero it in place). */
  zeroGrad(setToNone = true): void {
    if (setToNone || this._grad === null) this._grad = null;
    else noGrad(() => (this._grad as Tensor).zero_());
  }

  /** A tensor sharing storage with this one but outside the graph. */
  detach(): Tensor {
    return tensorFromLayout(new Layout(this._storage, this.shape, this._strides, this._offset, this._base));
  }

  // ---- creation helpers (dtype follows this tensor) -----------------------------------------

  /** A tensor of `shape` filled with `value`, with this tensor's dtype. */
  newFull(shape: readonly number[], value: number): Tensor {
    const s = checkShape([...shape], 'newFull');
    const data = getBackend().allocate(this.dtype, sizeOf(s));
    if (value !== 0) data.fill(value);
    return tensorFromLayout(contiguousLayout(data, s));
  }

  newZeros(shape: readonly number[]): Tensor {
    return this.newFull(shape, 0);
  }

  newOnes(shape: readonly number[]): Tensor {
    return this.newFull(shape, 1);
  }

  /** A tensor from `data` with this tensor's dtype. */
  newTensor(data: TensorData): Tensor {
    return new Tensor(data, { dtype: this.dtype });
  }

  /**
   * A number operand as a 0-d tensor of this dtype. While grad is recorded it is a fresh leaf of the graph
   * that the inspect tools show (as `mul`'s second input), so it is never shared between ops. Without
   * recording (backward rules, optimizers, `noGrad`) nothing can reach it after the op ran, since every op
   * taking a number operand computes a new buffer, so a shared read-only constant serves.
   */
  private scalar(value: Tensor | number): Tensor {
    if (isTensor(value)) return value;
    if (typeof value !== 'number') throw new Error(`expected a Tensor or a number, got ${typeof value}`);
    const dtype = this.dtype;
    // -0 is kept apart from 0 (a Map would merge them, and 1 / -0 is -Infinity).
    if (isGradEnabled() || Object.is(value, -0)) return scalarTensor(value, dtype);
    const cache = CONSTANTS[dtype];
    let constant = cache.get(value);
    if (constant === undefined) {
      if (cache.size >= CONSTANT_CACHE_SIZE) cache.clear();
      constant = scalarTensor(value, dtype);
      cache.set(value, constant);
    }
    return constant;
  }

  // ---- element-wise ----------------------------------------------------------------------

  add(other: Tensor | number): Tensor {
    return apply(ops.add, [this, this.scalar(other)], undefined);
  }
  sub(other: Tensor | number): Tensor {
    return apply(ops.sub, [this, this.scalar(other)], undefined);
  }
  mul(other: Tensor | number): Tensor {
    return apply(ops.mul, [this, this.scalar(other)], undefined);
  }
  div(other: Tensor | number): Tensor {
    return apply(ops.div, [this, this.scalar(other)], undefined);
  }
  /** `x ** exponent`: a number exponent differentiates only with respect to x. */
  pow(exponent: Tensor | number): Tensor {
    return typeof exponent === 'number'
      ? apply(ops.powScalar, [this], { exponent })
      : apply(ops.pow, [this, exponent], undefined);
  }
  maximum(other: Tensor | number): Tensor {
    return apply(ops.maximum, [this, this.scalar(other)], undefined);
  }
  minimum(other: Tensor | number): Tensor {
    return apply(ops.minimum, [this, this.scalar(other)], undefined);
  }
  /** `other - this` (PyTorch's rsub). */
  rsub(other: Tensor | number): Tensor {
    return apply(ops.sub, [this.scalar(other), this], undefined);
  }

  neg(): Tensor {
    return apply(ops.neg, [this], undefined);
  }
  exp(): Tensor {
    return apply(ops.exp, [this], undefined);
  }
  log(): Tensor {
    return apply(ops.log, [this], undefined);
  }
  sqrt(): Tensor {
    return apply(ops.sqrt, [this], undefined);
  }
  /** 1 / sqrt(x) */
  rsqrt(): Tensor {
    return composite.rsqrt(this);
  }
  abs(): Tensor {
    return apply(ops.abs, [this], undefined);
  }
  sin(): Tensor {
    return apply(ops.sin, [this], undefined);
  }
  cos(): Tensor {
    return apply(ops.cos, [this], undefined);
  }
  tanh(): Tensor {
    return apply(ops.tanh, [this], undefined);
  }
  sigmoid(): Tensor {
    return apply(ops.sigmoid, [this], undefined);
  }
  relu(): Tensor {
    return apply(ops.relu, [this], undefined);
  }
  square(): Tensor {
    return apply(ops.square, [this], undefined);
  }
  reciprocal(): Tensor {
    return apply(ops.reciprocal, [this], undefined);
  }
  log1p(): Tensor {
    return apply(ops.log1p, [this], undefined);
  }
  expm1(): Tensor {
    return apply(ops.expm1, [this], undefined);
  }
  erf(): Tensor {
    return apply(ops.erf, [this], undefined);
  }
  sign(): Tensor {
    return apply(ops.sign, [this], undefined);
  }
  floor(): Tensor {
    return apply(ops.floor, [this], undefined);
  }
  round(): Tensor {
    return apply(ops.round, [this], undefined);
  }
  /** 1 where the element is finite, else 0. */
  isfinite(): Tensor {
    return apply(ops.isfinite, [this], undefined);
  }

  /** Limits elements to [min, max]; either bound may be omitted (null or undefined). */
  clamp(min?: number | null, max?: number | null): Tensor {
    return apply(ops.clamp, [this], clampParams(min, max));
  }
  clip(min?: number | null, max?: number | null): Tensor {
    return this.clamp(min, max);
  }

  eq(other: Tensor | number): Tensor {
    return apply(ops.eq, [this, this.scalar(other)], undefined);
  }
  ne(other: Tensor | number): Tensor {
    return apply(ops.ne, [this, this.scalar(other)], undefined);
  }
  gt(other: Tensor | number): Tensor {
    return apply(ops.gt, [this, this.scalar(other)], undefined);
  }
  ge(other: Tensor | number): Tensor {
    return apply(ops.ge, [this, this.scalar(other)], undefined);
  }
  lt(other: Tensor | number): Tensor {
    return apply(ops.lt, [this, this.scalar(other)], undefined);
  }
  le(other: Tensor | number): Tensor {
    return apply(ops.le, [this, this.scalar(other)], undefined);
  }

  /** `where(condition, this, other)` (PyTorch's `x.where(condition, y)`). */
  where(condition: Tensor, other: Tensor | number): Tensor {
    return apply(ops.where, [condition, this, this.scalar(other)], undefined);
  }

  // ---- reductions --------------------------------------------------------------------------

  sum(dim?: number | readonly number[], keepdim = false): Tensor {
    return apply(ops.sum, [this], { dims: reductionDims(dim, this.ndim, 'sum'), keepdim });
  }

  mean(dim?: number | readonly number[], keepdim = false): Tensor {
    return composite.mean(this, dim, keepdim);
  }

  /** Values of the largest elements (all elements, or along `dim`). */
  max(dim?: number | readonly number[], keepdim = false): Tensor {
    return apply(ops.max, [this], extremumParams(this, dim, keepdim, 'max'));
  }

  min(dim?: number | readonly number[], keepdim = false): Tensor {
    return apply(ops.min, [this], extremumParams(this, dim, keepdim, 'min'));
  }

  /** torch.amax: the largest values over `dim` (one or several dims, all when omitted); ties share the gradient. */
  amax(dim?: number | readonly number[], keepdim = false): Tensor {
    return apply(ops.max, [this], { ...extremumParams(this, dim, keepdim, 'amax'), indexed: false });
  }

  /** torch.amin: the smallest values over `dim` (one or several dims, all when omitted); ties share the gradient. */
  amin(dim?: number | readonly number[], keepdim = false): Tensor {
    return apply(ops.min, [this], { ...extremumParams(this, dim, keepdim, 'amin'), indexed: false });
  }

  /** Index of the largest element (of the flattened tensor when `dim` is omitted), as a float tensor. */
  argmax(dim?: number, keepdim = false): Tensor {
    return composite.argReduce(this, ops.argmax, dim, keepdim);
  }

  argmin(dim?: number, keepdim = false): Tensor {
    return composite.argReduce(this, ops.argmin, dim, keepdim);
  }

  /** Variance; `unbiased` (default true) divides by n - 1 (Bessel's correction). */
  var(dim?: number | readonly number[], options: composite.VarianceOptions = {}): Tensor {
    return composite.variance(this, dim, options);
  }

  std(dim?: number | readonly number[], options: composite.VarianceOptions = {}): Tensor {
    return composite.std(this, dim, options);
  }

  /** log(sum(exp(x))) along `dim`, computed stably (the maximum is subtracted first). */
  logsumexp(dim: number | readonly number[], keepdim = false): Tensor {
    return composite.logsumexp(this, dim, keepdim);
  }

  softmax(dim: number): Tensor {
    return composite.softmax(this, dim);
  }

  logSoftmax(dim: number): Tensor {
    return composite.logSoftmax(this, dim);
  }

  // ---- linear algebra ----------------------------------------------------------------------

  /** torch.matmul: 1-D operands are promoted to matrices and the added dim removed; batch dims broadcast. */
  matmul(other: Tensor): Tensor {
    return composite.matmul(this, other);
  }

  /** Dot product of two 1-D tensors. */
  dot(other: Tensor): Tensor {
    return composite.dot(this, other);
  }

  // ---- shape --------------------------------------------------------------------------------

  /** A tensor with the same elements in `shape` (one -1 is inferred); a view when the layout allows. */
  reshape(...shape: ShapeArgs): Tensor {
    const target = resolveShape('reshape', this.shape, shapeArgs(shape));
    if (shapesEqual(target, this.shape)) return this;
    const source = viewStrides(this.shape, this._strides, target) === null ? this.contiguous() : this;
    return apply(ops.reshape, [source], { shape: target });
  }

  /** Like reshape, but throws instead of copying when no view is possible (torch.view). */
  view(...shape: ShapeArgs): Tensor {
    const target = resolveShape('view', this.shape, shapeArgs(shape));
    if (viewStrides(this.shape, this._strides, target) === null) {
      throw new Error(
        `view: a tensor of shape ${formatShape(this.shape)} and strides ${formatShape(this._strides)} cannot be viewed as ${formatShape(target)}; use reshape() (which copies) or contiguous() first`,
      );
    }
    return apply(ops.reshape, [this], { shape: target });
  }

  flatten(startDim = 0, endDim = -1): Tensor {
    return composite.flatten(this, startDim, endDim);
  }

  /** Removes size-1 dims (all, or only `dim`). */
  squeeze(dim?: number | readonly number[]): Tensor {
    return composite.squeeze(this, dim);
  }

  /** @internal Removes the given (size-1) dims. */
  squeezeDims(dims: readonly number[]): Tensor {
    return composite.squeezeDims(this, dims);
  }

  /** Inserts a size-1 dim at `dim` (negative counts from the end of the result). */
  unsqueeze(dim: number): Tensor {
    return composite.unsqueeze(this, dim);
  }

  permute(...dims: ShapeArgs): Tensor {
    const normalized = permuteDims(shapeArgs(dims), this.ndim);
    if (normalized.every((d, i) => d === i)) return this;
    return apply(ops.permute, [this], { dims: normalized });
  }

  transpose(dim0: number, dim1: number): Tensor {
    return composite.transpose(this, dim0, dim1);
  }

  /** The tensor with its dims reversed (the transpose of a matrix). */
  get T(): Tensor {
    return composite.reverseDims(this);
  }

  /** Transpose of the last two dims (a batch of matrices). */
  get mT(): Tensor {
    return composite.matrixTranspose(this);
  }

  /** A broadcast view of `shape` (size-1 dims repeat with stride 0; -1 keeps a dim). */
  expand(...shape: ShapeArgs): Tensor {
    const target = expandTarget(this.shape, shapeArgs(shape));
    if (shapesEqual(target, this.shape)) return this;
    return apply(ops.expand, [this], { shape: target });
  }

  expandAs(other: Tensor): Tensor {
    return this.expand(other.shape);
  }

  /** Elements `start` to `end` (exclusive) along `dim`, every `step`-th; a view. Negative indices count from the end. */
  slice(dim: number, start = 0, end?: number, step = 1): Tensor {
    const params = sliceParams(this.shape, dim, start, end, step);
    if (params.start === 0 && params.end === this.shape[params.dim] && step === 1) return this;
    return apply(ops.slice, [this], params);
  }

  /** `length` elements along `dim` starting at `start` (torch.narrow). */
  narrow(dim: number, start: number, length: number): Tensor {
    return composite.narrow(this, dim, start, length);
  }

  /** The `index`-th element along `dim`, with that dim removed (torch.select). */
  select(dim: number, index: number): Tensor {
    return composite.select(this, dim, index);
  }

  /** Splits into pieces of `splitSize` along `dim` (the last may be smaller), or into the given sizes. */
  split(splitSize: number | readonly number[], dim = 0): Tensor[] {
    return composite.split(this, splitSize, dim);
  }

  /** Splits into `chunks` nearly equal pieces along `dim` (torch.chunk). */
  chunk(chunks: number, dim = 0): Tensor[] {
    return composite.chunk(this, chunks, dim);
  }

  /** Picks values along `dim` at `index` (torch.gather); `index` holds integer values. */
  gather(dim: number, index: Tensor): Tensor {
    return apply(ops.gather, [this, index], { dim: normalizeDim(dim, this.ndim, 'gather') });
  }

  /** Out of place: this tensor with `source` added at `index` along `dim` (torch.scatter_add). */
  scatterAdd(dim: number, index: Tensor, source: Tensor): Tensor {
    return apply(ops.scatterAdd, [this, index, source], { dim: normalizeDim(dim, this.ndim, 'scatterAdd') });
  }

  /** Rows (along `dim`) at the positions in the 1-D `index` (torch.index_select). */
  indexSelect(dim: number, index: Tensor): Tensor {
    return apply(ops.indexSelect, [this, index], { dim: normalizeDim(dim, this.ndim, 'indexSelect') });
  }

  /** Out of place: this tensor with `source` rows added at `index` along `dim` (torch.index_add). */
  indexAdd(dim: number, index: Tensor, source: Tensor): Tensor {
    return apply(ops.indexAdd, [this, index, source], { dim: normalizeDim(dim, this.ndim, 'indexAdd') });
  }

  /** A contiguous tensor with the same values (this tensor when already contiguous). */
  contiguous(): Tensor {
    return this.isContiguous() ? this : apply(ops.clone, [this], undefined);
  }

  /** A copy with its own storage, still in the graph. */
  clone(): Tensor {
    return apply(ops.clone, [this], undefined);
  }

  /** The same values as `dtype` (this tensor when it already is). */
  to(dtype: DType): Tensor {
    checkDType(dtype, 'to');
    return dtype === this.dtype ? this : apply(ops.to, [this], { dtype });
  }

  double(): Tensor {
    return this.to('float64');
  }
  float(): Tensor {
    return this.to('float32');
  }

  // ---- in place: the new value takes this tensor's place in the graph (ops/in-place) ---------

  add_(other: Tensor | number): this {
    return inplace(this, 'add_', (t) => t.add(this.operand(other, t)));
  }
  sub_(other: Tensor | number): this {
    return inplace(this, 'sub_', (t) => t.sub(this.operand(other, t)));
  }
  mul_(other: Tensor | number): this {
    return inplace(this, 'mul_', (t) => t.mul(this.operand(other, t)));
  }
  div_(other: Tensor | number): this {
    return inplace(this, 'div_', (t) => t.div(this.operand(other, t)));
  }
  pow_(exponent: Tensor | number): this {
    return inplace(this, 'pow_', (t) => t.pow(this.operand(exponent, t)));
  }

  /** `x.mul_(x)`: the other operand is this tensor's value before the update, as in PyTorch. */
  private operand(other: Tensor | number, before: Tensor): Tensor | number {
    return other === this ? before : other;
  }
  neg_(): this {
    return inplace(this, 'neg_', (t) => t.neg());
  }
  clamp_(min?: number | null, max?: number | null): this {
    return inplace(this, 'clamp_', (t) => t.clamp(min, max));
  }
  /** Fills with `value` (no gradient flows to the old value). */
  fill_(value: number): this {
    // Inside a graph the result stays in it with a zero gradient to the old value, as in PyTorch.
    return inplace(
      this,
      'fill_',
      (t) => (t.requiresGrad ? t.where(t.newZeros([]), value) : t.newFull([], value).expand(t.shape)),
      { idempotent: true },
    );
  }
  zero_(): this {
    return this.fill_(0);
  }
  /** Copies `source` (broadcast to this shape) into this tensor. */
  copy_(source: Tensor): this {
    // A fresh clone, so the in-place node never re-binds the source's own graph node.
    return inplace(this, 'copy_', () => apply(ops.clone, [source.to(this.dtype).expand(this.shape)], undefined));
  }
}
