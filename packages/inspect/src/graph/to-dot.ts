/** @file Graphviz DOT and Mermaid text for a tensor's graph, rendered from `toGraphJson`. */
import type { Tensor } from '@optimgrad/core';
import { type GraphNode, type GraphOptions, nodeLines, toGraphJson } from './graph-json';

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
  const graph = toGraphJson(output, options);
  const lines = ['digraph optimgrad {', '  rankdir=BT;', '  node [fontname="Helvetica", fontsize=11];'];
  for (const node of graph.nodes) {
    const label = nodeLines(node).map(dotEscape).join('\\n');
    const extra = node.isOutput ? ', penwidth=2' : '';
    lines.push(`  ${node.id} [label="${label}", ${DOT_STYLE[node.kind]}${extra}];`);
  }
  for (const edge of graph.edges) {
    lines.push(`  ${edge.from} -> ${edge.to}${edge.input >= 0 ? '' : ' [style=dashed]'};`);
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
