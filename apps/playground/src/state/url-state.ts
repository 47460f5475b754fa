/**
 * @file The page's settings as a URL query string and back, so a setup can be shared as a link.
 * Reading is forgiving (a value that is missing, malformed or out of range falls back to the default
 * or is clamped), because links get edited by hand; writing leaves out settings at their default.
 */
import {
  ACTIVATIONS,
  type Activation,
  DEFAULT_SETTINGS,
  isDatasetName,
  LIMITS,
  OPTIMIZERS,
  type OptimizerName,
  type Settings,
  TABS,
  type Tab,
} from './settings';

function oneOf<T extends string>(choices: readonly T[], value: string | null, fallback: T): T {
  return value !== null && (choices as readonly string[]).includes(value) ? (value as T) : fallback;
}

function numberIn(
  value: string | null,
  limits: { min: number; max: number },
  fallback: number,
  integer = false,
): number {
  if (value === null || value.trim() === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) return fallback;
  const clamped = Math.min(limits.max, Math.max(limits.min, parsed));
  return integer ? Math.round(clamped) : clamped;
}

function parseHidden(value: string | null): readonly number[] {
  if (value === null) return DEFAULT_SETTINGS.hidden;
  if (value.trim() === '') return [];
  const widths = value.split(',').map((part) => Number(part));
  if (widths.some((w) => !Number.isFinite(w))) return DEFAULT_SETTINGS.hidden;
  return widths
    .slice(0, LIMITS.layers.max)
    .map((w) => Math.round(Math.min(LIMITS.layerWidth.max, Math.max(LIMITS.layerWidth.min, w))));
}

function parseValues(value: string | null): Readonly<Record<string, number>> {
  if (value === null) return DEFAULT_SETTINGS.values;
  const values: Record<string, number> = {};
  for (const pair of value.split(',')) {
    const [name, text] = pair.split(':');
    const parsed = Number(text);
    if (name && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && text !== undefined && Number.isFinite(parsed)) {
      values[name] = parsed;
    }
  }
  return values;
}

/**
 * Reads settings from a query string (`?dataset=spiral&hidden=16,16`); anything unusable takes its default.
 * @example settingsFromQuery('?dataset=circles&lr=0.1').dataset; // 'circles'
 */
export function settingsFromQuery(query: string): Settings {
  const params = new URLSearchParams(query);
  const d = DEFAULT_SETTINGS;
  const dataset = params.get('dataset');
  return {
    tab: oneOf<Tab>(TABS, params.get('tab'), d.tab),
    dataset: dataset !== null && isDatasetName(dataset) ? dataset : d.dataset,
    noise: numberIn(params.get('noise'), LIMITS.noise, d.noise),
    size: numberIn(params.get('size'), LIMITS.size, d.size, true),
    hidden: parseHidden(params.get('hidden')),
    activation: oneOf<Activation>(ACTIVATIONS, params.get('activation'), d.activation),
    optimizer: oneOf<OptimizerName>(OPTIMIZERS, params.get('optimizer'), d.optimizer),
    lr: numberIn(params.get('lr'), LIMITS.lr, d.lr),
    batchSize: numberIn(params.get('batch'), LIMITS.batchSize, d.batchSize, true),
    l2: numberIn(params.get('l2'), LIMITS.l2, d.l2),
    clip: numberIn(params.get('clip'), LIMITS.clip, d.clip),
    seed: numberIn(params.get('seed'), LIMITS.seed, d.seed, true),
    expression: params.get('expr') ?? d.expression,
    values: parseValues(params.get('vars')),
  };
}

/**
 * Writes settings as a query string (without `?`), leaving out those at their default.
 * @example settingsToQuery({ ...DEFAULT_SETTINGS, dataset: 'xor' }); // 'dataset=xor'
 */
export function settingsToQuery(settings: Settings): string {
  const d = DEFAULT_SETTINGS;
  const params = new URLSearchParams();
  const put = (key: string, value: string, fallback: string) => {
    if (value !== fallback) params.set(key, value);
  };
  const values = (v: Readonly<Record<string, number>>) =>
    Object.entries(v)
      .map(([name, value]) => `${name}:${value}`)
      .join(',');
  put('tab', settings.tab, d.tab);
  put('dataset', settings.dataset, d.dataset);
  put('noise', String(settings.noise), String(d.noise));
  put('size', String(settings.size), String(d.size));
  put('hidden', settings.hidden.join(','), d.hidden.join(','));
  put('activation', settings.activation, d.activation);
  put('optimizer', settings.optimizer, d.optimizer);
  put('lr', String(settings.lr), String(d.lr));
  put('batch', String(settings.batchSize), String(d.batchSize));
  put('l2', String(settings.l2), String(d.l2));
  put('clip', String(settings.clip), String(d.clip));
  put('seed', String(settings.seed), String(d.seed));
  put('expr', settings.expression, d.expression);
  put('vars', values(settings.values), values(d.values));
  return params.toString();
}
