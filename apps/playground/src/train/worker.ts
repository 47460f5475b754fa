/**
 * @file The Web Worker that trains, so the page never freezes: it forwards every message to a session.
 */
import { createSession } from './session';

const session = createSession(
  (message, transfer) => self.postMessage(message, { transfer: transfer ?? [] }),
  (callback) => setTimeout(callback, 0),
);

self.onmessage = (event: MessageEvent<unknown>) => session.handle(event.data);
