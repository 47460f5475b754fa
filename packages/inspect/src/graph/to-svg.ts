/**
 * @file SVG of a tensor's graph, laid out by Graphviz compiled to WebAssembly (`@viz-js/viz`), so no
 * system Graphviz is needed. `toSvg` is async because the WebAssembly module loads asynchronously; the
 * loaded instance is cached, so only the first call pays for it, and after `await loadGraphviz()`
 * `toSvgSync` renders synchronously.
 */
import type { Tensor } from '@optimgrad/core';
import { instance, type Viz } from '@viz-js/viz';
import { type GraphOptions, toGraphJson } from './graph-json';
import { type DotLayoutCaps, dotOfGraph } from './to-dot';

/** Above this many nodes the layout is capped (see `svgDot`); smaller graphs get Graphviz's full effort. */
const LARGE_GRAPH = 60;
/** In a capped layout, a tensor feeding more ops than this is drawn again beside each further use. */
const REPEAT_ABOVE = 3;

/**
 * The DOT text `toSvg` lays out. Graphviz's dot layout on a deep graph where one tensor feeds many ops
 * (residual blocks) took seconds at 200 nodes and did not finish at 450, blocking the thread: the long
 * edges become chains of virtual nodes, and crossing minimisation (`mclimit`) and network simplex
 * (`nslimit`, `nslimit1`) iterate over all of them. A large graph therefore gets short edges (a shared
 * tensor drawn again at each use) and capped iteration counts, and the picture says so.
 */
function svgDot(output: Tensor, options: GraphOptions): string {
  const graph = toGraphJson(output, options);
  if (graph.nodes.length <= LARGE_GRAPH) return dotOfGraph(graph);
  const caps: DotLayoutCaps = {
    attributes: ['mclimit=0.1', 'nslimit=1', 'nslimit1=1', 'searchsize=10'],
    repeatAbove: REPEAT_ABOVE,
    note:
      `Large graph (${graph.nodes.length} nodes): laid out with capped Graphviz effort (mclimit, nslimit, searchsize); ` +
      `a tensor used by more than ${REPEAT_ABOVE} ops is drawn again, dashed, beside each further use.`,
  };
  return dotOfGraph(graph, caps);
}

let viz: Promise<Viz> | null = null;
let loaded: Viz | null = null;

/**
 * Loads (once) the Graphviz WebAssembly module used by `toSvg` and `toSvgSync`.
 * @example await loadGraphviz();
 */
export function loadGraphviz(): Promise<Viz> {
  viz ??= instance().then((v) => {
    loaded = v;
    return v;
  });
  return viz;
}

/**
 * A self-contained SVG string of the graph that produced `output`.
 * @example const svg = await toSvg(loss, { params: model });
 */
export async function toSvg(output: Tensor, options: GraphOptions = {}): Promise<string> {
  const dot = svgDot(output, options);
  const graphviz = await loadGraphviz();
  return graphviz.renderString(dot, { format: 'svg' });
}

/**
 * `toSvg` without `await`, once `loadGraphviz()` has resolved (for render loops and synchronous callers).
 * @example await loadGraphviz(); const svg = toSvgSync(loss);
 */
export function toSvgSync(output: Tensor, options: GraphOptions = {}): string {
  if (loaded === null) {
    throw new Error(
      'toSvgSync: Graphviz is not loaded yet; await loadGraphviz() once before calling toSvgSync, or use await toSvg()',
    );
  }
  return loaded.renderString(svgDot(output, options), { format: 'svg' });
}
