/**
 * @file Recording ops that core leaves out of the graph. Comparisons, sign, floor, round, isfinite,
 * argmax and argmin have no derivative, so core records no node for them and their results look like
 * constants; yet a `where(x.gt(0), …)` condition depends on the input, and treating it as a constant
 * would make interval bounds unsound. While `f` is traced, these methods are wrapped: a result that
 * depends on a tensor requiring grad is marked as requiring grad (so later ops record nodes that use
 * it) and its producer is remembered here.
 */
import { type GradFn, isGradEnabled, type OpName, Tensor, tensor } from '@optimgrad/core';

/** How a marked tensor was made: the op, its inputs, their producers at that moment, and its parameters. */
export interface TracedOp {
  readonly name: OpName;
  readonly inputs: readonly Tensor[];
  readonly next: readonly (GradFn | null)[];
  readonly params: unknown;
}

type Method = (this: Tensor, ...args: unknown[]) => Tensor;

const BINARY = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const;
const UNARY = ['sign', 'floor', 'round', 'isfinite'] as const;
const ARG = ['argmax', 'argmin'] as const;

/**
 * Runs `fn` with the non-differentiable methods recorded; returns its result and the records.
 * @example const { result, traced } = traceNonDifferentiable(() => f(x)); traced.get(mask)?.name // 'gt'
 */
export function traceNonDifferentiable<T>(fn: () => T): { result: T; traced: WeakMap<Tensor, TracedOp> } {
  const traced = new WeakMap<Tensor, TracedOp>();
  const proto = Tensor.prototype as unknown as Record<string, Method>;
  const saved = new Map<string, Method>();
  const wrap = (name: string, record: (self: Tensor, args: unknown[]) => Omit<TracedOp, 'next'> | null) => {
    const original = proto[name] as Method;
    saved.set(name, original);
    proto[name] = function (this: Tensor, ...args: unknown[]): Tensor {
      const out = original.apply(this, args);
      const op = isGradEnabled() ? record(this, args) : null;
      if (op?.inputs.some((t) => t.requiresGrad) && !out.requiresGrad) {
        out.requiresGrad = true;
        traced.set(out, { ...op, next: op.inputs.map((t) => t.gradFn) });
      }
      return out;
    };
  };
  for (const name of BINARY) {
    wrap(name, (self, [other]) => ({
      name,
      inputs: [self, other instanceof Tensor ? other : tensor(other as number, { dtype: 'float64' })],
      params: undefined,
    }));
  }
  for (const name of UNARY) wrap(name, (self) => ({ name, inputs: [self], params: undefined }));
  for (const name of ARG) {
    wrap(name, (self, [dim, keepdim]) => ({ name, inputs: [self], params: { dim, keepdim: keepdim ?? false } }));
  }
  try {
    return { result: fn(), traced };
  } finally {
    for (const [name, original] of saved) proto[name] = original;
  }
}
