/** @file Topological order of a backward graph, iterative so 100,000-op chains do not overflow the stack. */
import type { GradFn } from './grad-fn';

/**
 * Every node reachable from `roots`, each after all nodes that consume its output
 * (the order backward runs in: outputs first, leaves' producers last).
 */
export function topologicalOrder(roots: readonly GradFn[]): GradFn[] {
  const visited = new Set<GradFn>();
  const postorder: GradFn[] = [];
  // The depth-first stack as two parallel arrays (node, index of its next input to visit), so a
  // walk over a graph of n nodes allocates no object per node (backward sorts every graph it runs).
  const nodes: GradFn[] = [];
  const cursors: number[] = [];
  for (const root of roots) {
    if (visited.has(root)) continue;
    visited.add(root);
    nodes.push(root);
    cursors.push(0);
    while (nodes.length > 0) {
      const top = nodes.length - 1;
      const node = nodes[top] as GradFn;
      const next = node.next;
      let cursor = cursors[top] as number;
      let child: GradFn | null = null;
      while (cursor < next.length) {
        const candidate = next[cursor++] as GradFn | null;
        if (candidate !== null && !visited.has(candidate)) {
          child = candidate;
          break;
        }
      }
      cursors[top] = cursor;
      if (child !== null) {
        visited.add(child);
        nodes.push(child);
        cursors.push(0);
      } else {
        nodes.pop();
        cursors.pop();
        postorder.push(node);
      }
    }
  }
  return postorder.reverse();
}
