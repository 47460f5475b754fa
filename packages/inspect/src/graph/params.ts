/**
 * @file Naming parameters: the structural type of a model (anything with `namedParameters()`, like
 * nn's Module) and a lookup from tensor to name used by the graph and walkthrough tools.
 */
import type { Tensor } from '@optimgrad/core';

/** Anything that lists its parameters by name, like `Module.namedParameters()`. */
export interface NamedParameters {
  namedParameters(): Iterable<readonly [string, Tensor]>;
}

/** Parameters given by a model or as a plain `{ name: tensor }` record. */
export type ParamSource = NamedParameters | Readonly<Record<string, Tensor>>;

/**
 * A map from tensor to name: the given parameters first, then `t.name` where set.
 * @example const names = parameterNames({ w }); names.get(w) // 'w'
 */
export function parameterNames(source?: ParamSource): Map<Tensor, string> {
  const names = new Map<Tensor, string>();
  if (source === undefined) return names;
  const entries = isNamedParameters(source) ? source.namedParameters() : Object.entries(source);
  for (const [name, t] of entries) names.set(t, name);
  return names;
}

function isNamedParameters(source: ParamSource): source is NamedParameters {
  return typeof (source as Partial<NamedParameters>).namedParameters === 'function';
}
