/**
 * @file The contract of a primitive op: everything the engine, the inspect tools and the tests
 * know about it, in one object. Backward rules are written with Tensor ops, so when the engine runs
 * them with grad enabled (createGraph) they build graph and higher derivatives come free. Rules
 * return gradients in the broadcast output shape; only the engine sums them back to input shapes.
 */
import type { Backend } from '../backend/backend';
import type { DType, TypedArray } from '../dtype';
import { contiguousStrides, type Shape } from '../shape';
import type { Tensor } from '../tensor';

export interface BackwardContext<P> {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly params: P;
}

/** Layout of a view's result on its input's storage. */
export interface ViewGeometry {
  readonly shape: Shape;
  readonly strides: readonly number[];
  readonly offset: number;
}

interface OpBase<P> {
  /** Becomes `t.gradFn.name`. */
  readonly name: string;
  /** The local derivative for each input, as text (`d(a*b)/da = b`), for the inspect tools. */
  readonly formula: readonly string[];
  /** The formula for each input in LaTeX, for Markdown walkthroughs. */
  readonly latex: readonly string[];
  /** Which inputs (by position) and whether the output must be unchanged when backward runs. */
  readonly saves: readonly (number | 'output')[];
  /**
   * For each input, which of `saves` its gradient reads, when that differs by input: backward then only
   * requires those of the inputs that need a gradient to be unchanged (PyTorch saves `b` for d(a*b)/da only
   * when `a` needs it, so `y.mul(3)` does not mind a later `y.add_(1)`). Absent: all of `saves`, always.
   */
  readonly savesFor?: readonly (readonly (number | 'output')[])[];
  /** False for ops with zero or undefined derivative (comparisons, argmax): their outputs never require grad. */
  readonly differentiable: boolean;
  /** The output shape; throws an Error naming the op and the shapes when the inputs do not fit. */
  shape(inputs: readonly Shape[], params: P): Shape;
  /** Gradients for each input (null where none flows), in the output's broadcast shape. */
  backward(g: Tensor, context: BackwardContext<P>): readonly (Tensor | null)[];
}

/** An op that computes new values into a fresh contiguous buffer. */
export interface ComputeOp<P = undefined> extends OpBase<P> {
  readonly kind: 'compute';
  /** The output dtype; defaults to promoting every input's dtype. */
  readonly dtype?: (inputs: readonly Tensor[], params: P) => DType;
  forward(k: Backend, inputs: readonly Tensor[], out: TypedArray, params: P, outShape: Shape): void;
}

/** An op whose result shares its input's storage (reshape, permute, expand, slice). */
export interface ViewOp<P = undefined> extends OpBase<P> {
  readonly kind: 'view';
  view(input: Tensor, params: P, outShape: Shape): ViewGeometry;
}

export type Op<P = undefined> = ComputeOp<P> | ViewOp<P>;

/** Identity: gives inference and one place to grep for every primitive. */
export function defineOp<P = undefined>(op: ComputeOp<P>): ComputeOp<P>;
export function defineOp<P = undefined>(op: ViewOp<P>): ViewOp<P>;
export function defineOp<P>(op: Op<P>): Op<P> {
  return op;
}

/** Writes `t`'s elements row-major into the contiguous buffer `out` through the backend's copy kernel. */
export function copyInto(k: Backend, t: Tensor, out: TypedArray): void {
  k.copy(t.stridedView(t.shape), { data: out, offset: 0, strides: contiguousStrides(t.shape) }, t.shape);
}
