/**
 * @file The Tensor: a strided view of a Storage plus its place in the autograd graph. Every method
 * is a thin call into `apply`, the single place an op runs and a graph node is recorded.
 */
import { AnomalyError, firstNonFinite, isForwardCheckEnabled } from './autograd/anomaly';
import { runBackward } from './autograd/backward';
import { GradFn } from './autograd/grad-fn';
import { isGradEnabled, isRecordingAllOps, noGrad } from './autograd/grad-mode';
import type { StridedView } from './backend/backend';
import { getBackend } from './backend/index';
import { checkDType, type DType, dtypeOf, promote, type TypedArray } from './dtype';
import { ops } from './ops/index';
import { resolveShape, type SliceParams, viewStrides } from './ops/movement';
import type { Op } from './ops/op';
import type { ClampParams } from './ops/unary';
import {
  broadcastShapes,
  broadcastStrides,
  checkShape,
  contiguousStrides,
  formatShape,
  normalizeDim,
  normalizeDims,
  type Shape,
  shapesEqual,
  sizeOf,
} from './shape';
import { Storage } from './storage';

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
}

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

/** Layout of a tensor built internally (views and op outputs), so the public constructor stays simple. */
class Layout {
  constructor(
    readonly storage: Storage,
    readonly shape: readonly number[],
    readonly strides: readonly number[],
    readonly offset: number,
    readonly base: Tensor | null,
  ) {}
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

function layoutFromData(data: TensorData, options: TensorOptions): Layout {
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
    return new Layout(new Storage(copy), shape, contiguousStrides(shape), 0, null);
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
  return new Layout(new Storage(buffer), shape, contiguousStrides(shape), 0, null);
}

/** Output of an op or a view: the only route by which ops create tensors. */
function tensorFromLayout(layout: Layout): Tensor {
  return new Tensor(layout as unknown as TensorData);
}

/**
 * Runs `op` on `inputs` and, when grad is enabled and an input requires grad, records a graph node.
 * The single place an op is applied.
 */
export function apply<P>(op: Op<P>, inputs: readonly Tensor[], params: P): Tensor {
  const shape = op.shape(
    inputs.map((t) => t.shape),
    params,
  );
  let out: Tensor;
  if (op.kind === 'view') {
    const input = inputs[0] as Tensor;
    const geometry = op.view(input, params, shape);
    out = tensorFromLayout(
      new Layout(input._storage, geometry.shape, geometry.strides, geometry.offset, input._base ?? input),
    );
  } else {
    const dtype = op.dtype ? op.dtype(inputs, params) : promote(inputs.map((t) => t.dtype));
    const data = getBackend().allocate(dtype, sizeOf(shape));
    op.forward(getBackend(), inputs, data, params, shape);
    if (isForwardCheckEnabled()) checkForwardAnomaly(op.name, inputs, data);
    out = tensorFromLayout(new Layout(new Storage(data), shape, contiguousStrides(shape), 0, null));
  }
  if ((op.differentiable || isRecordingAllOps()) && isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
    out._gradFn = new GradFn(op as Op<unknown>, inputs, out, params);
    out._requiresGrad = true;
  }
  return out;
}

function checkForwardAnomaly(name: string, inputs: readonly Tensor[], data: TypedArray): void {
  const at = firstNonFinite(data);
  if (at === -1 || inputs.some((t) => firstNonFinite(t.contiguousData()) !== -1)) return;
  const value = data[at] as number;
  throw new AnomalyError(
    name,
    'forward',
    at,
    value,
    `anomaly: the forward of '${name}' produced ${value} at element ${at} from finite inputs of shape ${inputs.map((t) => formatShape(t.shape)).join(' and ')}`,
  );
}

function formatNumber(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.`;
  return Number(v.toPrecision(6)).toString();
}

type ShapeArgs = readonly number[] | [readonly number[]];

function shapeArgs(args: ShapeArgs): number[] {
  return Array.isArray(args[0]) ? [...(args[0] as readonly number[])] : [...(args as readonly number[])];
}

export class Tensor {
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
  /** Optional label shown by the inspect tools (set for module parameters). */
  name: string | undefined = undefined;

  /**
   * Creates a tensor from a number, nested arrays or a typed array (copied).
   * @example new Tensor([[1, 2], [3, 4]], { requiresGrad: true })
   */
  constructor(data: TensorData, options: TensorOptions = {}) {
    const layout = (data as unknown) instanceof Layout ? (data as unknown as Layout) : layoutFromData(data, options);
    this._storage = layout.storage;
    this.shape = layout.shape;
    this._strides = layout.strides;
    this._offset = layout.offset;
    this._base = layout.base;
    this._requiresGrad = false;
    if (options.requiresGrad) this.requiresGrad = true;
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
    let expected = 1;
    for (let i = this.ndim - 1; i >= 0; i--) {
      const d = this.shape[i] as number;
      if (d !== 1 && this._strides[i] !== expected) return false;
      expected *= d;
    }
    return true;
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
    const data = this.contiguousData();
    if (this.ndim === 0) return data[0] as number;
    let index = 0;
    const build = (depth: number): NestedArray[] => {
      const out: NestedArray[] = [];
      const n = this.shape[depth] as number;
      for (let i = 0; i < n; i++) out.push(depth === this.ndim - 1 ? (data[index++] as number) : build(depth + 1));
      return out;
    };
    return build(0);
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
    const body = JSON.stringify(this.toArray(), (_k, v) =>
      typeof v === 'number' ? Number(formatNumber(v).replace(/\.$/, '')) : v,
    );
    const extras = [
      this.dtype !== 'float32' ? `dtype=${this.dtype}` : '',
      this.gradFn ? `gradFn=${this.gradFn.name}` : this.requiresGrad ? 'requiresGrad=true' : '',
    ].filter(Boolean);
    return `tensor(${body}${extras.length ? `, ${extras.join(', ')}` : ''})`;
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
    if (value !== null && !(value instanceof Tensor)) throw new Error('grad: can only be set to null or a Tensor');
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
    if (!this._requiresGrad)
      throw new Error("registerHook: can't register a hook on a tensor that does not require grad");
    this._hooks ??= [];
    this._hooks.push(hook);
    return {
      remove: () => {
        this._hooks = this._hooks?.filter((h) => h !== hook) ?? null;
        if (this._hooks?.length === 0) this._hooks = null;
      },
    };
  }

  /**
   * Computes gradients of this tensor with respect to graph leaves and accumulates them in `.grad`.
   * @example const z = x.mul(y).add(x.pow(2)); z.backward(); x.grad?.item();
   */
  backward(gradient?: Tensor | NestedArray, options: BackwardCallOptions = {}): void {
    if (!this._requiresGrad) {
      throw new Error(
        'backward: this tensor does not require grad and has no gradFn; create the inputs with { requiresGrad: true } and make sure the computation is not inside noGrad()',
      );
    }
    let seed: Tensor;
    if (gradient === undefined) {
      if (this.size !== 1) {
        throw new Error(
          `backward: a gradient can be created implicitly only for a single-element output, but this one has shape ${formatShape(this.shape)}; call .sum() or .mean() first, or pass a gradient of shape ${formatShape(this.shape)}`,
        );
      }
      seed = this.newOnes(this.shape);
    } else {
      seed = gradient instanceof Tensor ? gradient : new Tensor(gradient, { dtype: this.dtype });
      if (!shapesEqual(seed.shape, this.shape)) {
        throw new Error(
          `backward: gradient has shape ${formatShape(seed.shape)} but the output has shape ${formatShape(this.shape)}; they must match`,
        );
      }
    }
    // As torch: a gradient of another dtype is cast to the output's (also when the output is itself a leaf).
    if (seed.dtype !== this.dtype) seed = seed.to(this.dtype);
    const createGraph = options.createGraph ?? false;
    runBackward([this], [seed], { retainGraph: options.retainGraph ?? createGraph, createGraph });
  }

  /** @internal Adds `g` into `.grad` (in place when no graph is being built). */
  _accumulateGrad(g: Tensor, createGraph: boolean): void {
    if (createGraph) {
      this._grad = this._grad === null ? g : this._grad.add(g);
    } else if (this._grad === null) {
      // A private copy: g may be a broadcast view or shared with another tensor's gradient.
      this._grad = noGrad(() => apply(ops.clone, [g.detach()], undefined));
    } else if (this._grad.requiresGrad) {
      this._grad = noGrad(() => (this._grad as Tensor).add(g));
    } else {
      noGrad(() => (this._grad as Tensor).add_(g));
    }
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

  /** @internal Applies `op` (for op rules that need an op without a public method). */
  _apply<P>(op: Op<P>, inputs: readonly Tensor[], params: P): Tensor {
    return apply(op, inputs, params);
  }

  // ---- creation helpers (dtype follows this tensor) -----------------------------------------

  /** A tensor of `shape` filled with `value`, with this tensor's dtype. */
  newFull(shape: readonly number[], value: number): Tensor {
    const s = checkShape([...shape], 'newFull');
    const data = getBackend().allocate(this.dtype, sizeOf(s));
    if (value !== 0) data.fill(value);
    return tensorFromLayout(new Layout(new Storage(data), s, contiguousStrides(s), 0, null));
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

  private scalar(value: Tensor | number): Tensor {
    if (value instanceof Tensor) return value;
    if (typeof value !== 'number') throw new Error(`expected a Tensor or a number, got ${typeof value}`);
    return this.newFull([], value);
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
    return this.sqrt().reciprocal();
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
    const dims = reductionDims(dim, this.ndim, 'mean');
    const count = dims.reduce((n, d) => n * (this.shape[d] as number), 1);
    return this.sum(dims, keepdim).div(count);
  }

  /** Values of the largest elements (all elements, or along `dim`). */
  max(dim?: number | readonly number[], keepdim = false): Tensor {
    return apply(ops.max, [this], extremumParams(this, dim, keepdim, 'max'));
  }

  min(dim?: number | readonly number[], keepdim = false): Tensor {
    return apply(ops.min, [this], extremumParams(this, dim, keepdim, 'min'));
  }

  /** Index of the largest element (of the flattened tensor when `dim` is omitted), as a float tensor. */
  argmax(dim?: number, keepdim = false): Tensor {
    return argReduce(this, ops.argmax, dim, keepdim);
  }

  argmin(dim?: number, keepdim = false): Tensor {
    return argReduce(this, ops.argmin, dim, keepdim);
  }

  /** Variance; `unbiased` (default true) divides by n - 1 (Bessel's correction). */
  var(
    dim?: number | readonly number[],
    options: { unbiased?: boolean; keepdim?: boolean; correction?: number } = {},
  ): Tensor {
    const dims = reductionDims(dim, this.ndim, 'var');
    const count = dims.reduce((n, d) => n * (this.shape[d] as number), 1);
    const correction = options.correction ?? ((options.unbiased ?? true) ? 1 : 0);
    const centered = this.sub(this.mean(dims, true));
    return centered
      .square()
      .sum(dims, options.keepdim ?? false)
      .div(Math.max(count - correction, 0));
  }

  std(
    dim?: number | readonly number[],
    options: { unbiased?: boolean; keepdim?: boolean; correction?: number } = {},
  ): Tensor {
    return this.var(dim, options).sqrt();
  }

  /** log(sum(exp(x))) along `dim`, computed stably (the maximum is subtracted first). */
  logsumexp(dim: number | readonly number[], keepdim = false): Tensor {
    const dims = reductionDims(dim, this.ndim, 'logsumexp');
    // The shift is a constant for autograd: the result's gradient does not depend on it.
    const shift = noGrad(() => {
      const m = this.detach().max(dims, true);
      return m.where(m.isfinite(), 0);
    });
    const out = this.sub(shift).exp().sum(dims, true).log().add(shift);
    return keepdim ? out : out.squeezeDims(dims);
  }

  softmax(dim: number): Tensor {
    const d = normalizeDim(dim, this.ndim, 'softmax');
    const shift = noGrad(() => this.detach().max(d, true));
    const e = this.sub(shift).exp();
    return e.div(e.sum(d, true));
  }

  logSoftmax(dim: number): Tensor {
    const d = normalizeDim(dim, this.ndim, 'logSoftmax');
    return this.sub(this.logsumexp(d, true));
  }

  // ---- linear algebra ----------------------------------------------------------------------

  /** torch.matmul: 1-D operands are promoted to matrices and the added dim removed; batch dims broadcast. */
  matmul(other: Tensor): Tensor {
    if (this.ndim === 0 || other.ndim === 0) {
      throw new Error(
        `matmul: both arguments need at least 1 dimension, got shapes ${formatShape(this.shape)} and ${formatShape(other.shape)}; use mul for scalars`,
      );
    }
    const a = this.ndim === 1 ? this.unsqueeze(0) : this;
    const b = other.ndim === 1 ? other.unsqueeze(1) : other;
    if (a.shape[a.ndim - 1] !== b.shape[b.ndim - 2]) {
      throw new Error(
        `matmul: shapes ${formatShape(this.shape)} and ${formatShape(other.shape)} cannot be multiplied: ` +
          `the last dim of the first (${a.shape[a.ndim - 1]}) must equal the ${other.ndim === 1 ? 'size of the 1-D second operand' : 'second-to-last dim of the second'} (${b.shape[b.ndim - 2]})`,
      );
    }
    let out = apply(ops.matmul, [a, b], undefined);
    if (other.ndim === 1) out = out.squeeze(-1);
    if (this.ndim === 1) out = out.squeeze(other.ndim === 1 ? -1 : -2);
    return out;
  }

  /** Dot product of two 1-D tensors. */
  dot(other: Tensor): Tensor {
    if (this.ndim !== 1 || other.ndim !== 1)
      throw new Error(`dot: expected two 1-D tensors, got ${formatShape(this.shape)} and ${formatShape(other.shape)}`);
    return this.matmul(other);
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
    if (this.ndim === 0) return this.reshape(1);
    const start = normalizeDim(startDim, this.ndim, 'flatten');
    const end = normalizeDim(endDim, this.ndim, 'flatten');
    if (start > end) throw new Error(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
    const merged = this.shape.slice(start, end + 1).reduce((p, d) => p * d, 1);
    return this.reshape([...this.shape.slice(0, start), merged, ...this.shape.slice(end + 1)]);
  }

  /** Removes size-1 dims (all, or only `dim`). */
  squeeze(dim?: number | readonly number[]): Tensor {
    const dims = dim === undefined ? this.shape.map((_, i) => i) : normalizeDims(dim, this.ndim, 'squeeze');
    return this.reshape(this.shape.filter((d, i) => !(d === 1 && dims.includes(i))));
  }

  /** @internal Removes the given (size-1) dims. */
  squeezeDims(dims: readonly number[]): Tensor {
    return this.reshape(this.shape.filter((_, i) => !dims.includes(i)));
  }

  /** Inserts a size-1 dim at `dim` (negative counts from the end of the result). */
  unsqueeze(dim: number): Tensor {
    const d = normalizeDim(dim, this.ndim + 1, 'unsqueeze');
    const shape = [...this.shape];
    shape.splice(d, 0, 1);
    return this.reshape(shape);
  }

  permute(...dims: ShapeArgs): Tensor {
    const list = shapeArgs(dims);
    if (list.length !== this.ndim) {
      throw new Error(
        `permute: got ${list.length} dims ${formatShape(list)} for a tensor with ${this.ndim} dims; give each dim exactly once`,
      );
    }
    const normalized = list.map((d) => normalizeDim(d, this.ndim, 'permute'));
    if (new Set(normalized).size !== normalized.length) {
      throw new Error(
        `permute: dims ${formatShape(list)} repeat a dim; give each of the ${this.ndim} dims exactly once`,
      );
    }
    if (normalized.every((d, i) => d === i)) return this;
    return apply(ops.permute, [this], { dims: normalized });
  }

  transpose(dim0: number, dim1: number): Tensor {
    const a = normalizeDim(dim0, this.ndim, 'transpose');
    const b = normalizeDim(dim1, this.ndim, 'transpose');
    if (this.ndim < 2 || a === b) return this;
    const dims = this.shape.map((_, i) => (i === a ? b : i === b ? a : i));
    return this.permute(dims);
  }

  /** The tensor with its dims reversed (the transpose of a matrix). */
  get T(): Tensor {
    return this.ndim < 2 ? this : this.permute(this.shape.map((_, i) => this.ndim - 1 - i));
  }

  /** Transpose of the last two dims (a batch of matrices). */
  get mT(): Tensor {
    if (this.ndim < 2) throw new Error(`mT: expected at least 2 dims, got shape ${formatShape(this.shape)}`);
    return this.transpose(-2, -1);
  }

  /** A broadcast view of `shape` (size-1 dims repeat with stride 0; -1 keeps a dim). */
  expand(...shape: ShapeArgs): Tensor {
    const requested = shapeArgs(shape);
    if (requested.length < this.ndim) {
      throw new Error(
        `expand: the target shape ${formatShape(requested)} has fewer dims than the tensor's shape ${formatShape(this.shape)}`,
      );
    }
    const lead = requested.length - this.ndim;
    const target = requested.map((d, i) => {
      const own = i < lead ? undefined : this.shape[i - lead];
      if (d === -1) {
        if (own === undefined)
          throw new Error(`expand: -1 is not allowed for the new leading dim ${i} in ${formatShape(requested)}`);
        return own;
      }
      if (own !== undefined && own !== 1 && own !== d) {
        throw new Error(
          `expand: cannot expand shape ${formatShape(this.shape)} to ${formatShape(requested)}: dim ${i - lead} has size ${own}, which is not 1 and differs from ${d}`,
        );
      }
      checkShape([d], 'expand');
      return d;
    });
    if (shapesEqual(target, this.shape)) return this;
    return apply(ops.expand, [this], { shape: target });
  }

  expandAs(other: Tensor): Tensor {
    return this.expand(other.shape);
  }

  /** Elements `start` to `end` (exclusive) along `dim`, every `step`-th; a view. Negative indices count from the end. */
  slice(dim: number, start = 0, end?: number, step = 1): Tensor {
    const d = normalizeDim(dim, this.ndim, 'slice');
    const size = this.shape[d] as number;
    if (!Number.isInteger(step) || step <= 0) throw new Error(`slice: step must be a positive integer, got ${step}`);
    const clampIndex = (i: number) => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
    const params: SliceParams = {
      dim: d,
      start: clampIndex(start),
      end: Math.max(clampIndex(end ?? size), clampIndex(start)),
      step,
    };
    if (params.start === 0 && params.end === size && step === 1) return this;
    return apply(ops.slice, [this], params);
  }

  /** `length` elements along `dim` starting at `start` (torch.narrow). */
  narrow(dim: number, start: number, length: number): Tensor {
    return this.slice(dim, start, start + length);
  }

  /** The `index`-th element along `dim`, with that dim removed (torch.select). */
  select(dim: number, index: number): Tensor {
    const d = normalizeDim(dim, this.ndim, 'select');
    const size = this.shape[d] as number;
    if (!Number.isInteger(index) || index < -size || index >= size) {
      throw new Error(`select: index ${index} is out of range for dim ${dim} of size ${size}`);
    }
    const i = index < 0 ? index + size : index;
    return this.slice(d, i, i + 1).squeezeDims([d]);
  }

  /** Splits into pieces of `splitSize` along `dim` (the last may be smaller), or into the given sizes. */
  split(splitSize: number | readonly number[], dim = 0): Tensor[] {
    const d = normalizeDim(dim, this.ndim, 'split');
    const total = this.shape[d] as number;
    let sizes: number[];
    if (typeof splitSize === 'number') {
      if (!Number.isInteger(splitSize) || splitSize <= 0)
        throw new Error(`split: splitSize must be a positive integer, got ${splitSize}`);
      sizes = [];
      for (let start = 0; start < total; start += splitSize) sizes.push(Math.min(splitSize, total - start));
      if (sizes.length === 0) sizes.push(0);
    } else {
      sizes = [...splitSize];
      const sum = sizes.reduce((a, b) => a + b, 0);
      if (sum !== total)
        throw new Error(`split: sizes ${formatShape(sizes)} add up to ${sum} but dim ${dim} has size ${total}`);
    }
    let start = 0;
    return sizes.map((s) => {
      start += s;
      return this.slice(d, start - s, start);
    });
  }

  /** Splits into `chunks` nearly equal pieces along `dim` (torch.chunk). */
  chunk(chunks: number, dim = 0): Tensor[] {
    if (!Number.isInteger(chunks) || chunks <= 0)
      throw new Error(`chunk: chunks must be a positive integer, got ${chunks}`);
    const d = normalizeDim(dim, this.ndim, 'chunk');
    return this.split(Math.max(Math.ceil((this.shape[d] as number) / chunks), 1), d);
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

  // ---- in place ------------------------------------------------------------------------------

  /**
   * Runs `compute` and writes its result into this tensor's storage. Inside a graph the new value
   * takes this tensor's place: later ops see the in-place op as this tensor's producer.
   */
  private inplace(op: string, compute: (self: Tensor) => Tensor): this {
    const tracking = isGradEnabled();
    if (tracking && this._requiresGrad && this._gradFn === null) {
      throw new Error(
        `${op}: a leaf tensor that requires grad cannot be changed in place (autograd needs its value); wrap the update in noGrad(() => ...) as optimizers do, or use the out-of-place ${op.replace(/_$/, '')}()`,
      );
    }
    if (!tracking) {
      this.writeFrom(compute(this));
      return this;
    }
    // The pre-update value as its own tensor, so ops that use it in backward keep reading it.
    const before = this._requiresGrad ? this.snapshot() : noGrad(() => apply(ops.clone, [this], undefined));
    const result = compute(before);
    // A view of a tensor in the graph: the base changes too, even when the new values need no grad.
    if (this._base !== null && (result.requiresGrad || this._base._requiresGrad)) return this.inplaceOnView(op, result);
    if (!result.requiresGrad) {
      this.writeFrom(result);
      // The old value no longer influences this tensor (fill_, zero_ inside a graph).
      this._gradFn = null;
      this._requiresGrad = false;
      return this;
    }
    this.writeFrom(result);
    const node = result._gradFn as GradFn;
    node.output = this;
    this._gradFn = node;
    this._requiresGrad = true;
    return this;
  }

  /**
   * In place on a view inside the graph (PyTorch's CopySlices): the base becomes
   * viewScatter(old base, result) and this view re-reads it through asStrided.
   */
  private inplaceOnView(op: string, result: Tensor): this {
    const base = this._base as Tensor;
    if (base._requiresGrad && base._gradFn === null) {
      throw new Error(
        `${op}: a view of a leaf tensor that requires grad cannot be changed in place; wrap the update in noGrad(() => ...) or change a clone()`,
      );
    }
    const overlapping = this._strides.some((s, i) => s === 0 && (this.shape[i] as number) > 1);
    if (overlapping || !base.isContiguous()) {
      throw new Error(
        `${op}: in-place changes to this view (shape ${formatShape(this.shape)}, strides ${formatShape(this._strides)}) are not supported inside the autograd graph because several elements share memory; use the out-of-place ${op.replace(/_$/, '')}() or clone() first`,
      );
    }
    const window = { shape: this.shape, strides: this._strides, offset: this._offset - base._offset };
    const before = base._requiresGrad ? base.snapshot() : noGrad(() => apply(ops.clone, [base], undefined));
    this.writeFrom(result);
    const updated = apply(ops.viewScatter, [before, result], window);
    const baseNode = updated._gradFn as GradFn;
    baseNode.output = base;
    base._gradFn = baseNode;
    base._requiresGrad = true;
    const reread = apply(ops.asStrided, [base], window);
    const viewNode = reread._gradFn as GradFn;
    viewNode.output = this;
    this._gradFn = viewNode;
    this._requiresGrad = true;
    return this;
  }

  /** A fresh copy of this tensor's values that takes its place in the graph. */
  private snapshot(): Tensor {
    const copy = noGrad(() => apply(ops.clone, [this], undefined));
    copy._gradFn = this._gradFn;
    copy._requiresGrad = this._requiresGrad;
    if (this._gradFn !== null) this._gradFn.output = copy;
    return copy;
  }

  private writeFrom(source: Tensor): void {
    if (!shapesEqual(broadcastShapes('in-place op', source.shape, this.shape), this.shape)) {
      throw new Error(
        `in-place op: the result of shape ${formatShape(source.shape)} cannot be written into a tensor of shape ${formatShape(this.shape)}; broadcasting may not change the shape of the tensor changed in place`,
      );
    }
    getBackend().copy(
      source.stridedView(this.shape),
      { data: this._storage.data, offset: this._offset, strides: this._strides },
      this.shape,
    );
    this._storage.version++;
  }

  add_(other: Tensor | number): this {
    return this.inplace('add_', (t) => t.add(this.operand(other, t)));
  }
  sub_(other: Tensor | number): this {
    return this.inplace('sub_', (t) => t.sub(this.operand(other, t)));
  }
  mul_(other: Tensor | number): this {
    return this.inplace('mul_', (t) => t.mul(this.operand(other, t)));
  }
  div_(other: Tensor | number): this {
    return this.inplace('div_', (t) => t.div(this.operand(other, t)));
  }
  pow_(exponent: Tensor | number): this {
    return this.inplace('pow_', (t) => t.pow(this.operand(exponent, t)));
  }

  /** `x.mul_(x)`: the other operand is this tensor's value before the update, as in PyTorch. */
  private operand(other: Tensor | number, before: Tensor): Tensor | number {
    return other === this ? before : other;
  }
  neg_(): this {
    return this.inplace('neg_', (t) => t.neg());
  }
  clamp_(min?: number | null, max?: number | null): this {
    return this.inplace('clamp_', (t) => t.clamp(min, max));
  }
  /** Fills with `value` (no gradient flows to the old value). */
  fill_(value: number): this {
    // Inside a graph the result stays in it with a zero gradient to the old value, as in PyTorch.
    return this.inplace('fill_', (t) =>
      t.requiresGrad ? t.where(t.newZeros([]), value) : t.newFull([], value).expand(t.shape),
    );
  }
  zero_(): this {
    return this.fill_(0);
  }
  /** Copies `source` (broadcast to this shape) into this tensor. */
  copy_(source: Tensor): this {
    // A fresh clone, so the in-place node never re-binds the source's own graph node.
    return this.inplace('copy_', () => apply(ops.clone, [source.to(this.dtype).expand(this.shape)], undefined));
  }
}

