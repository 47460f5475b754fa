/**
 * @file `LayerNorm` as in PyTorch: normalises over the trailing `normalizedShape` dimensions with the
 * biased variance, then applies an element-wise scale (ones) and shift (zeros).
 */
import { type DType, formatShape, ones, type Tensor, zeros } from '@optimgrad/core';
import { Module } from '../module';

/**
 * Options of `LayerNorm`.
 * @example new LayerNorm(64, { eps: 1e-6 });
 */
export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  readonly eps?: number;
  /** Learn an element-wise scale and shift (default `true`). */
  readonly elementwiseAffine?: boolean;
  /** Learn the shift when affine (default `true`). */
  readonly bias?: boolean;
  /** Parameter dtype (default `'float32'`). */
  readonly dtype?: DType;
}

/**
 * Layer normalisation over the last dimensions.
 * @example new LayerNorm(16).call(randn([4, 16]));
 */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (shape.length === 0 || shape.some((n) => !Number.isInteger(n) || n < 1)) {
      throw new Error(`LayerNorm: normalizedShape must be positive integers, got ${formatShape(shape)}`);
    }
    this.normalizedShape = shape;
    this.eps = options.eps ?? 1e-5;
    const dtype = options.dtype ?? 'float32';
    const affine = options.elementwiseAffine ?? true;
    this.registerParameter('weight', affine ? ones(shape, { dtype }) : null);
    this.registerParameter('bias', affine && (options.bias ?? true) ? zeros(shape, { dtype }) : null);
  }

  /** Element-wise scale (`null` when not affine). */
  get weight(): Tensor | null {
    return this.getOptionalParameter('weight');
  }
  /** Element-wise shift (`null` when absent). */
  get bias(): Tensor | null {
    return this.getOptionalParameter('bias');
  }

  override extraRepr(): string {
    return `${formatShape(this.normalizedShape)}, eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }

  override forward(x: Tensor): Tensor {
    const k = this.normalizedShape.length;
    const trailing = x.shape.slice(x.ndim - k);
    if (x.ndim < k || trailing.some((n, i) => n !== this.normalizedShape[i])) {
      throw new Error(
        `LayerNorm: input of shape ${formatShape(x.shape)} must end in normalizedShape ${formatShape(this.normalizedShape)}`,
      );
    }
    const dims = Array.from({ length: k }, (_, i) => x.ndim - k + i);
    const mean = x.mean(dims, true);
    const centered = x.sub(mean);
    let y = centered.div(centered.square().mean(dims, true).add(this.eps).sqrt());
    const weight = this.weight;
    const bias = this.bias;
    if (weight !== null) y = y.mul(weight);
    if (bias !== null) y = y.add(bias);
    return y;
  }
}
