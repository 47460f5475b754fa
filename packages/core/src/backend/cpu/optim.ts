/**
 * @file Fused optimizer steps: each call updates every parameter of a param group in place, as
 * PyTorch's foreach/fused paths do, so a backend whose parameters live in WebAssembly memory or a
 * worker updates them where they are instead of the optimizer looping over host arrays. The
 * arithmetic (and its order) is that of torch.optim's `_single_tensor_*` functions, so trajectories
 * match PyTorch to float64 rounding. The option checks happen once per call, outside the loops.
 */
import type { TypedArray } from '../../dtype';
import type { AdagradStepOptions, AdamStepOptions, FusedParams, RmspropStepOptions, SgdStepOptions } from '../backend';

export function sgdStep(
  t: FusedParams & { readonly momentumBuffers: readonly TypedArray[] | null; readonly fresh: readonly boolean[] },
  { lr, momentum, dampening, weightDecay, nesterov, maximize }: SgdStepOptions,
): void {
  const sign = maximize ? -1 : 1;
  const keep = 1 - dampening;
  for (let k = 0; k < t.params.length; k++) {
    const p = t.params[k] as TypedArray;
    const g = t.grads[k] as TypedArray;
    const n = p.length;
    const buf = t.momentumBuffers === null ? undefined : t.momentumBuffers[k];
    if (momentum === 0 || buf === undefined) {
      for (let i = 0; i < n; i++) {
        let d = sign * (g[i] as number);
        if (weightDecay !== 0) d += weightDecay * (p[i] as number);
        p[i] = (p[i] as number) - lr * d;
      }
      continue;
    }
    const first = t.fresh[k] === true;
    if (!first && !nesterov && weightDecay === 0) {
      sgdMomentum(p, g, buf, lr, momentum, keep, sign);
      continue;
    }
    for (let i = 0; i < n; i++) {
      let d = sign * (g[i] as number);
      if (weightDecay !== 0) d += weightDecay * (p[i] as number);
      // The first step copies the gradient into the buffer (no dampening), as PyTorch does.
      buf[i] = first ? d : (buf[i] as number) * momentum + keep * d;
      d = nesterov ? d + momentum * (buf[i] as number) : (buf[i] as number);
      p[i] = (p[i] as number) - lr * d;
    }
  }
}

/** SGD's common case (momentum after the first step, no Nesterov, no weight decay): the loop without per-element branches. */
function sgdMomentum(
  p: TypedArray,
  g: TypedArray,
  buf: TypedArray,
  lr: number,
  momentum: number,
  keep: number,
  sign: number,
): void {
  const n = p.length;
  for (let i = 0; i < n; i++) {
    buf[i] = (buf[i] as number) * momentum + keep * (sign * (g[i] as number));
    p[i] = (p[i] as number) - lr * (buf[i] as number);
  }
}

/**
 * Adam's and AdamW's common case (no amsgrad, no L2 decay): the general loop without its per-element
 * branches; for Adam `decay` is 1 and multiplying by it changes nothing.
 */
function adamPlain(
  p: TypedArray,
  g: TypedArray,
  m: TypedArray,
  v: TypedArray,
  decay: number,
  beta1: number,
  beta2: number,
  keep1: number,
  keep2: number,
  stepSize: number,
  bias2Sqrt: number,
  eps: number,
  sign: number,
): void {
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const gi = sign * (g[i] as number);
    p[i] = (p[i] as number) * decay;
    m[i] = (m[i] as number) * beta1 + keep1 * gi;
    v[i] = (v[i] as number) * beta2 + keep2 * gi * gi;
    p[i] = (p[i] as number) + (-stepSize * (m[i] as number)) / (Math.sqrt(v[i] as number) / bias2Sqrt + eps);
  }
}

