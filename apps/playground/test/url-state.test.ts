import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, LIMITS, type Settings } from '../src/state/settings';
import { settingsFromQuery, settingsToQuery } from '../src/state/url-state';

describe('URL state', () => {
  it('writes nothing for the defaults and reads the defaults from an empty query', () => {
    expect(settingsToQuery(DEFAULT_SETTINGS)).toBe('');
    expect(settingsFromQuery('')).toEqual(DEFAULT_SETTINGS);
  });

  it('round-trips every setting through a link', () => {
    const settings: Settings = {
      tab: 'bounds',
      dataset: 'spiral',
      noise: 0.25,
      size: 650,
      hidden: [16, 4, 2],
      activation: 'tanh',
      optimizer: 'adamw',
      lr: 0.005,
      batchSize: 64,
      l2: 0.001,
      clip: 0,
      seed: 42,
      expression: 'sin(x) * exp(-y) + 1/(x+2)',
      values: { x: -1.5, y: 0.25 },
    };
    const query = settingsToQuery(settings);
    expect(query).toContain('dataset=spiral');
    expect(settingsFromQuery(`?${query}`)).toEqual(settings);
  });

  it('round-trips a network with no hidden layer', () => {
    const query = settingsToQuery({ ...DEFAULT_SETTINGS, hidden: [] });
    expect(query).toBe('hidden=');
    expect(settingsFromQuery(query).hidden).toEqual([]);
  });

  it('falls back to defaults for unknown names and malformed numbers, and clamps out-of-range ones', () => {
    const read = settingsFromQuery(
      '?tab=nope&dataset=mnist&activation=swish&optimizer=lbfgs&lr=abc&size=99999&noise=-1&batch=0',
    );
    expect(read).toMatchObject({
      tab: DEFAULT_SETTINGS.tab,
      dataset: DEFAULT_SETTINGS.dataset,
      activation: DEFAULT_SETTINGS.activation,
      optimizer: DEFAULT_SETTINGS.optimizer,
      lr: DEFAULT_SETTINGS.lr,
      size: LIMITS.size.max,
      noise: LIMITS.noise.min,
      batchSize: LIMITS.batchSize.min,
    });
  });

  it('clamps layer widths, caps the number of layers and ignores malformed variable values', () => {
    expect(settingsFromQuery('?hidden=0,100,3.6').hidden).toEqual([1, 64, 4]);
    expect(settingsFromQuery('?hidden=1,1,1,1,1,1,1,1').hidden).toHaveLength(LIMITS.layers.max);
    expect(settingsFromQuery('?hidden=a,b').hidden).toEqual(DEFAULT_SETTINGS.hidden);
    expect(settingsFromQuery('?vars=x:2,y:oops,1z:3,w').values).toEqual({ x: 2 });
  });
});
