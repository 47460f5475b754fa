/**
 * @file `Identity`: returns its input unchanged (a placeholder layer, as `torch.nn.Identity`).
 */
import type { Tensor } from '@optimgrad/core';
import { Module } from '../module';

/**
 * Returns its input; useful to switch a layer off without changing the model's structure.
 * @example const norm = useNorm ? new LayerNorm(8) : new Identity();
 */
export class Identity extends Module {
  override forward(x: Tensor): Tensor {
    return x;
  }
}