export function adamStep(
  t: FusedParams & {
    readonly expAvgs: readonly TypedArray[];
    readonly expAvgSqs: readonly TypedArray[];
    readonly maxExpAvgSqs: readonly TypedArray[] | null;
  },
  { lr, beta1, beta2, eps, weightDecay, decoupled, amsgrad, maximize }: AdamStepOptions,
): void {
  const sign = maximize ? -1 : 1;
  const decay = decoupled ? 1 - lr * weightDecay : 1;
  const l2 = decoupled ? 0 : weightDecay;
  const keep1 = 1 - beta1;
  const keep2 = 1 - beta2;
  for (let k = 0; k < t.params.length; k++) {
    const p = t.params[k] as TypedArray;
    const g = t.grads[k] as TypedArray;
    const m = t.expAvgs[k] as TypedArray;
    const v = t.expAvgSqs[k] as TypedArray;
    const vMax = amsgrad && t.maxExpAvgSqs !== null ? t.maxExpAvgSqs[k] : undefined;
    const step = t.steps[k] as number;
    const stepSize = lr / (1 - beta1 ** step);
    const bias2Sqrt = Math.sqrt(1 - beta2 ** step);
    const n = p.length;
    if (vMax === undefined && l2 === 0) {
      adamPlain(p, g, m, v, decay, beta1, beta2, keep1, keep2, stepSize, bias2Sqrt, eps, sign);
      continue;
    }
    for (let i = 0; i < n; i++) {
      let gi = sign * (g[i] as number);
      if (decoupled) p[i] = (p[i] as number) * decay;
      else if (l2 !== 0) gi += l2 * (p[i] as number);
      m[i] = (m[i] as number) * beta1 + keep1 * gi;
      v[i] = (v[i] as number) * beta2 + keep2 * gi * gi;
      let second = v[i] as number;
      if (vMax !== undefined) {
        vMax[i] = Math.max(vMax[i] as number, second);
        second = vMax[i] as number;
      }
      const denom = Math.sqrt(second) / bias2Sqrt + eps;
      p[i] = (p[i] as number) + (-stepSize * (m[i] as number)) / denom;
    }
  }
}

export function rmspropStep(
  t: FusedParams & {
    readonly squareAvgs: readonly TypedArray[];
    readonly momentumBuffers: readonly TypedArray[] | null;
    readonly gradAvgs: readonly TypedArray[] | null;
  },
  { lr, alpha, eps, weightDecay, momentum, centered, maximize }: RmspropStepOptions,
): void {
  const sign = maximize ? -1 : 1;
  const keep = 1 - alpha;
  for (let k = 0; k < t.params.length; k++) {
    const p = t.params[k] as TypedArray;
    const g = t.grads[k] as TypedArray;
    const sq = t.squareAvgs[k] as TypedArray;
    const buf = momentum > 0 && t.momentumBuffers !== null ? t.momentumBuffers[k] : undefined;
    const avgG = centered && t.gradAvgs !== null ? t.gradAvgs[k] : undefined;
    const n = p.length;
    for (let i = 0; i < n; i++) {
      let gi = sign * (g[i] as number);
      if (weightDecay !== 0) gi += weightDecay * (p[i] as number);
      sq[i] = (sq[i] as number) * alpha + keep * gi * gi;
      let avg: number;
      if (avgG !== undefined) {
        avgG[i] = (avgG[i] as number) * alpha + keep * gi;
        avg = Math.sqrt((sq[i] as number) + -1 * (avgG[i] as number) * (avgG[i] as number));
      } else {
        avg = Math.sqrt(sq[i] as number);
      }
      avg += eps;
      if (buf !== undefined) {
        buf[i] = (buf[i] as number) * momentum + gi / avg;
        p[i] = (p[i] as number) + -lr * (buf[i] as number);
      } else {
        p[i] = (p[i] as number) + (-lr * gi) / avg;
      }
    }
  }
}

export function adagradStep(
  t: FusedParams & { readonly sums: readonly TypedArray[] },
  { lr, lrDecay, weightDecay, eps, maximize }: AdagradStepOptions,
): void {
  const sign = maximize ? -1 : 1;
  for (let k = 0; k < t.params.length; k++) {
    const p = t.params[k] as TypedArray;
    const g = t.grads[k] as TypedArray;
    const sum = t.sums[k] as TypedArray;
    const clr = lr / (1 + ((t.steps[k] as number) - 1) * lrDecay);
    const n = p.length;
    for (let i = 0; i < n; i++) {
      let gi = sign * (g[i] as number);
      if (weightDecay !== 0) gi += weightDecay * (p[i] as number);
      sum[i] = (sum[i] as number) + gi * gi;
      p[i] = (p[i] as number) + (-clr * gi) / (Math.sqrt(sum[i] as number) + eps);
    }
  }
}
