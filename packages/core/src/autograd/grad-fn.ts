/**
 * @file A node of the backward graph: the op that made a tensor, its inputs, and what it saved.
 * Until a backward without `retainGraph` runs through it, a node holds its input and output tensors;
 * after that it keeps only the graph's structure and its leaves, and recomputes intermediate values
 * from the leaves when someone asks for them (see "Graph memory after backward" in BACKEND.md).
 */

import { apply } from '../apply';
import type { DType } from '../dtype';
import type { Op } from '../ops/op';
import type { Storage } from '../storage';
import type { Tensor } from '../tensor';
import { noGrad } from './grad-mode';

interface SavedVersion {
  /** Which tensor: an input's position or the output (the error message is built only when it is needed). */
  readonly which: number | 'output';
  /** Null once the node is freed and the saved tensor was an intermediate (its values are recomputed then). */
  storage: Storage | null;
  readonly version: number;
  readonly shape: readonly number[];
  /** True for the output and for inputs made by an op: values that are recomputed once the node is freed. */
  readonly intermediate: boolean;
}

const NOTHING_SAVED: SavedVersion[] = [];
/** `leafVersions` of a node with no leaf input (read as -1 at every position). */
const NO_LEAVES: readonly number[] = Object.freeze([]);

/** `needsGrad` of nodes with one or two inputs, by input count and bit mask (bit i: input i requires grad). */
const SHARED_NEEDS_GRAD: readonly (readonly (readonly boolean[])[])[] = [
  [Object.freeze([])],
  [Object.freeze([false]), Object.freeze([true])],
  [
    Object.freeze([false, false]),
    Object.freeze([true, false]),
    Object.freeze([false, true]),
    Object.freeze([true, true]),
  ],
];

/** What the gradients of the inputs that need one read, in first-listed order (`savesFor` of those inputs). */
function savedFor(
  savesFor: readonly (readonly (number | 'output')[])[],
  needsGrad: readonly boolean[],
): (number | 'output')[] {
  const needed: (number | 'output')[] = [];
  for (let i = 0; i < savesFor.length; i++) {
    if (!needsGrad[i]) continue;
    for (const s of savesFor[i] as readonly (number | 'output')[]) if (!needed.includes(s)) needed.push(s);
  }
  return needed;
}

function needsGradList(inputs: readonly Tensor[]): boolean[] {
  const list = new Array<boolean>(inputs.length);
  for (let i = 0; i < inputs.length; i++) list[i] = (inputs[i] as Tensor)._requiresGrad;
  return list;
}

/** Seen by users as `t.gradFn`: `name` and `inputs` are the graph that `@optimgrad/inspect` walks. */
export class GradFn<P = unknown> {
  /**
   * The node that produced each input when this node was created (null for leaves), fixed then, as
   * PyTorch's next_functions: a later in-place op that re-binds an input's gradFn must not change
   * the history of ops that ran before it.
   */
  readonly next: readonly (GradFn | null)[];
  /** Whether each input required grad when this node was created. */
  readonly needsGrad: readonly boolean[];
  private readonly saved: SavedVersion[];
  /** The inputs while the graph is alive; only the leaves (null elsewhere) once it is freed. */
  private held: readonly (Tensor | null)[];
  /** Storage version of each leaf input when this node was created (-1 for intermediate inputs). */
  private readonly leafVersions: readonly number[];
  private heldTensor: Tensor | null;
  private shape: readonly number[];
  private dtype: DType;
  private label: string | undefined = undefined;
  private isFreed = false;

