/**
 * @file Recovers the maximum that softmax, logSoftmax and logsumexp subtract before `exp`. Core computes
 * it on a detached copy (it is a constant for autograd), so the graph holds it as a constant leaf with the
 * example's values; exported as it is, the shift would be frozen (and wrong in shape along dynamic axes).
 * A constant `c` in `sub(x, c)` that equals `x`'s maximum over the dims `c` keeps as 1 (with infinities
 * replaced by 0, as logsumexp does) is exported as ReduceMax of `x` instead.
 */
import { type GradFn, noGrad, type Tensor, topologicalOrder } from '@optimgrad/core';
import type { EmitContext } from './context';
import type { Trace } from './trace';

export interface StableShift {
  readonly x: Tensor;
  readonly dims: readonly number[];
  /** Whether non-finite maxima were replaced by 0 (logsumexp's shift). */
  readonly finiteOnly: boolean;
}

function equal(a: Tensor, b: Tensor): boolean {
  if (a.shape.join() !== b.shape.join()) return false;
  const x = a.contiguous().data;
  const y = b.contiguous().data;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}

/** The constant leaves of `trace` that are a stable shift, with what they are the maximum of. */
export function findStableShifts(trace: Trace, isNamed: (t: Tensor) => boolean): Map<Tensor, StableShift> {
  const shifts = new Map<Tensor, StableShift>();
  const root = trace.output.gradFn;
  const nodes: GradFn[] = root === null ? [] : topologicalOrder([root]);
  for (const node of nodes) {
    if (node.op.id !== 'sub') continue;
    const [x, c] = node.inputs as [Tensor, Tensor];
    if (c.gradFn !== null || isNamed(c) || shifts.has(c) || c.ndim !== x.ndim || x.size === 0) continue;
    const dims = c.shape.flatMap((n, d) => (n === 1 && x.shape[d] !== 1 ? [d] : []));
    if (dims.length === 0 || c.shape.some((n, d) => n !== 1 && n !== x.shape[d])) continue;
    noGrad(() => {
      const m = x.detach().amax(dims, true);
      // The guarded form first: when every maximum is finite both match, and the guard changes nothing then;
      // softmax's unguarded shift gives NaN exactly where the guarded one does.
      if (equal(c, m.where(m.isfinite(), 0))) shifts.set(c, { x, dims, finiteOnly: true });
      else if (equal(c, m)) shifts.set(c, { x, dims, finiteOnly: false });
    });
  }
  return shifts;
}

/** ReduceMax of the shifted tensor (0 where it is not finite, for logsumexp). */
export function emitStableShift({ x, dims, finiteOnly }: StableShift, ctx: EmitContext): string {
  const b = ctx.builder;
  const m = b.reduce('ReduceMax', ctx.value(x), dims, true);
  if (!finiteOnly) return m;
  const bad = b.node('Or', [b.node('IsInf', [m]), b.node('IsNaN', [m])]);
  return b.node('Where', [bad, b.scalar(0, x.dtype), m]);
}
