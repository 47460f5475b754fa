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
  /**
   * Whether each input needs a gradient (the node's `needsGrad`); a rule may return null for the others
   * instead of computing a gradient nobody reads. Absent (a caller that wants every local derivative, as
   * the inspect tools do): compute them all.
   */
  readonly needsGrad?: readonly boolean[];
  /**
   * The engine's `apply`, for rules that need a primitive with no Tensor method (`inRange`, `unslice`);
   * passed in rather than imported so op files stay free of the Tensor module at run time.
   */
  apply<Q>(op: Op<Q>, inputs: readonly Tensor[], params: Q): Tensor;
}

/** Layout of a view's result on its input's storage. */
export interface ViewGeometry {
  readonly shape: Shape;
  readonly strides: readonly number[];
  readonly offset: number;
}

interface OpBase<P, Id extends string> {
  /**
   * The op's stable identity: its key in the `ops` table (the table demands it and checks it), which the rule
   * tables of the inspect tools and the tests are typed over. Optional only for ops defined outside the table.
   */
  readonly id?: Id;
  /** Becomes `t.gradFn.name`: what users see (PyTorch's name, e.g. `pow` for `powScalar`). */
  readonly name: string;
  /**
   * True when each output element depends only on the input elements at the same (broadcast) position, so
   * the local derivative is a diagonal: a tensor of the output's shape (the walkthrough shows it as such).
   * Every op of the table must say; absent (ops defined outside the table) means false.
   */
  readonly elementwise?: boolean;
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
export interface ComputeOp<P = undefined, Id extends string = string> extends OpBase<P, Id> {
  readonly kind: 'compute';
  /** The output dtype; defaults to promoting every input's dtype. */
  dtype?(inputs: readonly Tensor[], params: P): DType;
  forward(k: Backend, inputs: readonly Tensor[], out: TypedArray, params: P, outShape: Shape): void;
}

/** An op whose result shares its input's storage (reshape, permute, expand, slice). */
export interface ViewOp<P = undefined, Id extends string = string> extends OpBase<P, Id> {
  readonly kind: 'view';
  view(input: Tensor, params: P, outShape: Shape): ViewGeometry;
}

export type Op<P = undefined, Id extends string = string> = ComputeOp<P, Id> | ViewOp<P, Id>;

/** What every op of the `ops` table declares (ops defined elsewhere, e.g. in a test, may omit it). */
export interface OpIdentity<Id extends string> {
  readonly id: Id;
  readonly elementwise: boolean;
}

/**
 * Identity: gives inference (the id as a literal type) and one place to grep for every primitive.
 * An op with parameters names both: `defineOp<SliceParams, 'slice'>({ id: 'slice', ... })`.
 */
export function defineOp<P = undefined, const Id extends string = string>(
  op: ComputeOp<P, Id> & OpIdentity<Id>,
): ComputeOp<P, Id> & OpIdentity<Id>;
export function defineOp<P = undefined, const Id extends string = string>(
  op: ViewOp<P, Id> & OpIdentity<Id>,
): ViewOp<P, Id> & OpIdentity<Id>;
export function defineOp<P = undefined>(op: ComputeOp<P>): ComputeOp<P>;
export function defineOp<P = undefined>(op: ViewOp<P>): ViewOp<P>;
export function defineOp<P, Id extends string>(op: Op<P, Id>): Op<P, Id> {
  return op;
}

/** Writes `t`'s elements row-major into the contiguous buffer `out` through the backend's copy kernel. */
export function copyInto(k: Backend, t: Tensor, out: TypedArray): void {
  k.copy(t.stridedView(t.shape), { data: out, offset: 0, strides: contiguousStrides(t.shape) }, t.shape);
}
