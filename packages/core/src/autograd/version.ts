/** @file Telling autograd about writes it did not see (like `torch.autograd.graph.increment_version`). */
import type { Tensor } from '../tensor';

/**
 * Marks `t`'s storage as changed in place. Call it after writing to `t.data` directly (as optimizers do),
 * so a graph that saved the old values refuses a stale backward.
 * @example p.data[0] -= 0.1; incrementVersion(p);
 */
export function incrementVersion(t: Tensor): void {
  t._storage.version++;
}
