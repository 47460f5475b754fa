/**
 * @file How far can a test digit change before the trained network might change its answer? Sound
 * interval bounds (inspect's `intervalBounds`) of every output logit over a box of pixel changes
 * around the digit, compared with the range seen by sampling that box.
 */
import { manualSeed, noGrad, randomUniform, type Tensor, tensor } from '@optimgrad/core';
import { crownBounds, intervalBounds } from '@optimgrad/inspect';
import { Linear } from '@optimgrad/nn';
import type { Classifier } from '../training/evaluate';

/** Bounds of each logit for one box size. */
export interface LogitBounds {
  readonly eps: number;
  readonly lower: number[];
  readonly upper: number[];
  readonly sampledLower: number[];
  readonly sampledUpper: number[];
  readonly samples: number;
  /** True when the interval bounds prove the predicted class cannot change anywhere in the box. */
  readonly certified: boolean;
  /** CROWN (linear relaxation) bounds, tighter than interval bounds; null when the model is not Linear+ReLU. */
  readonly crown: { readonly lower: number[]; readonly upper: number[]; readonly certified: boolean } | null;
  /** True when every sampled logit lies inside the interval and CROWN bounds, up to float32 rounding (it always must). */
  readonly sound: boolean;
}

/** Bounds of a model around one input for several box sizes. */
export interface ModelBounds {
  readonly predicted: number;
  readonly label: number;
  readonly logits: number[];
  readonly boxes: LogitBounds[];
}

/** The Linear layers of a Sequential of Linear and ReLU modules (what CROWN handles), else null. */
function linearReluLayers(model: Classifier): Linear[] | null {
  const children = model.children();
  const layers = children.filter((child): child is Linear => child instanceof Linear);
  const alternates = children.every((child, i) => (i % 2 === 0) === child instanceof Linear);
  return alternates && children.length === 2 * layers.length - 1 ? layers : null;
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
  const layers = linearReluLayers(model);
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
    const proves = (lo: readonly number[], hi: readonly number[]) =>
      (lo[predicted] as number) > Math.max(...hi.filter((_, c) => c !== predicted));
    const certified = proves(lower, upper);
    let crown: LogitBounds['crown'] = null;
    if (layers !== null) {
      const linear = crownBounds(
        layers,
        tensor(lowerInput, { dtype: 'float64' }),
        tensor(upperInput, { dtype: 'float64' }),
      );
      const crownLower = Array.from(linear.lower.data);
      const crownUpper = Array.from(linear.upper.data);
      crown = { lower: crownLower, upper: crownUpper, certified: proves(crownLower, crownUpper) };
    }
    // Samples run through the float32 network; allow its rounding (about 1e-7 relative per op).
    const inside = (lo: readonly number[], hi: readonly number[]) =>
      sampledLower.every((v, c) => {
        const tolerance = 1e-5 * (1 + Math.abs(v));
        return v >= (lo[c] as number) - tolerance && (sampledUpper[c] as number) <= (hi[c] as number) + tolerance;
      });
    const sound = inside(lower, upper) && (crown === null || inside(crown.lower, crown.upper));
    return { eps, lower, upper, sampledLower, sampledUpper, samples, certified, crown, sound };
  });
  return { predicted, label, logits, boxes };
}
