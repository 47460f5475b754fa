/**
 * @file Activation statistics through forward hooks: after each forward pass, the mean, standard
 * deviation, min, max, fraction of exact zeros and fraction of dead units (a unit — a feature or
 * channel, dim 1 of a batch — that is zero for every sample and position, the usual sign of a dead ReLU) of every
 * module's output. Uses PyTorch's hook API (`registerForwardHook((module, inputs, output) => …)`),
 * structurally, so it needs no import of nn.
 */
import { isTensor, type Tensor } from '@optimgrad/core';
import { formatNumber } from '../format';

/** A module-like object: it lists its submodules and accepts forward hooks (like nn's Module). */
export interface HookableModule {
  namedModules(): Iterable<readonly [string, HookableModule]>;
  registerForwardHook(hook: (module: unknown, inputs: unknown, output: unknown) => undefined): { remove(): void };
}

/** Statistics of one module's output in one forward pass. */
export interface ActivationSummary {
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
  /** Fraction of output elements that are exactly 0. */
  readonly zeroFraction: number;
  /** Fraction of units (dim 1 of a batch `[N, C, …]`; elements of a 1-D output) that are 0 for every sample and position. */
  readonly deadFraction: number;
}

export interface ActivationStatsOptions {
  /** Which modules to watch, by name (default: every module except the root `''`). */
  readonly filter?: (name: string) => boolean;
}

/**
 * Statistics of a tensor's values, with dead units counted along dim 1 (features or channels).
 * @example activationSummary(tensor([[0, 1], [0, 2]])).deadFraction // 0.5
 */
export function activationSummary(t: Tensor): ActivationSummary {
  const data = t.data;
  const n = data.length;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i] as number;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    if (v === 0) zeros++;
  }
  const mean = n ? sum / n : Number.NaN;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += ((data[i] as number) - mean) ** 2;
  // Units are features/channels: dim 1 of a batch [N, C, ...] (PyTorch's layout), or each element of a 1-D output.
  const units = t.ndim === 0 ? 1 : t.ndim === 1 ? (t.shape[0] as number) : (t.shape[1] as number);
  const inner = t.ndim <= 2 ? 1 : t.shape.slice(2).reduce((a, b) => a * b, 1);
  const alive = new Uint8Array(units);
  for (let i = 0; i < n; i++) if (data[i] !== 0) alive[Math.floor(i / inner) % units] = 1;
  const dead = units - alive.reduce((s, v) => s + v, 0);
  return {
    mean,
    std: n > 1 ? Math.sqrt(squares / (n - 1)) : 0,
    min,
    max,
    zeroFraction: n ? zeros / n : 0,
    deadFraction: units ? dead / units : 0,
  };
}

/**
 * Watches every module's output through forward hooks; `latest` and `history` hold statistics by module name.
 * @example const stats = new ActivationStats(model); model.forward(x); stats.latest['1'].deadFraction; stats.remove();
 */
export class ActivationStats {
  /** Statistics of each module's output in the most recent forward pass. */
  readonly latest: Record<string, ActivationSummary> = {};
  /** Statistics of each module's output in every forward pass since creation. */
  readonly history: Record<string, ActivationSummary[]> = {};
  private readonly handles: { remove(): void }[] = [];

  constructor(model: HookableModule, options: ActivationStatsOptions = {}) {
    if (typeof model?.namedModules !== 'function') {
      throw new Error('ActivationStats: the model must have namedModules() and registerForwardHook(), like nn.Module');
    }
    const filter = options.filter ?? ((name: string) => name !== '');
    for (const [name, module] of model.namedModules()) {
      if (!filter(name)) continue;
      this.handles.push(
        module.registerForwardHook((_module: unknown, _inputs: unknown, output: unknown) => {
          if (!isTensor(output)) return undefined;
          const summary = activationSummary(output);
          this.latest[name] = summary;
          const list = this.history[name] ?? [];
          this.history[name] = list;
          list.push(summary);
          return undefined;
        }),
      );
    }
  }

  /** Removes every hook this object registered. */
  remove(): void {
    for (const h of this.handles.splice(0)) h.remove();
  }

  /** One line per module with the latest statistics. */
  toString(): string {
    const names = Object.keys(this.latest);
    const pad = Math.max(6, ...names.map((n) => n.length));
    const head = `${'module'.padEnd(pad)}  mean       std        min        max        zeros  dead`;
    const rows = names.map((name) => {
      const s = this.latest[name] as ActivationSummary;
      const cells = [s.mean, s.std, s.min, s.max].map((v) => formatNumber(v).padEnd(10)).join(' ');
      return `${name.padEnd(pad)}  ${cells} ${(s.zeroFraction * 100).toFixed(0).padStart(4)}%  ${(s.deadFraction * 100).toFixed(0).padStart(3)}%`;
    });
    return [head, ...rows].join('\n');
  }
}
