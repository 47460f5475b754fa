/** @file Element-wise kernels on contiguous buffers: one tight loop per kind, the switch outside it. */

import type { TypedArray } from '../../dtype';
import type { UnaryKind } from '../backend';
import { erf } from './erf';

export function unary(kind: UnaryKind, x: TypedArray, out: TypedArray, p0: number, p1: number): void {
  const n = out.length;
  switch (kind) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -(x[i] as number);
      return;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i] as number);
      return;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i] as number);
      return;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i] as number);
      return;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i] as number);
      return;
    case 'sin':
      for (let i = 0; i < n; i++) out[i] = Math.sin(x[i] as number);
      return;
    case 'cos':
      for (let i = 0; i < n; i++) out[i] = Math.cos(x[i] as number);
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i] as number);
      return;
    case 'sigmoid':
      // Two branches keep exp's argument non-positive, so neither overflows.
      for (let i = 0; i < n; i++) {
        const v = x[i] as number;
        if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
        else {
          const e = Math.exp(v);
          out[i] = e / (1 + e);
        }
      }
      return;
    case 'relu':
      for (let i = 0; i < n; i++) {
        const v = x[i] as number;
        out[i] = Math.max(v, 0); // NaN stays NaN, as in torch.relu
      }
      return;
    case 'reciprocal':
      for (let i = 0; i < n; i++) out[i] = 1 / (x[i] as number);
      return;
    case 'square':
      for (let i = 0; i < n; i++) {
        const v = x[i] as number;
        out[i] = v * v;
      }
      return;
    case 'log1p':
      for (let i = 0; i < n; i++) out[i] = Math.log1p(x[i] as number);
      return;
    case 'expm1':
      for (let i = 0; i < n; i++) out[i] = Math.expm1(x[i] as number);
      return;
    case 'erf':
      for (let i = 0; i < n; i++) out[i] = erf(x[i] as number);
      return;
    case 'sign':
      for (let i = 0; i < n; i++) {
        const v = x[i] as number;
        out[i] = v > 0 ? 1 : v < 0 ? -1 : 0; // torch.sign: 0 for NaN and for -0
      }
      return;
    case 'floor':
      for (let i = 0; i < n; i++) out[i] = Math.floor(x[i] as number);
      return;
    case 'round':
      // Round half to even, as torch.round does.
      for (let i = 0; i < n; i++) {
        const v = x[i] as number;
        const r = Math.round(v);
        out[i] = Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
      }
      return;
    case 'isfinite':
      for (let i = 0; i < n; i++) out[i] = Number.isFinite(x[i] as number) ? 1 : 0;
      return;
    case 'powScalar':
      if (p0 === 2)
        for (let i = 0; i < n; i++) {
          const v = x[i] as number;
          out[i] = v * v;
        }
      else if (p0 === 1) out.set(x);
      else if (p0 === 0.5) for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i] as number);
      else for (let i = 0; i < n; i++) out[i] = (x[i] as number) ** p0;
      return;
    case 'clamp': {
      for (let i = 0; i < n; i++) {
        const v = x[i] as number;
        // min(max(x, lo), hi) as torch.clamp: NaN (in x or a bound) passes through; every element becomes hi when lo > hi.
        out[i] = Math.min(Math.max(v, p0), p1);
      }
      return;
    }
    case 'inRange': {
      const lo = p0;
      const hi = p1;
      for (let i = 0; i < n; i++) {
        const v = x[i] as number;
        out[i] = v >= lo && v <= hi ? 1 : 0;
      }
      return;
    }
    default:
      kind satisfies never;
  }
}
