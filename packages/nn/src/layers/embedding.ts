/**
 * @file `Embedding`: a lookup table `[numEmbeddings, embeddingDim]` initialised N(0, 1) like PyTorch;
 * rows at `paddingIdx` start at zero and receive no gradient.
 */
import { type DType, getBackend, type Tensor, zeros } from '@optimgrad/core';
import { normal_ } from '../init';
import { Module } from '../module';

/**
 * Options of `Embedding`.
 * @example new Embedding(100, 16, { paddingIdx: 0 });
 */
export interface EmbeddingOptions {
  /** This index maps to a row that starts at zero and is never updated (negative counts from the end). */
  readonly paddingIdx?: number;
  /** Weight dtype (default `'float32'`). */
  readonly dtype?: DType;
}

/**
 * Maps integer indices of any shape `[...]` to vectors `[..., embeddingDim]`.
 * @example new Embedding(10, 3).call(tensor([1, 4, 4])).shape; // [3, 3]
 */
export class Embedding extends Module {
  readonly paddingIdx: number | null;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    options: EmbeddingOptions = {},
  ) {
    super();
    if (!Number.isInteger(numEmbeddings) || numEmbeddings < 1 || !Number.isInteger(embeddingDim) || embeddingDim < 0) {
      throw new Error(
        `Embedding: need a positive integer numEmbeddings and a non-negative integer embeddingDim, got ${numEmbeddings} and ${embeddingDim}`,
      );
    }
    let padding = options.paddingIdx ?? null;
    if (padding !== null) {
      if (!Number.isInteger(padding) || padding < -numEmbeddings || padding >= numEmbeddings) {
        throw new Error(
          `Embedding: paddingIdx must be an integer in [-${numEmbeddings}, ${numEmbeddings - 1}], got ${padding}`,
        );
      }
      if (padding < 0) padding += numEmbeddings;
    }
    this.paddingIdx = padding;
    const weight = normal_(zeros([numEmbeddings, embeddingDim], { dtype: options.dtype ?? 'float32' }));
    if (padding !== null) weight.data.fill(0, padding * embeddingDim, (padding + 1) * embeddingDim);
    this.registerParameter('weight', weight);
  }

  /** The `[numEmbeddings, embeddingDim]` table. */
  get weight(): Tensor {
    return this.getParameter('weight');
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx === null ? '' : `, paddingIdx=${this.paddingIdx}`}`;
  }

  override forward(indices: Tensor): Tensor {
    const values = indices.data;
    const bad = getBackend().firstInvalidIndex(values, this.numEmbeddings);
    if (bad !== -1) {
      throw new Error(
        `Embedding: index ${values[bad]} at flat position ${bad} is out of range; indices must be integers in [0, ${this.numEmbeddings - 1}]`,
      );
    }
    const flat = indices.detach().reshape(-1).to(this.weight.dtype);
    let rows = this.weight.indexSelect(0, flat);
    if (this.paddingIdx !== null) {
      const frozen = this.weight.detach().indexSelect(0, flat);
      rows = rows.where(flat.ne(this.paddingIdx).unsqueeze(1), frozen);
    }
    return rows.reshape(...indices.shape, this.embeddingDim);
  }
}
