/**
 * @file Pooling modules (PyTorch's `nn.MaxPool1d`/`MaxPool2d`/`AvgPool1d`/`AvgPool2d`): no parameters,
 * they hold the window settings and call `functional/pool.ts`.
 */

import type { Tensor } from '@optimgrad/core';
import { formatShape } from '@optimgrad/core';
import type { SpatialSize } from '../functional/conv';
import {
  type AvgPoolOptions,
  avgPool1d,
  avgPool2d,
  type MaxPoolOptions,
  maxPool1d,
  maxPool2d,
} from '../functional/pool';
import { Module } from '../module';

const show = (value: number | readonly number[]): string =>
  typeof value === 'number' ? String(value) : formatShape(value);

/** PyTorch's max-pool summary: kernel, stride, padding, dilation and ceil mode. */
function maxPoolRepr(kernelSize: number | readonly number[], options: MaxPoolOptions<1> | MaxPoolOptions<2>): string {
  const { stride, padding = 0, dilation = 1, ceilMode = false } = options;
  return `kernelSize=${show(kernelSize)}, stride=${show(stride ?? kernelSize)}, padding=${show(padding)}, dilation=${show(dilation)}, ceilMode=${ceilMode}`;
}

/** PyTorch's avg-pool summary: kernel, stride and padding. */
function avgPoolRepr(kernelSize: number | readonly number[], options: AvgPoolOptions<1> | AvgPoolOptions<2>): string {
  const { stride, padding = 0 } = options;
  return `kernelSize=${show(kernelSize)}, stride=${show(stride ?? kernelSize)}, padding=${show(padding)}`;
}

/**
 * Max over windows of [N, C, L] (or [C, L]); `stride` defaults to the kernel size.
 * @example new MaxPool1d(2).call(tensor([[[1, 3, 2, 5]]])) // [[[3, 5]]]
 */
export class MaxPool1d extends Module {
  constructor(
    readonly kernelSize: SpatialSize<1>,
    readonly options: MaxPoolOptions<1> = {},
  ) {
    super();
  }

  override extraRepr(): string {
    return maxPoolRepr(this.kernelSize, this.options);
  }

  override forward(x: Tensor): Tensor {
    return maxPool1d(x, this.kernelSize, this.options);
  }
}

/**
 * Max over windows of [N, C, H, W] (or [C, H, W]); `stride` defaults to the kernel size.
 * @example new MaxPool2d(2).call(randn([8, 4, 28, 28])).shape // [8, 4, 14, 14]
 */
export class MaxPool2d extends Module {
  constructor(
    readonly kernelSize: SpatialSize<2>,
    readonly options: MaxPoolOptions<2> = {},
  ) {
    super();
  }

  override extraRepr(): string {
    return maxPoolRepr(this.kernelSize, this.options);
  }

  override forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, this.options);
  }
}

/**
 * Mean over windows of [N, C, L] (or [C, L]); `stride` defaults to the kernel size.
 * @example new AvgPool1d(2).call(tensor([[[1, 3, 2, 6]]])) // [[[2, 4]]]
 */
export class AvgPool1d extends Module {
  constructor(
    readonly kernelSize: SpatialSize<1>,
    readonly options: AvgPoolOptions<1> = {},
  ) {
    super();
  }

  override extraRepr(): string {
    return avgPoolRepr(this.kernelSize, this.options);
  }

  override forward(x: Tensor): Tensor {
    return avgPool1d(x, this.kernelSize, this.options);
  }
}

/**
 * Mean over windows of [N, C, H, W] (or [C, H, W]); `stride` defaults to the kernel size.
 * @example new AvgPool2d(2).call(randn([8, 4, 28, 28])).shape // [8, 4, 14, 14]
 */
export class AvgPool2d extends Module {
  constructor(
    readonly kernelSize: SpatialSize<2>,
    readonly options: AvgPoolOptions<2> = {},
  ) {
    super();
  }

  override extraRepr(): string {
    return avgPoolRepr(this.kernelSize, this.options);
  }

  override forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, this.options);
  }
}
