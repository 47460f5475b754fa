/**
 * @file The worker's side of the protocol, free of any Worker global so it runs in tests: it owns the
 * trainer, runs steps in short slices while started (yielding between slices so a pause or a bounds
 * request is handled at once), and answers every request.
 */
import { parseRequest, type WorkerResponse } from './protocol';
import { Trainer } from './trainer';

/** Sends a response to the page, moving the listed buffers instead of copying them. */
export type Post = (message: WorkerResponse, transfer?: Transferable[]) => void;
/** Runs a callback soon, after pending messages (setTimeout in the worker). */
export type Schedule = (callback: () => void) => void;

/** How long one slice of training may run before the worker posts a snapshot and yields. */
const SLICE_MS = 40;

/**
 * A training session answering requests through `post`.
 * @example const session = createSession((m) => postMessage(m), (f) => setTimeout(f, 0)); onmessage = (e) => session.handle(e.data);
 */
export function createSession(post: Post, schedule: Schedule, now: () => number = () => performance.now()) {
  let trainer: Trainer | null = null;
  let running = false;
  let scheduled = false;

  const snapshot = () => {
    if (trainer === null) return;
    const value = trainer.snapshot();
    post({ type: 'snapshot', snapshot: value, running }, [value.probabilities.buffer as ArrayBuffer]);
  };

  const slice = () => {
    scheduled = false;
    if (!running || trainer === null) return;
    try {
      const started = now();
      do trainer.step();
      while (now() - started < SLICE_MS);
      snapshot();
    } catch (error) {
      // A failing step stops the run and says why, rather than killing the worker.
      running = false;
      post({ type: 'error', id: null, message: error instanceof Error ? error.message : String(error) });
      return;
    }
    scheduled = true;
    schedule(slice);
  };

  const need = (): Trainer => {
    if (trainer === null) throw new Error('worker: no training run yet; send a reset message with the settings first');
    return trainer;
  };

  return {
    handle(message: unknown): void {
      let id: number | null = null;
      try {
        const request = parseRequest(message);
        if ('id' in request) id = request.id;
        switch (request.type) {
          case 'reset':
            running = false;
            trainer = new Trainer(request.settings);
            post({ type: 'ready', data: trainer.data, sizes: trainer.sizes });
            snapshot();
            return;
          case 'start':
            need();
            running = true;
            if (!scheduled) {
              scheduled = true;
              schedule(slice);
            }
            return;
          case 'pause':
            running = false;
            snapshot();
            return;
          case 'step':
            running = false;
            need().step();
            snapshot();
            return;
          case 'bounds': {
            const t = need();
            post({ type: 'bounds', id: request.id, report: t.bounds(request.box) });
            return;
          }
          case 'save': {
            const bytes = need().saveWeights();
            const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
            post({ type: 'saved', id: request.id, bytes: buffer }, [buffer]);
            return;
          }
          case 'load': {
            const loaded = need().loadWeights(new Uint8Array(request.bytes));
            post({ type: 'loaded', id: request.id, ...loaded });
            snapshot();
            return;
          }
        }
      } catch (error) {
        post({ type: 'error', id, message: error instanceof Error ? error.message : String(error) });
      }
    },
  };
}
