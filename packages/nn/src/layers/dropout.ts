/**
 * @file `Dropout` layer: inverted dropout in training mode, the identity in evaluation mode.
 */
import type { Tensor } from '@optimgrad/core';
import { dropout } from '../functional/dropout';
import { Module } from '../module';

/**
 * Zeroes elements with probability `p` while training (scaling the rest by 1/(1 − p)).
 * @example const drop = new Dropout(0.2); drop.eval();
 */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new Error(`Dropout: p must be a probability in [0, 1], got ${p}`);
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }

  override forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training);
  }
}
