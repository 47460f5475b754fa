/**
 * @file The Train tab's form and the settings object, both ways: fill the controls from settings, and
 * read them back, clamped to the limits (a width list that does not parse is reported, not guessed).
 */
import { ACTIVATIONS, isDatasetName, LIMITS, OPTIMIZERS, type TrainSettings } from '../state/settings';
import { field } from './dom';

const clamp = (value: number, limits: { min: number; max: number }, fallback: number) =>
  Number.isFinite(value) ? Math.min(limits.max, Math.max(limits.min, value)) : fallback;

/**
 * Puts the settings into the form's controls.
 * @example fillTrainForm(form, settings);
 */
export function fillTrainForm(form: HTMLFormElement, settings: TrainSettings): void {
  const set = (name: string, value: string) => {
    const control = form.elements.namedItem(name);
    if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement) control.value = value;
  };
  set('dataset', settings.dataset);
  set('noise', String(settings.noise));
  set('size', String(settings.size));
  set('seed', String(settings.seed));
  set('hidden', settings.hidden.join(','));
  set('activation', settings.activation);
  set('optimizer', settings.optimizer);
  set('lr', String(settings.lr));
  set('batchSize', String(settings.batchSize));
  set('l2', String(settings.l2));
  set('clip', String(settings.clip));
  showRangeValues(form);
}

/**
 * Writes each slider's value into the `<output>` beside it.
 * @example showRangeValues(form);
 */
export function showRangeValues(form: HTMLFormElement): void {
  field(form, 'noise-value', HTMLOutputElement).value = field(form, 'noise', HTMLInputElement).value;
  field(form, 'size-value', HTMLOutputElement).value = field(form, 'size', HTMLInputElement).value;
}

/**
 * Parses hidden widths such as `8, 8`; an empty text is a network with no hidden layer.
 * @example parseHidden('16,8'); // [16, 8]
 */
export function parseHidden(text: string): number[] | string {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const widths = trimmed.split(/[\s,]+/).map(Number);
  const { min, max } = LIMITS.layerWidth;
  if (widths.some((w) => !Number.isInteger(w) || w < min || w > max)) {
    return `hidden layer widths: "${text}" is not a comma-separated list of whole numbers from ${min} to ${max}`;
  }
  if (widths.length > LIMITS.layers.max) return `hidden layer widths: at most ${LIMITS.layers.max} layers`;
  return widths;
}

/**
 * Reads the form into training settings (falling back to `previous` for anything unusable), or an error text.
 * @example const next = readTrainForm(form, settings);
 */
export function readTrainForm(form: HTMLFormElement, previous: TrainSettings): TrainSettings | string {
  const value = (name: string) => {
    const control = form.elements.namedItem(name);
    if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement) return control.value;
    throw new Error(`playground: no input or select named "${name}" in form #${form.id}`);
  };
  const oneOf = <T extends string>(choices: readonly T[], text: string, fallback: T): T =>
    (choices as readonly string[]).includes(text) ? (text as T) : fallback;
  const number = (name: string) => Number(value(name));
  const hidden = parseHidden(value('hidden'));
  if (typeof hidden === 'string') return hidden;
  const dataset = value('dataset');
  return {
    dataset: isDatasetName(dataset) ? dataset : previous.dataset,
    noise: clamp(number('noise'), LIMITS.noise, previous.noise),
    size: Math.round(clamp(number('size'), LIMITS.size, previous.size)),
    seed: Math.round(clamp(number('seed'), LIMITS.seed, previous.seed)),
    hidden,
    activation: oneOf(ACTIVATIONS, value('activation'), previous.activation),
    optimizer: oneOf(OPTIMIZERS, value('optimizer'), previous.optimizer),
    lr: clamp(number('lr'), LIMITS.lr, previous.lr),
    batchSize: Math.round(clamp(number('batchSize'), LIMITS.batchSize, previous.batchSize)),
    l2: clamp(number('l2'), LIMITS.l2, previous.l2),
    clip: clamp(number('clip'), LIMITS.clip, previous.clip),
  };
}
