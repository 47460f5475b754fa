/** @file One guarded measurement (workload × engine) in a worker thread: the parent stops it at its limits. */
import { parentPort, workerData } from 'node:worker_threads';
import { measureEngine, type WorkerRequest } from './harness';
import { initPeers } from './peers';
import { makeWorkload, WORKLOAD_IDS, type WorkloadId } from './workloads/index';

const request = workerData as WorkerRequest;
const id = WORKLOAD_IDS.find((known) => known === request.id);
if (id === undefined || parentPort === null) throw new Error(`cell-worker: unknown workload ${request.id}`);
await initPeers();
const measured = await measureEngine(makeWorkload(id satisfies WorkloadId), request.engine, request.reps);
parentPort.postMessage(measured);
