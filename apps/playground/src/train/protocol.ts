/**
 * @file The messages between the page and its training worker. Requests are checked on arrival
 * (`parseRequest`), so a malformed one is answered with an error message instead of breaking the loop.
 */
import { TOY_DATASETS } from '@optimgrad/shared';
import { ACTIVATIONS, OPTIMIZERS, type TrainSettings } from '../state/settings';
import type { Box } from './grid';
import type { BoundsReport } from './network-bounds';
import type { PlotData, Snapshot } from './trainer';

/** From the page to the worker. */
export type WorkerRequest =
  | { readonly type: 'reset'; readonly settings: TrainSettings }
  | { readonly type: 'start' }
  | { readonly type: 'pause' }
  | { readonly type: 'step' }
  | { readonly type: 'bounds'; readonly id: number; readonly box: Box }
  | { readonly type: 'save'; readonly id: number }
  | { readonly type: 'load'; readonly id: number; readonly bytes: ArrayBuffer };

/** From the worker to the page. */
export type WorkerResponse =
  | { readonly type: 'ready'; readonly data: PlotData; readonly sizes: readonly number[] }
  | { readonly type: 'snapshot'; readonly snapshot: Snapshot; readonly running: boolean }
  | { readonly type: 'bounds'; readonly id: number; readonly report: BoundsReport }
  | { readonly type: 'saved'; readonly id: number; readonly bytes: ArrayBuffer }
  | { readonly type: 'loaded'; readonly id: number; readonly hidden: readonly number[]; readonly activation: string }
  | { readonly type: 'error'; readonly id: number | null; readonly message: string };

type Fields = Readonly<Record<string, unknown>>;

function fail(type: string, what: string): never {
  throw new Error(`worker message '${type}': ${what}`);
}

function finite(type: string, fields: Fields, key: string): number {
  const value = fields[key];
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail(type, `${key} must be a finite number, got ${String(value)}`);
  return value;
}

function choice<T extends string>(type: string, fields: Fields, key: string, choices: readonly T[]): T {
  const value = fields[key];
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    fail(type, `${key} must be one of ${choices.join(', ')}, got ${String(value)}`);
  }
  return value as T;
}

function parseSettings(value: unknown): TrainSettings {
  if (typeof value !== 'object' || value === null) fail('reset', 'settings must be an object');
  const s = value as Fields;
  const hidden = s.hidden;
  if (!Array.isArray(hidden) || hidden.some((w) => !Number.isInteger(w) || (w as number) < 1)) {
    fail('reset', `hidden must be a list of positive whole numbers, got ${JSON.stringify(hidden)}`);
  }
  const size = finite('reset', s, 'size');
  const batchSize = finite('reset', s, 'batchSize');
  if (!Number.isInteger(size) || size < 10) fail('reset', `size must be a whole number >= 10, got ${size}`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    fail('reset', `batchSize must be a whole number >= 1, got ${batchSize}`);
  const nonNegative = (key: string) => {
    const v = finite('reset', s, key);
    if (v < 0) fail('reset', `${key} must be >= 0, got ${v}`);
    return v;
  };
  const lr = finite('reset', s, 'lr');
  if (!(lr > 0)) fail('reset', `lr must be > 0, got ${lr}`);
  return {
    dataset: choice('reset', s, 'dataset', TOY_DATASETS),
    noise: nonNegative('noise'),
    size,
    hidden: hidden as number[],
    activation: choice('reset', s, 'activation', ACTIVATIONS),
    optimizer: choice('reset', s, 'optimizer', OPTIMIZERS),
    lr,
    batchSize,
    l2: nonNegative('l2'),
    clip: nonNegative('clip'),
    seed: nonNegative('seed'),
  };
}

/**
 * Checks a message posted to the worker and returns it typed; throws naming the message and the bad field.
 * @example parseRequest({ type: 'step' }); // { type: 'step' }
 */
export function parseRequest(value: unknown): WorkerRequest {
  if (typeof value !== 'object' || value === null) throw new Error('worker message: expected an object with a type');
  const fields = value as Fields;
  const type = fields.type;
  switch (type) {
    case 'start':
    case 'pause':
    case 'step':
      return { type };
    case 'reset':
      return { type, settings: parseSettings(fields.settings) };
    case 'save':
      return { type, id: finite(type, fields, 'id') };
    case 'bounds': {
      const box = fields.box;
      if (typeof box !== 'object' || box === null) fail(type, 'box must be an object { x0, x1, y0, y1 }');
      const b = box as Fields;
      const parsed = {
        x0: finite(type, b, 'x0'),
        x1: finite(type, b, 'x1'),
        y0: finite(type, b, 'y0'),
        y1: finite(type, b, 'y1'),
      };
      return { type, id: finite(type, fields, 'id'), box: parsed };
    }
    case 'load': {
      if (!(fields.bytes instanceof ArrayBuffer)) fail(type, 'bytes must be an ArrayBuffer with the file contents');
      return { type, id: finite(type, fields, 'id'), bytes: fields.bytes };
    }
    default:
      throw new Error(
        `worker message: unknown type ${JSON.stringify(type)}; expected reset, start, pause, step, bounds, save or load`,
      );
  }
}
