/**
 * @file The wasm backend's fused optimizer steps: SGD (plain, with weight decay, and momentum after the
 * first step) and Adam/AdamW without amsgrad or L2 decay, per float32 parameter; the other cases (first
 * momentum step, Nesterov, amsgrad, float64) go to the fallback one parameter at a time. The kernels
 * compute in float64 lanes in the cpu kernels' order, so the results are the same bits.
 */
import type { TypedArray } from '../../dtype';
import type { AdamStepOptions, Backend, SgdStepOptions } from '../backend';
import type { WasmKernels } from './loader';

type SgdTensors = Parameters<Backend['sgdStep']>[0];
type AdamTensors = Parameters<Backend['adamStep']>[0];

/** Copies `buffers` in, runs `kernel` on their addresses, copies `written` of them back; false when memory is short. */
function withBuffers(
  k: WasmKernels,
  buffers: readonly Float32Array[],
  written: number,
  kernel: (pointers: number[]) => void,
): boolean {
  const n = (buffers[0] as Float32Array).length;
  k.reset();
  const pointers = buffers.map(() => k.alloc(n));
  if ((pointers[pointers.length - 1] as number) < 0) return false;
  buffers.forEach((b, i) => {
    k.f32(pointers[i] as number, n).set(b);
  });
  kernel(pointers);
  for (let i = 0; i < written; i++) (buffers[i] as Float32Array).set(k.f32(pointers[i] as number, n));
  return true;
}

function float32(list: readonly (TypedArray | undefined)[]): list is Float32Array[] {
  return list.every((b) => b instanceof Float32Array);
}

export function sgdStep(k: WasmKernels, fallback: Backend, t: SgdTensors, options: SgdStepOptions): void {
  const { lr, momentum, dampening, weightDecay, nesterov, maximize } = options;
  const sign = maximize ? -1 : 1;
  for (let i = 0; i < t.params.length; i++) {
    const p = t.params[i];
    const g = t.grads[i];
    const buf = t.momentumBuffers === null ? undefined : t.momentumBuffers[i];
    const n = p?.length ?? 0;
    let done = false;
    if (n > 0 && float32([p, g])) {
      const pf = p as Float32Array;
      const gf = g as Float32Array;
      if (momentum === 0 || buf === undefined) {
        done = withBuffers(k, [pf, gf], 1, ([pp, pg]) =>
          k.exports.sgdPlainF32(pp as number, pg as number, n, lr, weightDecay, sign),
        );
      } else if (t.fresh[i] !== true && !nesterov && weightDecay === 0 && buf instanceof Float32Array) {
        done = withBuffers(k, [pf, buf, gf], 2, ([pp, pb, pg]) =>
          k.exports.sgdMomentumF32(pp as number, pg as number, pb as number, n, lr, momentum, 1 - dampening, sign),
        );
      }
    }
    if (!done) {
      fallback.sgdStep(
        {
          params: [p as TypedArray],
          grads: [g as TypedArray],
          steps: [t.steps[i] as number],
          momentumBuffers: buf === undefined ? null : [buf],
          fresh: [t.fresh[i] === true],
        },
        options,
      );
    }
  }
}

export function adamStep(k: WasmKernels, fallback: Backend, t: AdamTensors, options: AdamStepOptions): void {
  const { lr, beta1, beta2, eps, weightDecay, decoupled, amsgrad, maximize } = options;
  const sign = maximize ? -1 : 1;
  const decay = decoupled ? 1 - lr * weightDecay : 1;
  const l2 = decoupled ? 0 : weightDecay;
  for (let i = 0; i < t.params.length; i++) {
    const p = t.params[i];
    const g = t.grads[i];
    const m = t.expAvgs[i];
    const v = t.expAvgSqs[i];
    const step = t.steps[i] as number;
    const n = p?.length ?? 0;
    let done = false;
    if (n > 0 && !amsgrad && l2 === 0 && float32([p, g, m, v])) {
      const stepSize = lr / (1 - beta1 ** step);
      const bias2Sqrt = Math.sqrt(1 - beta2 ** step);
      done = withBuffers(k, [p as Float32Array, m as Float32Array, v as Float32Array, g as Float32Array], 3, (ptr) =>
        k.exports.adamPlainF32(
          ptr[0] as number,
          ptr[3] as number,
          ptr[1] as number,
          ptr[2] as number,
          n,
          decay,
          beta1,
          beta2,
          1 - beta1,
          1 - beta2,
          stepSize,
          bias2Sqrt,
          eps,
          sign,
        ),
      );
    }
    if (!done) {
      const vMax = t.maxExpAvgSqs === null ? undefined : t.maxExpAvgSqs[i];
      fallback.adamStep(
        {
          params: [p as TypedArray],
          grads: [g as TypedArray],
          steps: [step],
          expAvgs: [m as TypedArray],
          expAvgSqs: [v as TypedArray],
          maxExpAvgSqs: vMax === undefined ? null : [vMax],
        },
        options,
      );
    }
  }
}