  constructor(
    readonly op: Op<P>,
    inputs: readonly Tensor[],
    /** The tensor this node produced (rebound when an in-place op replaces it in the graph). */
    output: Tensor,
    readonly params: P,
  ) {
    this.held = inputs;
    this.heldTensor = output;
    this.shape = output.shape;
    this.dtype = output.dtype;
    // One pass over the inputs: a node is made for every recorded op, so this is on the hot path.
    // Nodes of one or two inputs share their (read-only) `needsGrad` list, and `leafVersions` is
    // allocated only when an input is a leaf: every array a node keeps lives as long as the graph.
    const n = inputs.length;
    const next = new Array<GradFn | null>(n);
    let mask = 0;
    let versions: number[] | null = null;
    for (let i = 0; i < n; i++) {
      const t = inputs[i] as Tensor;
      const producer = t._gradFn;
      next[i] = producer;
      if (t._requiresGrad) mask |= 1 << i;
      if (producer === null) {
        versions ??= new Array<number>(n).fill(-1);
        versions[i] = t._storage.version;
      }
    }
    this.next = next;
    const needsGrad = n <= 2 ? (SHARED_NEEDS_GRAD[n]?.[mask] as readonly boolean[]) : needsGradList(inputs);
    this.needsGrad = needsGrad;
    this.leafVersions = versions ?? NO_LEAVES;
    const needed = op.savesFor && mask !== (1 << n) - 1 ? savedFor(op.savesFor, needsGrad) : op.saves;
    this.saved =
      needed.length === 0
        ? NOTHING_SAVED
        : needed.map((s) => {
            const t = s === 'output' ? output : (inputs[s] as Tensor);
            return {
              which: s,
              // Leaves stay checkable after the node is freed; intermediates are recomputed from them.
              storage: t._storage,
              version: t._storage.version,
              shape: t.shape,
              intermediate: s === 'output' || t._gradFn !== null,
            };
          });
  }

  /**
   * Input `i`'s shape, known after the inputs are released: a leaf is kept, and an intermediate input is the
   * output of the node that made it, which records its shape and dtype (also when an in-place op rebinds it).
   */
  inputShape(i: number): readonly number[] {
    const input = this.held[i];
    return input ? input.shape : (this.next[i] as GradFn).outputShape;
  }

  /** Input `i`'s dtype, known after the inputs are released (see `inputShape`). */
  inputDType(i: number): DType {
    const input = this.held[i];
    return input ? input.dtype : (this.next[i] as GradFn).outputDType;
  }

  /** Every input's shape. */
  get inputShapes(): readonly (readonly number[])[] {
    return this.next.map((_, i) => this.inputShape(i));
  }

  /** Every input's dtype. */
  get inputDTypes(): readonly DType[] {
    return this.next.map((_, i) => this.inputDType(i));
  }

  /** The op's name, e.g. `'mul'`. */
  get name(): string {
    return this.op.name;
  }

  /** The local derivative rule for each input, as text. */
  get formula(): readonly string[] {
    return this.op.formula;
  }

  /** The local derivative rule for each input, in LaTeX. */
  get latex(): readonly string[] {
    return this.op.latex;
  }

  /** True once a backward without `retainGraph` has run through this node (its intermediate values are released). */
  get freed(): boolean {
    return this.isFreed;
  }

  /**
   * The tensors this node was computed from. Once the graph is freed, leaves are the same tensors and
   * intermediate inputs are recomputed from the leaves (fresh tensors with the same values and `gradFn`);
   * throws if a leaf was changed in place since the forward pass.
   */
  get inputs(): readonly Tensor[] {
    return this.isFreed ? this.inputsWith(new Map()) : (this.held as readonly Tensor[]);
  }

  /** The tensor this node produced; recomputed from the leaves once the graph is freed (see `inputs`). */
  get output(): Tensor {
    return this.heldTensor ?? this.outputWith(new Map());
  }

  set output(t: Tensor) {
    this.shape = t.shape;
    this.dtype = t.dtype;
    // A freed node does not take a new value back: it recomputes one when asked.
    this.heldTensor = this.isFreed ? null : t;
  }

  /** The output's shape (known without its values). */
  get outputShape(): readonly number[] {
    return this.shape;
  }

  /** The output's dtype (known without its values). */
  get outputDType(): DType {
    return this.dtype;
  }

  /** The output's `name` (as it was when the graph was freed, if it was), for labels. */
  get outputName(): string | undefined {
    return this.heldTensor?.name ?? this.label;
  }

  /**
   * The output tensor if this node still holds it, without recomputing: always while the graph is
   * alive; after it is freed only when the output retains its gradient or has hooks.
   */
  get heldOutput(): Tensor | null {
    return this.heldTensor;
  }

