/**
 * @file The graph of a tensor as plain data: one node per tensor (an op result or a leaf), one edge
 * per op input. Walked breadth-first with an explicit queue (deep graphs cannot overflow the stack)
 * and capped so a large graph stays readable: the rest is counted and shown as one note node.
 */

import type { DType, GradFn, Tensor } from '@optimgrad/core';
import { formatNumber, formatShape } from '@optimgrad/core';
import { l2Norm } from '../format';
import { type ParamSource, parameterNames } from './params';

/** A node: a tensor, labelled with the op that made it, or the note that stands for omitted nodes. */
export interface GraphNode {
  readonly id: string;
  /** `op`: made by an op; `parameter`: a named leaf; `leaf`: a leaf that requires grad; `constant`: any other leaf. */
  readonly kind: 'op' | 'parameter' | 'leaf' | 'constant' | 'note';
  /** The op name (`'mul'`) for op nodes, else null. */
  readonly op: string | null;
  /** The parameter name for named tensors, else null. */
  readonly name: string | null;
  readonly shape: readonly number[];
  readonly dtype: DType | null;
  readonly requiresGrad: boolean;
  /** L2 norm of `.grad` (leaves after backward, non-leaves with `retainGrad()`), else null. */
  readonly gradNorm: number | null;
  /** True for the tensor the graph was drawn from. */
  readonly isOutput: boolean;
  /** The value of a single-element constant (such as the 2 in `x.mul(2)`), else null. */
  readonly value: number | null;
  /** For the note node: how many nodes it stands for. */
  readonly omitted?: number;
}

/** An edge from an input tensor to the node its op produced. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** Position of the input in the op's inputs. */
  readonly input: number;
}

export interface GraphJson {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** Nodes left out because of `maxNodes` (they are drawn as one note node). */
  readonly omitted: number;
}

export interface GraphOptions {
  /** Names for parameters (a model with `namedParameters()` or a record); `t.name` is used too. */
  readonly params?: ParamSource;
  /** At most this many tensor nodes are drawn (default 200). */
  readonly maxNodes?: number;
}

type Key = GradFn | Tensor;

/**
 * A tensor as an op's input: the node that produced it when the op ran (`GradFn.next`), or the leaf
 * itself. An op result is described by its node (shape, dtype, name), so no value is needed and a graph
 * freed by backward is drawn as it was, even after its leaves changed.
 */
type Entry = { readonly producer: GradFn; readonly leaf: null } | { readonly producer: null; readonly leaf: Tensor };

/**
 * The graph that produced `output` as nodes and edges (nodes in breadth-first order from the output).
 * @example const { nodes, edges } = toGraphJson(x.mul(y).sum());
 */
export function toGraphJson(output: Tensor, options: GraphOptions = {}): GraphJson {
  const maxNodes = options.maxNodes ?? 200;
  if (!Number.isInteger(maxNodes) || maxNodes < 1) {
    throw new Error(`toGraphJson: maxNodes must be a positive integer, got ${maxNodes}`);
  }
  const names = parameterNames(options.params);
  const ids = new Map<Key, string>();
  const omittedKeys = new Set<Key>();
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const noteEdges = new Set<string>();
  const queue: Entry[] = [
    output.gradFn === null ? { producer: null, leaf: output } : { producer: output.gradFn, leaf: null },
  ];
  ids.set(output.gradFn ?? output, 'n0');
  nodes.push(nodeOf(queue[0] as Entry, 'n0', names, true));
  for (let head = 0; head < queue.length; head++) {
    const fn = (queue[head] as Entry).producer;
    if (fn === null) continue;
    const to = ids.get(fn);
    fn.next.forEach((producer, i) => {
      // Edges are the producers recorded when the op ran, so later in-place ops do not rewrite history.
      const entry: Entry =
        producer === null ? { producer: null, leaf: fn.leafInput(i) as Tensor } : { producer, leaf: null };
      const key: Key = entry.producer ?? entry.leaf;
      let id = ids.get(key);
      if (id === undefined && !omittedKeys.has(key)) {
        if (nodes.length < maxNodes) {
          id = `n${nodes.length}`;
          ids.set(key, id);
          nodes.push(nodeOf(entry, id, names, false));
        } else omittedKeys.add(key);
        queue.push(entry);
      }
      if (to === undefined) return; // an omitted node's inputs are only counted
      if (id !== undefined) edges.push({ from: id, to, input: i });
      else noteEdges.add(to);
    });
  }
  if (omittedKeys.size > 0) {
    nodes.push({
      id: 'omitted',
      kind: 'note',
      op: null,
      name: null,
      shape: [],
      dtype: null,
      requiresGrad: false,
      gradNorm: null,
      isOutput: false,
      value: null,
      omitted: omittedKeys.size,
    });
    for (const to of noteEdges) edges.push({ from: 'omitted', to, input: -1 });
  }
  return { nodes, edges, omitted: omittedKeys.size };
}

function nodeOf(entry: Entry, id: string, names: ReadonlyMap<Tensor, string>, isOutput: boolean): GraphNode {
  if (entry.producer !== null) {
    const fn = entry.producer;
    // The node holds its output while the graph is alive, and after backward when it retains its gradient.
    const t = fn.heldOutput;
    const name = (t !== null ? names.get(t) : undefined) ?? fn.outputName ?? null;
    const g = t?.grad ?? null;
    return {
      id,
      kind: 'op',
      op: fn.name,
      name,
      shape: [...fn.outputShape],
      dtype: fn.outputDType,
      requiresGrad: true,
      gradNorm: g === null ? null : l2Norm(g),
      isOutput,
      value: null,
    };
  }
  const t = entry.leaf;
  const name = names.get(t) ?? t.name ?? null;
  const kind = name !== null ? 'parameter' : t.requiresGrad ? 'leaf' : 'constant';
  const g = t.grad;
  return {
    id,
    kind,
    op: null,
    name,
    shape: [...t.shape],
    dtype: t.dtype,
    requiresGrad: t.requiresGrad,
    gradNorm: g === null ? null : l2Norm(g),
    isOutput,
    value: kind === 'constant' && t.size === 1 ? (t.data[0] as number) : null,
  };
}

/**
 * The text lines shown for a node: what it is, its shape and dtype, and its grad norm when known.
 * @example nodeLines(node) // ['mul', '[2, 3] float32', 'grad ‖·‖ 1.5']
 */
export function nodeLines(node: GraphNode): string[] {
  if (node.kind === 'note') return [`… ${node.omitted} more nodes omitted`, 'raise maxNodes to see them'];
  const title =
    node.kind === 'op'
      ? `${node.op}${node.name !== null ? ` (${node.name})` : ''}`
      : node.name !== null
        ? node.name
        : node.kind === 'leaf'
          ? 'leaf'
          : node.value !== null
            ? `constant ${formatNumber(node.value)}`
            : 'constant';
  const lines = [title, `${formatShape(node.shape)} ${node.dtype}`];
  if (node.gradNorm !== null) lines.push(`grad norm ${formatNumber(node.gradNorm, { digits: 4 })}`);
  return lines;
}
