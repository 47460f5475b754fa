/**
 * @file Inverted dropout as in `torch.nn.functional.dropout`: in training, each element is zeroed
 * with probability `p` and the survivors are scaled by 1/(1 − p), so evaluation needs no rescaling.
 * The mask comes from core's seeded generator (`manualSeed` makes it reproducible).
 */
import { rand, type Tensor } from '@optimgrad/core';

/**
 * Zeroes elements with probability `p` and scales the rest by 1/(1 − p); the identity when not training.
 * @example dropout(x, 0.5, model.training);
 */
export function dropout(x: Tensor, p = 0.5, training = true): Tensor {
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout: p must be a probability in [0, 1], got ${p}`);
  if (!training || p === 0) return x;
  if (p === 1) return x.mul(0);
  const scale = rand(x.shape, { dtype: x.dtype })
    .lt(1 - p)
    .div(1 - p);
  return x.mul(scale);
}
