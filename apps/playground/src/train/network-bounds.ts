/**
 * @file Bounds of the trained network's outputs (its logits) over a box of the input plane, three ways:
 * inspect's sound interval bounds, CROWN's tighter sound bounds (Linear+ReLU networks only), and the
 * range actually seen at sampled points. Everything runs on a float64 copy of the network, so the
 * sampled values are evaluations of the very function the sound bounds enclose.
 */
import { getRngState, manualSeed, noGrad, randomUniform, setRngState, tensor } from '@optimgrad/core';
import { crownBounds, intervalBounds } from '@optimgrad/inspect';
import type { MLP } from '@optimgrad/nn';
import type { Activation } from '../state/settings';
import type { Box } from './grid';
import { buildModel, linearLayers } from './model';

/** Lower and upper values per output. */
export interface Range {
  readonly lower: readonly number[];
  readonly upper: readonly number[];
}

/** The three views of the network's output over a box. */
export interface BoundsReport {
  readonly box: Box;
  readonly interval: Range;
  /** Null when the network is not Linear+ReLU; `crownNote` says why. */
  readonly crown: Range | null;
  readonly crownNote: string;
  readonly sampled: Range;
  readonly samples: number;
}

/** Points per side of the sampling grid (edges included); random points are added inside. */
const SAMPLE_SIDE = 21;
const RANDOM_SAMPLES = 600;

/**
 * Interval, CROWN and sampled ranges of every logit of `model` for inputs in `box`.
 * @example networkBounds(model, [2, 8, 2], 'relu', { x0: 0, x1: 0.5, y0: 0, y1: 0.5 });
 */
export function networkBounds(model: MLP, sizes: readonly number[], activation: Activation, box: Box): BoundsReport {
  if (!(box.x0 <= box.x1 && box.y0 <= box.y1) || ![box.x0, box.x1, box.y0, box.y1].every(Number.isFinite)) {
    throw new Error(
      `bounds: the box needs finite x0 <= x1 and y0 <= y1, got x ${box.x0}..${box.x1}, y ${box.y0}..${box.y1}`,
    );
  }
  const network = buildModel(sizes, activation, 'float64');
  network.loadStateDict(model.stateDict());
  network.eval();
  const lower = tensor([[box.x0, box.y0]], { dtype: 'float64' });
  const upper = tensor([[box.x1, box.y1]], { dtype: 'float64' });
  const interval = intervalBounds((x) => network.forward(x), lower, upper);
  const range = (l: { data: ArrayLike<number> }, u: { data: ArrayLike<number> }): Range => ({
    lower: Array.from(l.data),
    upper: Array.from(u.data),
  });
  let crown: Range | null = null;
  let crownNote = 'CROWN bounds Linear+ReLU networks';
  if (activation === 'relu') {
    const layers = linearLayers(network).map((layer) => ({ weight: layer.weight, bias: layer.bias }));
    const result = crownBounds(layers, lower.reshape([2]), upper.reshape([2]));
    crown = range(result.lower, result.upper);
  } else {
    crownNote = `CROWN bounds Linear+ReLU networks; this one uses ${activation}`;
  }
  return { box, interval: range(interval.lower, interval.upper), crown, crownNote, ...sample(network, box) };
}

function sample(network: MLP, box: Box): { sampled: Range; samples: number } {
  const points: number[] = [];
  for (let i = 0; i < SAMPLE_SIDE; i++) {
    for (let j = 0; j < SAMPLE_SIDE; j++) {
      points.push(
        box.x0 + ((box.x1 - box.x0) * i) / (SAMPLE_SIDE - 1),
        box.y0 + ((box.y1 - box.y0) * j) / (SAMPLE_SIDE - 1),
      );
    }
  }
  // A fixed seed, so the same box always reports the same sampled range; the training stream is put back after.
  const state = getRngState();
  manualSeed(12345);
  for (let k = 0; k < RANDOM_SAMPLES; k++) {
    points.push(box.x0 + (box.x1 - box.x0) * randomUniform(), box.y0 + (box.y1 - box.y0) * randomUniform());
  }
  setRngState(state);
  const count = points.length / 2;
  const out = noGrad(() => network.forward(tensor(points, { dtype: 'float64', shape: [count, 2] })));
  const outputs = out.shape[1] as number;
  const lower = new Array<number>(outputs).fill(Number.POSITIVE_INFINITY);
  const upper = new Array<number>(outputs).fill(Number.NEGATIVE_INFINITY);
  const data = out.data;
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < outputs; c++) {
      const v = data[i * outputs + c] as number;
      lower[c] = Math.min(lower[c] as number, v);
      upper[c] = Math.max(upper[c] as number, v);
    }
  }
  return { sampled: { lower, upper }, samples: count };
}
