/**
 * @file `Linear`: y = x·Wᵀ + b with PyTorch's weight layout `[out, in]` and default initialisation
 * (kaiming-uniform with a = √5 for the weight, U(−1/√in, 1/√in) for the bias).
 */
import { type DType, formatShape, type Tensor, zeros } from '@optimgrad/core';
import { kaimingUniform_, uniform_ } from '../init';
import { Module } from '../module';

/**
 * Options of `Linear`.
 * @example new Linear(4, 2, { bias: false, dtype: 'float64' });
 */
export interface LinearOptions {
  /** Learn an additive bias (default `true`). */
  readonly bias?: boolean;
  /** Parameter dtype (default `'float32'`). */
  readonly dtype?: DType;
}

/**
 * Fully connected layer mapping `[..., inFeatures]` to `[..., outFeatures]`.
 * @example const fc = new Linear(4, 2); fc.call(randn([8, 4])).shape; // [8, 2]
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    for (const [label, n] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(n) || n < 0) throw new Error(`Linear: ${label} must be a non-negative integer, got ${n}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const dtype = options.dtype ?? 'float32';
    const weight = kaimingUniform_(zeros([outFeatures, inFeatures], { dtype }), { a: Math.sqrt(5) });
    this.registerParameter('weight', weight);
    if (options.bias ?? true) {
      const bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
      this.registerParameter('bias', uniform_(zeros([outFeatures], { dtype }), -bound, bound));
    } else {
      this.registerParameter('bias', null);
    }
  }

  /** The `[outFeatures, inFeatures]` weight. */
  get weight(): Tensor {
    return this.getParameter('weight');
  }

  /** The `[outFeatures]` bias, or `null` when built with `{ bias: false }`. */
  get bias(): Tensor | null {
    return this.getOptionalParameter('bias');
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }

  override forward(x: Tensor): Tensor {
    if (x.ndim === 0 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new Error(
        `Linear: input of shape ${formatShape(x.shape)} must end in inFeatures = ${this.inFeatures}; reshape it or build Linear(${x.shape[x.ndim - 1] ?? '?'}, ${this.outFeatures})`,
      );
    }
    const y = x.matmul(this.weight.T);
    const bias = this.bias;
    return bias === null ? y : y.add(bias);
  }
}
