/** @file A node of the backward graph: the op that made a tensor, its inputs, and what it saved. */
import type { Op } from '../ops/op';
import type { Storage } from '../storage';
import type { Tensor } from '../tensor';

interface SavedVersion {
  readonly what: string;
  readonly storage: Storage;
  readonly version: number;
  readonly shape: readonly number[];
}

/** Seen by users as `t.gradFn`: `name` and `inputs` are the graph that `@optimgrad/inspect` walks. */
export class GradFn<P = unknown> {
  /** True once a backward without `retainGraph` has run through this node. */
  freed = false;
  /**
   * The node that produced each input when this node was created (null for leaves), fixed then, as
   * PyTorch's next_functions: a later in-place op that re-binds an input's gradFn must not change
   * the history of ops that ran before it.
   */
  readonly next: readonly (GradFn | null)[];
  /** Whether each input required grad when this node was created. */
  readonly needsGrad: readonly boolean[];
  private readonly saved: SavedVersion[];

  constructor(
    readonly op: Op<P>,
    readonly inputs: readonly Tensor[],
    /** The tensor this node produced (rebound when an in-place op replaces it in the graph). */
    public output: Tensor,
    readonly params: P,
  ) {
    this.next = inputs.map((t) => t._gradFn);
    this.needsGrad = inputs.map((t) => t.requiresGrad);
    const needed = op.savesFor
      ? [...new Set(op.savesFor.flatMap((list, i) => (this.needsGrad[i] ? list : [])))]
      : op.saves;
    this.saved = needed.map((s) => {
      const t = s === 'output' ? output : (inputs[s] as Tensor);
      return {
        what: s === 'output' ? 'its output' : `input ${s}`,
        storage: t._storage,
        version: t._storage.version,
        shape: t.shape,
      };
    });
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

  /** Throws PyTorch's error if a tensor this op saved was changed in place after the forward pass. */
  checkSaved(): void {
    for (const s of this.saved) {
      if (s.storage.version !== s.version) {
        throw new Error(
          `backward: one of the tensors needed for gradient computation has been modified by an in-place operation: ` +
            `${s.what} of '${this.name}' (shape [${s.shape.join(', ')}]) is at version ${s.storage.version}; expected version ${s.version}. ` +
            'Use the out-of-place op (e.g. add instead of add_) or clone() the tensor before changing it.',
        );
      }
    }
  }
}
