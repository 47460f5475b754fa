/**
 * @file `bounds "<expression>" --x -1,1 --y 0,2`: sound interval bounds of an expression over a box
 * (inspect's `intervalBounds`, propagated through the optimgrad graph) next to the range seen by
 * sampling the box, which can only ever be inside the sound bounds.
 */
import { manualSeed, noGrad, randomUniform, type Tensor, tensor } from '@optimgrad/core';
import { intervalBounds } from '@optimgrad/inspect';
import { UsageError } from '../errors';
import { formatNumber, type Print } from '../terminal/output';
import { bindExpression, rangeValues } from './variables';

/** Random samples `bounds` compares the interval with when `--samples` is not given. */
export const BOUNDS_SAMPLES = 1000;

/** Options of the bounds command. */
export interface BoundsOptions {
  readonly samples: number;
  readonly seed: number;
}

/** Interval and sampled range of an expression over a box. */
export interface BoundsResult {
  readonly interval: readonly [number, number];
  readonly sampled: readonly [number, number];
  readonly samples: number;
  readonly sound: boolean;
}

/**
 * Runs `bounds` on raw arguments (expression and one range flag per variable).
 * @example runBounds(['x*x - x', '--x', '-1,1'], { samples: 1000, seed: 0 }, console.log);
 */
export function runBounds(args: readonly string[], options: BoundsOptions, print: Print): BoundsResult {
  const bound = bindExpression('bounds', args, 'bounds "x*y + sin(x)" --x -1,1 --y 0,2');
  const { expression } = bound;
  const names = expression.variables;
  if (names.length === 0)
    throw new UsageError(`bounds: "${expression.source}" has no variables; give one such as "x^2 - x" --x -1,1`);
  const ranges = rangeValues(bound);
  const lowerValues = names.map((name) => (ranges.get(name) as [number, number])[0]);
  const upperValues = names.map((name) => (ranges.get(name) as [number, number])[1]);
  const f = (v: Tensor) => {
    const values: Record<string, Tensor> = {};
    names.forEach((name, i) => {
      values[name] = v.select(0, i);
    });
    return expression.evaluate(values);
  };
  const lower = tensor(lowerValues, { dtype: 'float64' });
  const upper = tensor(upperValues, { dtype: 'float64' });
  const box = intervalBounds(f, lower, upper);
  const interval: [number, number] = [box.lower.data[0] as number, box.upper.data[0] as number];
  manualSeed(options.seed);
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  const corners = names.length <= 10 ? 2 ** names.length : 0;
  const total = corners + options.samples + 1;
  noGrad(() => {
    for (let s = 0; s < total; s++) {
      const point = names.map((_, i) => {
        const lo = lowerValues[i] as number;
        const hi = upperValues[i] as number;
        if (s === 0) return (lo + hi) / 2;
        if (s <= corners) return ((s - 1) >> i) & 1 ? hi : lo;
        return lo + (hi - lo) * randomUniform();
      });
      const value = f(tensor(point, { dtype: 'float64' })).item();
      if (Number.isNaN(value)) continue;
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
  });
  const sound = low >= interval[0] && high <= interval[1];
  const boxText = names.map(
    (name, i) => `${name} ∈ [${formatNumber(lowerValues[i] as number)}, ${formatNumber(upperValues[i] as number)}]`,
  );
  print(`f(${names.join(', ')}) = ${expression.source}   over ${boxText.join(', ')}`);
  print(`interval bounds (sound):     [${formatNumber(interval[0], 8)}, ${formatNumber(interval[1], 8)}]`);
  print(`sampled range (${total} points): [${formatNumber(low, 8)}, ${formatNumber(high, 8)}]`);
  print(`every sample inside the interval bounds: ${sound ? 'yes' : 'NO'}`);
  const width = interval[1] - interval[0];
  const seen = high - low;
  if (seen > 0 && Number.isFinite(width)) {
    print(`the interval is ${formatNumber(width / seen, 3)}x as wide as the sampled range (1x would be exact)`);
  }
  return { interval, sampled: [low, high], samples: total, sound };
}
