/** @file Whether ops record graph: `noGrad` for updates and evaluation, `enableGrad` inside it. */

let enabled = true;

/** True when ops on tensors that require grad record a graph for backward. */
export function isGradEnabled(): boolean {
  return enabled;
}

function withGradMode<T>(mode: boolean, fn: () => T): T {
  const previous = enabled;
  enabled = mode;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/**
 * Runs `fn` without recording graph (like `torch.no_grad()`).
 * @example const y = noGrad(() => model.forward(x));
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/**
 * Runs `fn` recording graph even inside `noGrad` (like `torch.enable_grad()`).
 * @example noGrad(() => enableGrad(() => x.mul(2)));
 */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

/** Sets grad mode globally (like `torch.set_grad_enabled`); prefer `noGrad(fn)`. */
export function setGradEnabled(mode: boolean): void {
  enabled = mode;
}
