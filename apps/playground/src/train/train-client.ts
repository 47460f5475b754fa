/**
 * @file The page's side of the worker protocol: starts the worker, sends typed requests, and turns the
 * answers to bounds, save and load requests into promises (matched by id).
 */
import type { TrainSettings } from '../state/settings';
import type { Box } from './grid';
import type { BoundsReport } from './network-bounds';
import type { WorkerRequest, WorkerResponse } from './protocol';
import type { PlotData, Snapshot } from './trainer';

/** What the page does with the worker's unprompted messages. */
export interface TrainListeners {
  ready(data: PlotData, sizes: readonly number[]): void;
  snapshot(snapshot: Snapshot, running: boolean): void;
  error(message: string): void;
}

type Pending = { resolve(value: WorkerResponse): void; reject(error: Error): void };

/** A running training worker. */
export class TrainClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly listeners: TrainListeners) {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<WorkerResponse>) => this.receive(event.data);
    this.worker.onerror = (event) => listeners.error(`training worker failed: ${event.message}`);
  }

  reset(settings: TrainSettings): void {
    this.send({ type: 'reset', settings });
  }
  start(): void {
    this.send({ type: 'start' });
  }
  pause(): void {
    this.send({ type: 'pause' });
  }
  step(): void {
    this.send({ type: 'step' });
  }

  async bounds(box: Box): Promise<BoundsReport> {
    const id = this.nextId++;
    const answer = await this.request(id, { type: 'bounds', id, box });
    if (answer.type !== 'bounds') throw new Error(`bounds: unexpected answer ${answer.type}`);
    return answer.report;
  }

  async save(): Promise<ArrayBuffer> {
    const id = this.nextId++;
    const answer = await this.request(id, { type: 'save', id });
    if (answer.type !== 'saved') throw new Error(`save: unexpected answer ${answer.type}`);
    return answer.bytes;
  }

  async load(bytes: ArrayBuffer): Promise<{ hidden: readonly number[]; activation: string }> {
    const id = this.nextId++;
    const answer = await this.request(id, { type: 'load', id, bytes }, [bytes]);
    if (answer.type !== 'loaded') throw new Error(`load: unexpected answer ${answer.type}`);
    return answer;
  }

  private send(message: WorkerRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private request(id: number, message: WorkerRequest, transfer: Transferable[] = []): Promise<WorkerResponse> {
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send(message, transfer);
    });
  }

  private receive(message: WorkerResponse): void {
    switch (message.type) {
      case 'ready':
        this.listeners.ready(message.data, message.sizes);
        return;
      case 'snapshot':
        this.listeners.snapshot(message.snapshot, message.running);
        return;
      case 'error': {
        const waiting = message.id === null ? undefined : this.pending.get(message.id);
        if (waiting === undefined) {
          this.listeners.error(message.message);
          return;
        }
        this.pending.delete(message.id as number);
        waiting.reject(new Error(message.message));
        return;
      }
      default: {
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        waiting?.resolve(message);
      }
    }
  }
}
