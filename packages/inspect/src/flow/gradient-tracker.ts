/**
 * @file Gradient flow over training: per-parameter gradient norms after each backward and, around
 * an optimizer step, the size of each update relative to its weights (‖Δw‖ / ‖w‖, which is about
 * 1e-3 in healthy training). Works with any model that lists `namedParameters()`, so it needs no
 * import of nn.
 */
import type { Tensor } from '@optimgrad/core';
import { l2Norm } from '../format';
import type { NamedParameters } from '../graph/params';
import { lineChart, sparkline } from '../svg/chart';

/** The part of an optimizer the tracker reads: its parameter groups and learning rates. */
export interface OptimizerLike {
  readonly paramGroups: readonly { readonly lr: number; readonly params: readonly Tensor[] }[];
}

export interface GradientTrackerOptions {
  /** When given, `record()` also snapshots the weights so `recordUpdate()` can measure the step, and learning rates are logged. */
  readonly optimizer?: OptimizerLike;
}

/**
 * Records gradient norms per named parameter; with `recordUpdate()` after `optimizer.step()`, update/weight ratios too.
 * @example const tracker = new GradientTracker(model); loss.backward(); tracker.record(); opt.step(); tracker.recordUpdate();
 */
export class GradientTracker {
  /** Gradient L2 norm per parameter name, one entry per `record()` (0 when a parameter had no `.grad`). */
  readonly history: Record<string, number[]> = {};
  /** ‖w_after − w_before‖ / ‖w_before‖ per parameter name, one entry per `recordUpdate()`. */
  readonly updateRatios: Record<string, number[]> = {};
  /** Learning rate of each parameter's group at each `record()` (only with an optimizer). */
  readonly learningRates: Record<string, number[]> = {};
  private snapshot: Map<string, Float64Array> | null = null;
  private readonly optimizer: OptimizerLike | undefined;

  constructor(
    private readonly model: NamedParameters,
    options: GradientTrackerOptions = {},
  ) {
    if (typeof model?.namedParameters !== 'function') {
      throw new Error('GradientTracker: the model must have a namedParameters() method returning [name, tensor] pairs');
    }
    this.optimizer = options.optimizer;
  }

  /** Number of `record()` calls so far. */
  get steps(): number {
    const first = Object.values(this.history)[0];
    return first === undefined ? 0 : first.length;
  }

  /** Records the gradient norm of every parameter (call after `backward()`, before `step()`). */
  record(): void {
    const step = this.steps;
    const snapshot = new Map<string, Float64Array>();
    const lrOf = this.learningRateLookup();
    for (const [name, p] of this.model.namedParameters()) {
      const series = this.history[name] ?? backfill(step, 0);
      this.history[name] = series;
      series.push(p.grad === null ? 0 : l2Norm(p.grad));
      snapshot.set(name, Float64Array.from(p.data));
      if (lrOf !== null) {
        const rates = this.learningRates[name] ?? backfill(step, Number.NaN);
        this.learningRates[name] = rates;
        rates.push(lrOf.get(p) ?? Number.NaN);
      }
    }
    this.snapshot = snapshot;
  }

  /** Records ‖Δw‖ / ‖w‖ for every parameter since the last `record()` (call after `optimizer.step()`). */
  recordUpdate(): void {
    if (this.snapshot === null) {
      throw new Error(
        'GradientTracker.recordUpdate: call record() before optimizer.step() and recordUpdate() after it',
      );
    }
    for (const [name, p] of this.model.namedParameters()) {
      const before = this.snapshot.get(name);
      if (before === undefined) continue;
      const after = p.data;
      let delta = 0;
      let weight = 0;
      for (let i = 0; i < before.length; i++) {
        const d = (after[i] as number) - (before[i] as number);
        delta += d * d;
        weight += (before[i] as number) * (before[i] as number);
      }
      const ratios = this.updateRatios[name] ?? [];
      this.updateRatios[name] = ratios;
      ratios.push(weight > 0 ? Math.sqrt(delta / weight) : delta > 0 ? Number.POSITIVE_INFINITY : 0);
    }
    this.snapshot = null;
  }

  /** An SVG line chart of gradient norms per parameter over steps (log scale). */
  toSvg(options: { readonly title?: string; readonly width?: number; readonly height?: number } = {}): string {
    return gradientNormChart(this.history, options);
  }

  /** A compact terminal view: one sparkline per parameter, with the last norm and update ratio. */
  toString(): string {
    return gradientSparklines(this.history, this.updateRatios);
  }

  private learningRateLookup(): Map<Tensor, number> | null {
    if (this.optimizer === undefined) return null;
    const lookup = new Map<Tensor, number>();
    for (const group of this.optimizer.paramGroups) for (const p of group.params) lookup.set(p, group.lr);
    return lookup;
  }
}

function backfill(steps: number, value: number): number[] {
  return new Array<number>(steps).fill(value);
}

/**
 * An SVG line chart of gradient norms (log scale), one line per parameter.
 * @example writeFileSync('grads.svg', gradientNormChart(tracker.history));
 */
export function gradientNormChart(
  history: Readonly<Record<string, readonly number[]>>,
  options: { readonly title?: string; readonly width?: number; readonly height?: number } = {},
): string {
  return lineChart(
    Object.entries(history).map(([name, values]) => ({ name, values })),
    {
      title: options.title ?? 'Gradient norm per parameter',
      xLabel: 'step',
      yLabel: '‖grad‖ (log scale)',
      logY: true,
      // Many parameters' lines lie close together; colours alone would leave them to close shades.
      distinct: true,
      width: options.width ?? 720,
      height: options.height ?? 400,
    },
  );
}

/**
 * One line per parameter: name, a log-scale sparkline of its gradient norms, the last norm and update ratio.
 * @example console.log(gradientSparklines(tracker.history));
 */
export function gradientSparklines(
  history: Readonly<Record<string, readonly number[]>>,
  updateRatios: Readonly<Record<string, readonly number[]>> = {},
  width = 40,
): string {
  const names = Object.keys(history);
  const pad = Math.max(0, ...names.map((n) => n.length));
  return names
    .map((name) => {
      const values = (history[name] as readonly number[]).slice(-width);
      const last = values[values.length - 1];
      const ratios = updateRatios[name];
      const ratio = ratios?.length ? `  update/weight ${(ratios[ratios.length - 1] as number).toExponential(2)}` : '';
      return `${name.padEnd(pad)}  ${sparkline(values, { log: true })}  ${last === undefined ? '' : last.toExponential(2)}${ratio}`;
    })
    .join('\n');
}
