/**
 * @file Every path from an output back to one leaf. The multivariate chain rule says the leaf's
 * gradient is the sum over these paths of the product of local derivatives along each; this tool
 * lists the paths and, for graphs of single-element tensors, their values and that sum. Paths are
 * counted first by dynamic programming (their number can grow exponentially), so the listing is capped
 * with a message that reports the true count.
 */
import { type GradFn, type Tensor, topologicalOrder } from '@optimgrad/core';
import { formatNumber } from '../format';
import { localDerivatives, Replay } from './replay';

/** One path from the output to the leaf. */
export interface GradientPath {
  /** Op names from the output to the leaf. */
  readonly ops: readonly string[];
  /** Which input of each op the path continues through. */
  readonly inputs: readonly number[];
  /** Local derivative of each step (single-element graphs only). */
  readonly factors: readonly number[] | null;
  /** Product of the local derivatives (single-element graphs only), else null. */
  readonly value: number | null;
}

export interface GradientPaths {
  readonly paths: readonly GradientPath[];
  /** The number of paths (counted, even when not all are listed). */
  readonly count: number;
  /** True when `count > maxPaths`, so only the first `maxPaths` are listed. */
  readonly truncated: boolean;
  /** Sum of all path values = the leaf's gradient (single-element graphs only), else null. */
  readonly total: number | null;
  readonly message: string;
  toString(): string;
}

export interface GradientPathOptions {
  /** List at most this many paths (default 1000). */
  readonly maxPaths?: number;
}

type Key = GradFn | Tensor;

/**
 * Every path of the graph from `output` back to `leaf`, with path values for single-element graphs.
 * @example const { paths, total } = explainGradientPaths(z, x); // total === dz/dx
 */
export function explainGradientPaths(output: Tensor, leaf: Tensor, options: GradientPathOptions = {}): GradientPaths {
  const maxPaths = options.maxPaths ?? 1000;
  if (!Number.isInteger(maxPaths) || maxPaths < 0) {
    throw new Error(`explainGradientPaths: maxPaths must be a non-negative integer, got ${maxPaths}`);
  }
  if (leaf.gradFn !== null) {
    throw new Error(
      `explainGradientPaths: the second argument must be a leaf tensor (it was made by '${leaf.gradFn.name}'); pass an input created with { requiresGrad: true }`,
    );
  }
  if (!leaf.requiresGrad) {
    throw new Error(
      `explainGradientPaths: the leaf (shape [${leaf.shape.join(', ')}]) does not require grad, so no gradient flows to it; create it with { requiresGrad: true }`,
    );
  }
  const root = output.gradFn;
  const order = root === null ? [] : topologicalOrder([root]);
  // Paths from each node to the leaf, counted leaves-first (reverse topological order).
  const count = new Map<Key, number>();
  count.set(leaf, 1);
  // Edges are GradFn.next (the producers recorded when each op ran), as the engine follows them.
  // Structure only (next, leaves, shapes): counting paths needs no values, so it works on a freed graph.
  const countOf = (node: GradFn, i: number): number =>
    node.needsGrad[i] ? (count.get(node.next[i] ?? (node.leafInput(i) as Tensor)) ?? 0) : 0;
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i] as GradFn;
    let n = 0;
    for (let k = 0; k < node.next.length; k++) n += countOf(node, k);
    count.set(node, n);
  }
  const total = root === null ? (output === leaf ? 1 : 0) : (count.get(root) ?? 0);
  const single = (shape: readonly number[]) => shape.every((d) => d === 1);
  const scalar = output.size === 1 && order.every((n) => single(n.outputShape) && n.inputShapes.every(single));
  const locals = new Map<GradFn, (Tensor | null)[]>();
  const replay = new Replay('explainGradientPaths');
  const localOf = (node: GradFn, i: number): number => {
    let l = locals.get(node);
    if (l === undefined) {
      l = localDerivatives(node, replay);
      locals.set(node, l);
    }
    const t = l[i];
    return t === null || t === undefined ? 0 : (t.data[0] as number);
  };
  const paths: GradientPath[] = [];
  if (root === null) {
    if (output === leaf) paths.push({ ops: [], inputs: [], factors: scalar ? [] : null, value: scalar ? 1 : null });
  } else {
    enumerate(root, maxPaths, countOf, scalar ? localOf : null, paths);
  }
  const truncated = total > paths.length;
  let sum: number | null = null;
  if (scalar) sum = truncated ? dpTotal(order, leaf, localOf) : paths.reduce((s, p) => s + (p.value as number), 0);
  // A named leaf (`{ name: 'x' }`) is called by its name, so the text matches the walkthrough's.
  const label = leaf.name ?? 'leaf';
  const message = describe(total, paths.length, truncated, sum, leaf.name ?? 'the leaf');
  return { paths, count: total, truncated, total: sum, message, toString: () => renderText(paths, message, label) };
}

