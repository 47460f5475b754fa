/**
 * @file The cross-build Tensor brand. A package installed once can still be loaded twice, as its ESM
 * and its CommonJS build (the dual-package hazard): each load has its own `Tensor` class, so
 * `instanceof Tensor` rejects a tensor made by the other one. `Symbol.for` returns the same symbol in
 * every build, so a tensor is recognised by the brand its class carries instead.
 */
import type { Tensor } from './tensor';

/** The registry symbol every build of the Tensor class carries on its prototype. */
export const TENSOR_BRAND: unique symbol = Symbol.for('optimgrad.tensor') as never;

/**
 * True when `value` is a Tensor from any build of `@optimgrad/core` (ESM or CommonJS); use it instead of
 * `instanceof Tensor` for values that come from users.
 * @example if (isTensor(x)) x.backward();
 */
export function isTensor(value: unknown): value is Tensor {
  return typeof value === 'object' && value !== null && (value as { [TENSOR_BRAND]?: unknown })[TENSOR_BRAND] === true;
}
