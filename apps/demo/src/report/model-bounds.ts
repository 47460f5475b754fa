/**
 * @file How far can a test digit change before the trained network might change its answer? Sound
 * interval bounds (inspect's `intervalBounds`) of every output logit over a box of pixel changes
 * around the digit, compared with the range seen by sampling that box.
 */
import { manualSeed, noGrad, randomUniform, type Tensor, tensor } from '@optimgrad/core';
import { intervalBounds } from '@optimgrad/inspect';
import type { Classifier } from '../training/evaluate';

/** Bounds of each logit for one box size. */
export interface LogitBounds {
  readonly eps: number;
  readonly lower: number[];
  readonly upper: number[];
  readonly sampledLower: number[];
  readonly sampledUpper: number[];
  readonly samples: number;
  /** True when the bounds prove the predicted class cannot change anywhere in the box. */
  readonly certified: boolean;
  /** True when every sampled logit lies inside the interval bounds (it always must). */
  readonly sound: boolean;
}

/** Bounds of a model around one input for several box sizes. */
export interface ModelBounds {
  readonly predicted: number;
  readonly label: number;
  readonly logits: number[];
  readonly boxes: LogitBounds[];
}

/**
 * Interval and sampled bounds of the logits for inputs in [x - eps, x + eps] ∩ valid, per eps.
 * @example modelBounds(model, test.x.select(0, 0), 3, [0.01, 0.05]);
 */
export function modelBounds(
  model: Classifier,
  x: Tensor,
  label: number,
  epsilons: readonly number[],
  samples = 200,
  /** Valid input range (pixels stay in [0, 1]); unbounded when omitted. */
  valid: readonly [number, number] = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
): ModelBounds {
  model.eval();
  const f = (input: Tensor) => model.forward(input.unsqueeze(0)).squeeze(0);
  const values = Array.from(x.data);
  const logits = noGrad(() => Array.from(f(x).data));
  const predicted = logits.indexOf(Math.max(...logits));
  manualSeed(1);
  const boxes = epsilons.map((eps): LogitBounds => {
    const lowerInput = values.map((v) => Math.max(valid[0], v - eps));
    const upperInput = values.map((v) => Math.min(valid[1], v + eps));
    const bounds = intervalBounds(f, tensor(lowerInput), tensor(upperInput));
    const lower = Array.from(bounds.lower.data);
    const upper = Array.from(bounds.upper.data);
    const sampledLower = logits.map(() => Number.POSITIVE_INFINITY);
    const sampledUpper = logits.map(() => Number.NEGATIVE_INFINITY);
    const points = new Float32Array(samples * values.length);
    for (let s = 0; s < samples; s++) {
      lowerInput.forEach((lo, i) => {
        const hi = upperInput[i] as number;
        const centre = Math.min(hi, Math.max(lo, values[i] as number));
        points[s * values.length + i] =
          s === 0 ? centre : s === 1 ? lo : s === 2 ? hi : lo + (hi - lo) * randomUniform();
      });
    }
    const outputs = noGrad(() => model.forward(tensor(points, { shape: [samples, values.length] })).data);
    const classes = logits.length;
    for (let s = 0; s < samples; s++) {
      for (let c = 0; c < classes; c++) {
        const v = outputs[s * classes + c] as number;
        sampledLower[c] = Math.min(sampledLower[c] as number, v);
        sampledUpper[c] = Math.max(sampledUpper[c] as number, v);
      }
    }
    const others = upper.filter((_, c) => c !== predicted);
    const certified = (lower[predicted] as number) > Math.max(...others);
    const sound = sampledLower.every(
      (v, c) => v >= (lower[c] as number) && (sampledUpper[c] as number) <= (upper[c] as number),
    );
    return { eps, lower, upper, sampledLower, sampledUpper, samples, certified, sound };
  });
  return { predicted, label, logits, boxes };
}