function clampParams(min: number | null | undefined, max: number | null | undefined): ClampParams {
  const lo = min ?? Number.NaN;
  const hi = max ?? Number.NaN;
  if (min == null && max == null) throw new Error('clamp: give at least one of min and max');
  // With min > max every element becomes max and, as in torch, no gradient flows (the mask is empty).
  return { min: lo, max: hi };
}

/** The dims a reduction runs over: all of them when `dim` is omitted or `[]` (as torch.sum(x, dim=[]) does). */
function reductionDims(dim: number | readonly number[] | undefined, ndim: number, op: string): number[] {
  return normalizeDims(Array.isArray(dim) && dim.length === 0 ? undefined : dim, ndim, op);
}

function extremumParams(t: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean, op: string) {
  const dims = reductionDims(dim, t.ndim, op);
  if (t.size === 0) throw new Error(`${op}: cannot take the ${op} of an empty tensor of shape ${formatShape(t.shape)}`);
  return { dims, keepdim, indexed: typeof dim === 'number' };
}

function argReduce(t: Tensor, op: typeof ops.argmax, dim: number | undefined, keepdim: boolean): Tensor {
  if (t.size === 0) throw new Error(`${op.name}: cannot take the ${op.name} of an empty tensor`);
  if (dim === undefined) {
    const flat = apply(op, [t.reshape(-1)], { dims: [0], keepdim: false });
    return keepdim ? flat.reshape(t.shape.map(() => 1)) : flat;
  }
  return apply(op, [t], { dims: [normalizeDim(dim, t.ndim, op.name)], keepdim });
}
