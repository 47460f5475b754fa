/**
 * @file SVG of a tensor's graph, laid out by Graphviz compiled to WebAssembly (`@viz-js/viz`), so no
 * system Graphviz is needed. `toSvg` is async because the WebAssembly module loads asynchronously; the
 * loaded instance is cached, so only the first call pays for it, and after `await loadGraphviz()`
 * `toSvgSync` renders synchronously.
 */
import type { Tensor } from '@optimgrad/core';
import { instance, type Viz } from '@viz-js/viz';
import type { GraphOptions } from './graph-json';
import { toDot } from './to-dot';

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
  const dot = toDot(output, options);
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
  return loaded.renderString(toDot(output, options), { format: 'svg' });
}
