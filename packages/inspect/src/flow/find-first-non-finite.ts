/**
 * @file Finding where a NaN or Infinity first appears: runs a function (a forward pass, a backward,
 * a whole training step) under core's anomaly mode, which checks every op's forward output and
 * backward gradients, and reports the first op that turned finite numbers into non-finite ones.
 */
import { AnomalyError, detectAnomaly } from '@optimgrad/core';

/** Where the first non-finite value came from. */
export interface NonFiniteReport {
  /** The op's name, e.g. `'log'`. */
  readonly op: string;
  readonly phase: 'forward' | 'backward';
  /** Index (row-major) of the first non-finite element. */
  readonly index: number;
  readonly value: number;
  readonly message: string;
}

/**
 * Runs `fn` with anomaly detection; returns the first op that produced NaN/Inf, or null when everything stayed finite.
 * @example findFirstNonFinite(() => model.forward(x).log().sum().backward()) // { op: 'log', phase: 'forward', … }
 */
export function findFirstNonFinite(fn: () => unknown): NonFiniteReport | null {
  try {
    detectAnomaly(fn);
    return null;
  } catch (error) {
    if (error instanceof AnomalyError) {
      return { op: error.op, phase: error.phase, index: error.index, value: error.value, message: error.message };
    }
    throw error;
  }
}
