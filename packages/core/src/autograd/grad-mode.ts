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

let recordingAllOps = false;

/** True inside `recordAllOps`. */
export function isRecordingAllOps(): boolean {
  return recordingAllOps;
}

/**
 * Runs `fn` recording a graph node for every op on tensors that require grad, including ops with no
 * derivative (comparisons, sign, argmax…), whose results then require grad too. For tools that analyse
 * the whole computation, such as interval bounds, where a `where(x.gt(0), …)` condition depends on x.
 * Backward gives those nodes a zero gradient, as usual.
 * @example const out = recordAllOps(() => x.gt(0).mul(x)); out.gradFn?.inputs[0]?.gradFn?.name // 'gt'
 */
export function recordAllOps<T>(fn: () => T): T {
  const previous = recordingAllOps;
  recordingAllOps = true;
  try {
    return fn();
  } finally {
    recordingAllOps = previous;
  }
}