  /** Input `i` when it is a leaf of the graph (no producer); leaves are never released. Null otherwise. */
  leafInput(i: number): Tensor | null {
    return this.next[i] === null ? (this.held[i] ?? null) : null;
  }

  /** `inputs`, sharing recomputed values through `cache`, so one walk over a freed graph runs each op once. */
  inputsWith(cache: Map<GradFn, Tensor>): Tensor[] {
    return this.next.map((producer, i) =>
      producer === null
        ? (this.held[i] as Tensor)
        : this.isFreed
          ? producer.outputWith(cache)
          : (this.held[i] as Tensor),
    );
  }

  /** `output`, sharing recomputed values through `cache` (see `inputsWith`). */
  outputWith(cache: Map<GradFn, Tensor>): Tensor {
    const known = (node: GradFn): Tensor | undefined => node.heldTensor ?? cache.get(node);
    const ready = known(this);
    if (ready !== undefined) return ready;
    // Iterative, inputs first, so a 100,000-op chain does not overflow the stack.
    const stack: GradFn[] = [this];
    while (stack.length > 0) {
      const node = stack[stack.length - 1] as GradFn;
      const missing = node.next.find((p) => p !== null && known(p) === undefined);
      if (missing !== undefined && missing !== null) {
        stack.push(missing);
        continue;
      }
      stack.pop();
      if (known(node) !== undefined) continue;
      cache.set(
        node,
        node.recompute(node.next.map((p, i) => (p === null ? (node.held[i] as Tensor) : (known(p) as Tensor)))),
      );
    }
    return cache.get(this) as Tensor;
  }

  /** Re-runs this node's op on `inputs` (the values its inputs had in the forward pass). */
  private recompute(inputs: readonly Tensor[]): Tensor {
    this.leafVersions.forEach((version, i) => {
      const leaf = inputs[i] as Tensor;
      if (version !== -1 && leaf._storage.version !== version) {
        throw new Error(
          `gradFn: the graph of '${this.name}' was freed by backward(), so its intermediate values are recomputed from its leaves, ` +
            `but input ${i} of '${this.name}' (a leaf of shape [${leaf.shape.join(', ')}]) was changed in place since the forward pass ` +
            `(version ${leaf._storage.version}; expected ${version}), e.g. by optimizer.step(). Read the values before changing the leaves, ` +
            'pass { retainGraph: true } to backward() to keep them, or recompute the forward pass.',
        );
      }
    });
    return noGrad(() => {
      let out = apply(this.op, inputs, this.params);
      // An in-place op wrote its result into a tensor of its own dtype (and, broadcast, shape).
      if (out.dtype !== this.dtype) out = out.to(this.dtype);
      if (out.shape.join() !== this.shape.join()) out = out.expand(...this.shape);
      out._gradFn = this;
      out._requiresGrad = true;
      out.name = this.label;
      return out;
    });
  }

  /**
   * @internal Called by backward without `retainGraph`: keeps the structure and the leaves, drops the
   * references to intermediate values so a kept output does not pin its graph's buffers.
   */
  _free(): void {
    if (this.isFreed) return;
    this.isFreed = true;

    this.held = this.held.map((t, i) => (this.next[i] === null ? t : null));
    const out = this.heldTensor as Tensor;
    this.label = out.name;
    // Its .grad or hooks are why a user would come back to it, and they live on the tensor.
    if (!out._retainsGrad && out._hooks === null) this.heldTensor = null;
    for (const s of this.saved) if (s.intermediate) s.storage = null;
  }

  /** Throws PyTorch's error if a tensor this op saved was changed in place after the forward pass. */
  checkSaved(): void {
    for (const s of this.saved) {
      if (s.storage !== null && s.storage.version !== s.version) {
        throw new Error(
          `backward: one of the tensors needed for gradient computation has been modified by an in-place operation: ` +
            `${s.which === 'output' ? 'its output' : `input ${s.which}`} of '${this.name}' (shape [${s.shape.join(', ')}]) is at version ${s.storage.version}; expected version ${s.version}. ` +
            'Use the out-of-place op (e.g. add instead of add_) or clone() the tensor before changing it.',
        );
      }
    }
  }
}
