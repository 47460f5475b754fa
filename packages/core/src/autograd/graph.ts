/** @file Topological order of a backward graph, iterative so 100,000-op chains do not overflow the stack. */
import type { GradFn } from './grad-fn';

/**
 * Every node reachable from `roots`, each after all nodes that consume its output
 * (the order backward runs in: outputs first, leaves' producers last).
 */
export function topologicalOrder(roots: readonly GradFn[]): GradFn[] {
  const visited = new Set<GradFn>();
  const postorder: GradFn[] = [];
  const stack: { node: GradFn; next: number }[] = [];
  for (const root of roots) {
    if (visited.has(root)) continue;
    visited.add(root);
    stack.push({ node: root, next: 0 });
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as { node: GradFn; next: number };
      const next = frame.node.next;
      let pushed = false;
      while (frame.next < next.length) {
        const child = next[frame.next++] as GradFn | null;
        if (child !== null && !visited.has(child)) {
          visited.add(child);
          stack.push({ node: child, next: 0 });
          pushed = true;
          break;
        }
      }
      if (!pushed) {
        stack.pop();
        postorder.push(frame.node);
      }
    }
  }
  return postorder.reverse();
}
