/**
 * @file `Flatten`: merges dimensions `startDim..endDim` (default 1..−1, keeping the batch dimension).
 */
import type { Tensor } from '@optimgrad/core';
import { Module } from '../module';

/**
 * Flattens all but the batch dimension by default.
 * @example new Flatten().call(zeros([2, 3, 4])).shape; // [2, 12]
 */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }
  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }

  override forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }
}
