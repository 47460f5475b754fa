import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../src/state/settings';
import { parseRequest, type WorkerResponse } from '../src/train/protocol';
import { createSession } from '../src/train/session';

const { tab: _tab, expression: _expression, values: _values, ...TRAIN } = DEFAULT_SETTINGS;

/** A session whose scheduled slices run only when the test says, with a clock that advances 50 ms per reading. */
function harness() {
  const posted: WorkerResponse[] = [];
  const queue: (() => void)[] = [];
  let clock = 0;
  const session = createSession(
    (message) => posted.push(message),
    (callback) => queue.push(callback),
    () => (clock += 50),
  );
  const runScheduled = () => {
    for (const callback of queue.splice(0)) callback();
  };
  const last = <T extends WorkerResponse['type']>(type: T) =>
    posted.filter((m): m is Extract<WorkerResponse, { type: T }> => m.type === type).at(-1);
  return { session, posted, queue, runScheduled, last };
}

describe('parseRequest', () => {
  it('accepts each request kind', () => {
    expect(parseRequest({ type: 'start' })).toEqual({ type: 'start' });
    expect(parseRequest({ type: 'reset', settings: TRAIN })).toEqual({ type: 'reset', settings: TRAIN });
    expect(parseRequest({ type: 'bounds', id: 3, box: { x0: 0, x1: 1, y0: -1, y1: 1 } })).toMatchObject({ id: 3 });
    const bytes = new ArrayBuffer(8);
    expect(parseRequest({ type: 'load', id: 1, bytes })).toEqual({ type: 'load', id: 1, bytes });
  });

  it('names the message and the field that is wrong', () => {
    expect(() => parseRequest(null)).toThrow(/expected an object with a type/);
    expect(() => parseRequest({ type: 'jump' })).toThrow(/unknown type "jump"/);
    expect(() => parseRequest({ type: 'reset', settings: { ...TRAIN, dataset: 'mnist' } })).toThrow(
      /'reset': dataset must be one of moons, circles, spiral, xor, blobs, got mnist/,
    );
    expect(() => parseRequest({ type: 'reset', settings: { ...TRAIN, hidden: [8, 0] } })).toThrow(/hidden must be/);
    expect(() => parseRequest({ type: 'reset', settings: { ...TRAIN, lr: 0 } })).toThrow(/lr must be > 0/);
    expect(() => parseRequest({ type: 'bounds', id: 1, box: { x0: 0, x1: 'a', y0: 0, y1: 1 } })).toThrow(
      /'bounds': x1 must be a finite number/,
    );
    expect(() => parseRequest({ type: 'load', id: 1, bytes: 'file' })).toThrow(/bytes must be an ArrayBuffer/);
  });
});

describe('the worker session', () => {
  it('answers a request before any reset with an error, not an exception', () => {
    const { session, posted } = harness();
    session.handle({ type: 'save', id: 7 });
    expect(posted).toEqual([{ type: 'error', id: 7, message: expect.stringMatching(/send a reset message/) }]);
    session.handle({ type: 'nonsense' });
    expect(posted[1]).toMatchObject({ type: 'error', id: null });
  });

  it('posts the data and a first snapshot on reset, and one step per step request', () => {
    const { session, posted, last } = harness();
    session.handle({ type: 'reset', settings: TRAIN });
    expect(posted.map((m) => m.type)).toEqual(['ready', 'snapshot']);
    expect(last('ready')?.sizes).toEqual([2, 8, 8, 2]);
    session.handle({ type: 'step' });
    expect(last('snapshot')?.snapshot.step).toBe(1);
    expect(last('snapshot')?.running).toBe(false);
  });

  it('trains in scheduled slices while started and stops scheduling once paused', () => {
    const { session, queue, runScheduled, last } = harness();
    session.handle({ type: 'reset', settings: TRAIN });
    session.handle({ type: 'start' });
    session.handle({ type: 'start' });
    expect(queue).toHaveLength(1);
    runScheduled();
    const afterOne = last('snapshot');
    expect(afterOne?.running).toBe(true);
    expect(afterOne?.snapshot.step).toBeGreaterThanOrEqual(1);
    expect(queue).toHaveLength(1);
    session.handle({ type: 'pause' });
    const paused = last('snapshot')?.snapshot.step;
    runScheduled();
    expect(last('snapshot')?.snapshot.step).toBe(paused);
    expect(last('snapshot')?.running).toBe(false);
    expect(queue).toHaveLength(0);
  });

  it('answers bounds, save and load by id, and reports a bad file by id', () => {
    const { session, last } = harness();
    session.handle({ type: 'reset', settings: TRAIN });
    session.handle({ type: 'bounds', id: 1, box: { x0: 0, x1: 0.5, y0: 0, y1: 0.5 } });
    expect(last('bounds')).toMatchObject({ id: 1, report: { box: { x0: 0, x1: 0.5 } } });
    session.handle({ type: 'save', id: 2 });
    const saved = last('saved');
    expect(saved?.id).toBe(2);
    session.handle({ type: 'load', id: 3, bytes: saved?.bytes });
    expect(last('loaded')).toEqual({ type: 'loaded', id: 3, hidden: [8, 8], activation: 'relu' });
    session.handle({ type: 'load', id: 4, bytes: new ArrayBuffer(4) });
    expect(last('error')).toMatchObject({ id: 4, message: expect.stringMatching(/safetensors/) });
  });
});
