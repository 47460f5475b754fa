/**
 * @file `Conv1d` and `Conv2d` modules (PyTorch's `nn.Conv1d`/`nn.Conv2d`): a weight [out, in, k...]
 * and an optional bias [out], initialised as PyTorch does (kaiming-uniform with a = √5, i.e.
 * U(-1/√fanIn, 1/√fanIn) for both), seeded by core's `manualSeed`. The arithmetic is in
 * `functional/conv.ts`.
 */
import { type DType, formatShape, type Tensor, zeros } from '@optimgrad/core';
import { type ConvOptions, conv1d, conv2d, type SpatialSize, spatialSize } from '../functional/conv';
import { kaimingUniform_, uniform_ } from '../init';
import { Module } from '../module';

/** Options of `Conv1d`/`Conv2d`: the functional options plus `bias` (default true) and `dtype`. */
export interface ConvLayerOptions<D extends number> extends ConvOptions<D> {
  readonly bias?: boolean;
  readonly dtype?: DType;
}

abstract class ConvNd<D extends 1 | 2> extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly options: ConvOptions<D>;

  constructor(
    name: string,
    dims: D,
    inChannels: number,
    outChannels: number,
    kernelSize: SpatialSize<D>,
    options: ConvLayerOptions<D>,
  ) {
    super();
    for (const [label, value] of [
      ['inChannels', inChannels],
      ['outChannels', outChannels],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new Error(`${name}: ${label} must be a positive integer, got ${value}`);
      }
    }
    if ((options.groups ?? 1) !== 1) {
      throw new Error(`${name}: groups = ${options.groups} is not supported; only groups = 1 is implemented`);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = spatialSize(name, 'kernelSize', kernelSize, dims, 1);
    const { bias = true, dtype = 'float32', ...functional } = options;
    this.options = functional;
    const weight = zeros([outChannels, inChannels, ...this.kernelSize], { dtype });
    this.registerParameter('weight', kaimingUniform_(weight, { a: Math.sqrt(5) }));
    const bound = 1 / Math.sqrt(inChannels * this.kernelSize.reduce((a, b) => a * b, 1));
    this.registerParameter('bias', bias ? uniform_(zeros([outChannels], { dtype }), -bound, bound) : null);
  }

  /** The kernel, shape [out, in, ...kernelSize]. */
  get weight(): Tensor {
    return this.getParameter('weight');
  }

  /** The per-output-channel bias, or null when built with `{ bias: false }`. */
  get bias(): Tensor | null {
    return this.getOptionalParameter('bias');
  }

  /** PyTorch's summary: channels, kernel and stride, then padding/dilation/bias only when not the default. */
  override extraRepr(): string {
    const dims = this.kernelSize.length;
    const { stride = 1, padding = 0, dilation = 1 } = this.options;
    const strides = spatialSize('extraRepr', 'stride', stride, dims, 1);
    const parts = [
      `${this.inChannels}, ${this.outChannels}, kernelSize=${formatShape(this.kernelSize)}, stride=${formatShape(strides)}`,
    ];
    if (typeof padding === 'string') parts.push(`padding=${padding}`);
    else {
      const paddings = spatialSize('extraRepr', 'padding', padding, dims, 0);
      if (paddings.some((p) => p !== 0)) parts.push(`padding=${formatShape(paddings)}`);
    }
    const dilations = spatialSize('extraRepr', 'dilation', dilation, dims, 1);
    if (dilations.some((d) => d !== 1)) parts.push(`dilation=${formatShape(dilations)}`);
    if (this.bias === null) parts.push('bias=false');
    return parts.join(', ');
  }
}

/**
 * 1-D convolution layer over [N, C, L] (or [C, L]) inputs.
 * @example const conv = new Conv1d(3, 16, 5, { padding: 2 }); conv.call(randn([8, 3, 50])).shape // [8, 16, 50]
 */
export class Conv1d extends ConvNd<1> {
  constructor(inChannels: number, outChannels: number, kernelSize: SpatialSize<1>, options: ConvLayerOptions<1> = {}) {
    super('Conv1d', 1, inChannels, outChannels, kernelSize, options);
  }

  override forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, this.options);
  }
}

/**
 * 2-D convolution layer over [N, C, H, W] (or [C, H, W]) inputs.
 * @example const conv = new Conv2d(1, 8, 3, { padding: 1 }); conv.call(randn([4, 1, 28, 28])).shape // [4, 8, 28, 28]
 */
export class Conv2d extends ConvNd<2> {
  constructor(inChannels: number, outChannels: number, kernelSize: SpatialSize<2>, options: ConvLayerOptions<2> = {}) {
    super('Conv2d', 2, inChannels, outChannels, kernelSize, options);
  }

  override forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, this.options);
  }
}
