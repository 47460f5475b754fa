/** @file Option handling shared by the optimizers: defaults merging and the range checks PyTorch makes. */

/**
 * `defaults` overridden by the given `options`; throws on an option name the optimizer does not have.
 * @example const o = withDefaults('Adam', { lr: 1e-3, eps: 1e-8 }, { lr: 0.01 });
 */
export function withDefaults<O extends object>(name: string, defaults: O, options: Partial<O> | undefined): O {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new Error(`${name}: options must be an object such as { lr: 0.01 }, but got ${String(options)}`);
  }
  const out = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(options ?? {})) {
    if (!(key in defaults)) {
      throw new Error(`${name}: unknown option '${key}'; valid options are ${Object.keys(defaults).join(', ')}`);
    }
    if (value !== undefined) out[key] = value;
  }
  return out as O;
}

/**
 * Throws unless `value` is a number >= 0 (PyTorch's `Invalid <option> value` check).
 * @example checkNonNegative('SGD', 'momentum', 0.9);
 */
export function checkNonNegative(name: string, option: string, value: number): void {
  if (typeof value !== 'number' || !(value >= 0)) {
    throw new Error(`${name}: invalid ${option} value ${String(value)}; ${option} must be a number >= 0`);
  }
}

/**
 * Throws unless `value` is a number in [0, 1) (Adam's betas).
 * @example checkBetas('Adam', [0.9, 0.999]);
 */
export function checkBetas(name: string, betas: readonly number[]): void {
  if (!Array.isArray(betas) || betas.length !== 2) {
    throw new Error(`${name}: betas must be a pair [beta1, beta2] such as [0.9, 0.999], but got ${String(betas)}`);
  }
  for (const [index, beta] of betas.entries()) {
    if (typeof beta !== 'number' || !(beta >= 0 && beta < 1)) {
      throw new Error(`${name}: invalid beta parameter at index ${index}: ${String(beta)}; betas must lie in [0, 1)`);
    }
  }
}

/**
 * Throws unless `value` is a boolean.
 * @example checkBoolean('SGD', 'nesterov', false);
 */
export function checkBoolean(name: string, option: string, value: boolean): void {
  if (typeof value !== 'boolean') {
    throw new Error(`${name}: option ${option} must be true or false, but got ${String(value)}`);
  }
}
