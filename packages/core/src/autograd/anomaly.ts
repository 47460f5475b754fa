/**
 * @file Anomaly mode (like `torch.autograd.set_detect_anomaly`): names the first op whose forward
 * or backward turned finite numbers into NaN or Infinity.
 */
import type { TypedArray } from '../dtype';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor';

let enabled = false;

export class AnomalyError extends Error {
  constructor(
    readonly op: string,
    readonly phase: 'forward' | 'backward',
    readonly index: number,
    readonly value: number,
    message: string,
  ) {
    super(message);
    this.name = 'AnomalyError';
  }
}

export function isAnomalyEnabled(): boolean {
  return enabled;
}

let inRule = false;

/**
 * True when forward results are checked: anomaly mode is on and no backward rule is running.
 * @example if (isForwardCheckEnabled()) checkForwardAnomaly(op.name, inputs, data);
 */
export function isForwardCheckEnabled(): boolean {
  return enabled && !inRule;
}

/** Throws an AnomalyError naming `name` when its forward made a non-finite value from finite inputs. */
export function checkForwardAnomaly(name: string, inputs: readonly Tensor[], data: TypedArray): void {
  const at = firstNonFinite(data);
  if (at === -1 || inputs.some((t) => firstNonFinite(t.contiguousData()) !== -1)) return;
  const value = data[at] as number;
  throw new AnomalyError(
    name,
    'forward',
    at,
    value,
    `anomaly: the forward of '${name}' produced ${value} at element ${at} from finite inputs of shape ${inputs.map((t) => formatShape(t.shape)).join(' and ')}`,
  );
}

/**
 * Runs a backward rule with forward checks paused, so a NaN made by the ops inside a rule is
 * reported as that rule's op (by the engine) rather than as the `div` or `mul` it used.
 * @example const grads = runRule(() => node.op.backward(g, context));
 */
export function runRule<T>(fn: () => T): T {
  const previous = inRule;
  inRule = true;
  try {
    return fn();
  } finally {
    inRule = previous;
  }
}

/** Turns anomaly detection on or off globally. */
export function setDetectAnomaly(mode: boolean): void {
  enabled = mode;
}

/**
 * Runs `fn` with anomaly detection: the first op whose forward or backward produces NaN/Inf from
 * finite inputs throws an `AnomalyError` naming it.
 * @example detectAnomaly(() => loss.backward());
 */
export function detectAnomaly<T>(fn: () => T): T {
  const previous = enabled;
  enabled = true;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/** Index of the first NaN or ±Infinity, or -1. */
export function firstNonFinite(data: TypedArray): number {
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v - v !== 0) return i;
  }
  return -1;
}