/** Depth-first enumeration with an explicit stack, following only edges that lead to the leaf. */
function enumerate(
  root: GradFn,
  maxPaths: number,
  countOf: (node: GradFn, i: number) => number,
  localOf: ((node: GradFn, i: number) => number) | null,
  paths: GradientPath[],
): void {
  interface Frame {
    readonly node: GradFn;
    next: number;
  }
  const stack: Frame[] = [{ node: root, next: 0 }];
  const chosen: number[] = [];
  while (stack.length > 0 && paths.length < maxPaths) {
    const frame = stack[stack.length - 1] as Frame;
    const inputs = frame.node.next;
    let advanced = false;
    while (frame.next < inputs.length) {
      const i = frame.next++;
      if (countOf(frame.node, i) === 0) continue;
      chosen.push(i);
      const producer = frame.node.next[i] ?? null;
      if (producer === null) {
        // A leaf with a non-zero path count can only be `leaf` itself.
        const nodes = [...stack.map((f) => f.node)];
        const factors = localOf === null ? null : nodes.map((n, k) => localOf(n, chosen[k] as number));
        paths.push({
          ops: nodes.map((n) => n.name),
          inputs: [...chosen],
          factors,
          value: factors === null ? null : factors.reduce((p, f) => p * f, 1),
        });
        chosen.pop();
        if (paths.length >= maxPaths) return;
        continue;
      }
      stack.push({ node: producer, next: 0 });
      advanced = true;
      break;
    }
    if (!advanced) {
      stack.pop();
      chosen.pop();
    }
  }
}

/** Sum over all paths of the product of local derivatives, by dynamic programming (reverse-mode accumulation). */
function dpTotal(order: readonly GradFn[], leaf: Tensor, localOf: (node: GradFn, i: number) => number): number {
  const adjoint = new Map<Key, number>();
  const first = order[0];
  if (first === undefined) return 0;
  adjoint.set(first, 1);
  for (const node of order) {
    const a = adjoint.get(node) ?? 0;
    node.next.forEach((producer, i) => {
      if (!node.needsGrad[i]) return;
      const key = producer ?? (node.leafInput(i) as Tensor);
      adjoint.set(key, (adjoint.get(key) ?? 0) + a * localOf(node, i));
    });
  }
  return adjoint.get(leaf) ?? 0;
}

function describe(count: number, listed: number, truncated: boolean, total: number | null, leaf: string): string {
  const sum =
    total === null
      ? ''
      : ` Their values sum to ${formatNumber(total)}, ${leaf === 'the leaf' ? "the leaf's" : `${leaf}'s`} gradient.`;
  if (count === 0)
    return `The output does not depend on ${leaf === 'the leaf' ? 'this leaf' : leaf}: there are no paths, and its gradient is 0.`;
  if (!truncated) return `${count} path${count === 1 ? '' : 's'} from the output to ${leaf}.${sum}`;
  const about = Number.isSafeInteger(count) ? '' : 'about ';
  return (
    `${about}${count} paths from the output to ${leaf} (counted by dynamic programming); only the first ${listed} are listed. ` +
    `Pass a larger { maxPaths } to list more.${total === null ? '' : ` The total over all paths, ${formatNumber(total)}, was computed by dynamic programming.`}`
  );
}

function renderText(paths: readonly GradientPath[], message: string, leaf: string): string {
  const lines = paths.map((p, k) => {
    const chain = p.ops.length === 0 ? '(the output is the leaf)' : p.ops.join(' -> ');
    const value =
      p.value === null ? '' : `   ${(p.factors ?? []).map(formatNumber).join(' * ') || '1'} = ${formatNumber(p.value)}`;
    return `path ${k + 1}: output -> ${chain} -> ${leaf}${value}`;
  });
  return [...lines, message].join('\n');
}
