/** @file Graphviz DOT and Mermaid text for a tensor's graph, rendered from `toGraphJson`. */
import type { Tensor } from '@optimgrad/core';
import { type GraphJson, type GraphNode, type GraphOptions, nodeLines, toGraphJson } from './graph-json';

const DOT_STYLE: Record<GraphNode['kind'], string> = {
  op: 'shape=box, style="rounded,filled", fillcolor="#e8f0fe"',
  parameter: 'shape=box, style="filled,bold", fillcolor="#fde8c8"',
  leaf: 'shape=ellipse, style=filled, fillcolor="#e6f4ea"',
  constant: 'shape=ellipse, style=filled, fillcolor="#f1f3f4"',
  note: 'shape=note, style=filled, fillcolor="#fff8c5"',
};

function dotEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/**
 * Graphviz DOT source of the graph that produced `output` (inputs point to the ops that use them).
 * @example const dot = toDot(loss, { params: model });
 */
export function toDot(output: Tensor, options: GraphOptions = {}): string {
  return dotOfGraph(toGraphJson(output, options));
}

/** How `toSvg` keeps the Graphviz layout of a large graph fast; off in `toDot`, whose text is the plain graph. */
export interface DotLayoutCaps {
  /** Graph attributes appended to the header, e.g. `mclimit=0.1`. */
  readonly attributes: readonly string[];
  /** A node feeding more than this many ops is drawn again (dashed) beside each further use. */
  readonly repeatAbove: number;
  /** A caption under the picture saying what was capped. */
  readonly note: string;
}

/** DOT text of an already built graph, optionally with layout caps (see `toSvg`). */
export function dotOfGraph(graph: GraphJson, caps: DotLayoutCaps | null = null): string {
  const lines = ['digraph optimgrad {', '  rankdir=BT;', '  node [fontname="Helvetica", fontsize=11];'];
  if (caps !== null) {
    for (const a of caps.attributes) lines.push(`  ${a};`);
    lines.push(`  labelloc=b; fontname="Helvetica"; fontsize=11; label="${dotEscape(caps.note)}";`);
  }
  const labels = new Map<string, string>();
  for (const node of graph.nodes) {
    const label = nodeLines(node).map(dotEscape).join('\\n');
    labels.set(node.id, label);
    const extra = node.isOutput ? ', penwidth=2' : '';
    lines.push(`  ${node.id} [label="${label}", ${DOT_STYLE[node.kind]}${extra}];`);
  }
  const uses = new Map<string, number>();
  for (const edge of graph.edges) uses.set(edge.from, (uses.get(edge.from) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const edge of graph.edges) {
    let from = edge.from;
    // A tensor used all along a deep graph (a residual input) makes edges spanning every rank, and Graphviz
    // lays each one out through a chain of virtual nodes: the layout time grows with the square of the depth.
    // Drawing the tensor again beside each use keeps every edge short.
    const k = seen.get(from) ?? 0;
    seen.set(from, k + 1);
    if (caps !== null && (uses.get(from) ?? 0) > caps.repeatAbove && k > 0) {
      const copy = `${from}_use${k}`;
      lines.push(`  ${copy} [label="${labels.get(from) ?? ''}", shape=box, style="rounded,dashed"];`);
      from = copy;
    }
    lines.push(`  ${from} -> ${edge.to}${edge.input >= 0 ? '' : ' [style=dashed]'};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function mermaidEscape(s: string): string {
  return s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/**
 * Mermaid flowchart source of the graph that produced `output` (renders on GitHub in a ```mermaid block).
 * @example const text = toMermaid(loss);
 */
export function toMermaid(output: Tensor, options: GraphOptions = {}): string {
  const graph = toGraphJson(output, options);
  const lines = ['flowchart BT'];
  for (const node of graph.nodes) {
    const label = nodeLines(node).map(mermaidEscape).join('<br/>');
    const [open, close] = node.kind === 'op' || node.kind === 'parameter' ? ['[', ']'] : ['([', '])'];
    lines.push(`  ${node.id}${open}"${label}"${close}`);
  }
  for (const edge of graph.edges) lines.push(`  ${edge.from} ${edge.input >= 0 ? '-->' : '-.->'} ${edge.to}`);
  return `${lines.join('\n')}\n`;
}
