/** @file Every workload of the suite, in table order, keyed by a stable id (also used by the guarded worker). */
import type { Workload } from '../harness';
import { matmulWorkload } from './w1-matmul';
import { mlpWorkload } from './w2-mlp';
import { smallOpsWorkload } from './w3-small-ops';
import { elementwiseWorkload } from './w4-elementwise';

export const WORKLOAD_IDS = ['W1-64', 'W1-256', 'W1-1024', 'W2', 'W3', 'W4'] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

export function makeWorkload(id: WorkloadId): Workload {
  switch (id) {
    case 'W1-64':
      return matmulWorkload(64);
    case 'W1-256':
      return matmulWorkload(256);
    case 'W1-1024':
      return matmulWorkload(1024);
    case 'W2':
      return mlpWorkload();
    case 'W3':
      return smallOpsWorkload();
    case 'W4':
      return elementwiseWorkload();
  }
}
