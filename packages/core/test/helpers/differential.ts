/**
 * @file Replaying the differential suite's cases (scripts/fixtures/differential.py): inputs made as the script
 * made them, the output, the gradients and the float64 second derivatives compared with PyTorch's. Shared by
 * core's and nn's differential tests.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { type DType, grad, type Tensor, tensor } from '../../src/index';
import { parseTorchJson } from './torch-json';

type View = null | { permute: number[] } | { slice: number } | { expand: number[] };

export interface CaseInput {
  readonly shape: number[];
  readonly base: number[];
  readonly view: View;
  readonly data: number[];
  readonly grad: boolean;
}

export type Params = Record<string, unknown>;

export interface DifferentialCase {
  readonly id: string;
  readonly op: string;
  readonly dtype: DType;
  readonly params: Params;
  readonly inputs: CaseInput[];
  readonly shape: number[];
  readonly out: number[];
  readonly upstream?: number[];
  readonly grads?: number[][];
  readonly vectors?: number[][];
  readonly hvp?: number[][];
}

/** The cases of a differential fixture file. */
export function readCases(url: URL): DifferentialCase[] {
  return (parseTorchJson(readFileSync(url, 'utf8')) as { cases: DifferentialCase[] }).cases;
}

/** The base tensor (a leaf) and the op's argument made from it, as the fixture script made them. */
export function makeInput(input: CaseInput, dtype: DType): { base: Tensor; arg: Tensor } {
  const base = tensor(Float64Array.from(input.data), { dtype, shape: input.base, requiresGrad: input.grad });
  const view = input.view;
  if (view === null) return { base, arg: base };
  if ('permute' in view) return { base, arg: base.permute(view.permute) };
  if ('slice' in view) {
    const d = view.slice;
    const n = input.shape[d] as number;
    return { base, arg: base.slice(d, 1, 1 + 2 * n, 2) };
  }
  return { base, arg: base.expand(input.shape) };
}

const tolerance = { float64: { rtol: 1e-8, atol: 1e-10 }, float32: { rtol: 2e-4, atol: 2e-5 } };

export function expectClose(actual: Tensor, expected: readonly number[], dtype: DType, what: string): void {
  const { rtol, atol } = tolerance[dtype];
  const got = actual.data;
  expect(got.length, `${what}: element count`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    const g = got[i] as number;
    if (Number.isNaN(e)) {
      expect(g, `${what}[${i}]`).toBeNaN();
      continue;
    }
    if (!(Math.abs(g - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`${what}[${i}]: got ${g}, PyTorch ${e} (rtol ${rtol}, atol ${atol})`);
    }
  }
}

/** Runs `fn` on the case's inputs and compares output, gradients and second derivatives with PyTorch's. */
export function replay(c: DifferentialCase, fn: (args: Tensor[], params: Params) => Tensor): void {
  const made = c.inputs.map((input) => makeInput(input, c.dtype));
  const out = fn(
    made.map((m) => m.arg),
    c.params,
  );
  expect(out.shape).toEqual(c.shape);
  expect(out.dtype).toBe(c.dtype);
  expectClose(out, c.out, c.dtype, 'output');
  if (c.upstream === undefined || c.grads === undefined) return;
  const wrt = made.filter((_m, i) => c.inputs[i]?.grad).map((m) => m.base);
  const g = tensor(Float64Array.from(c.upstream), { dtype: c.dtype, shape: c.shape });
  const createGraph = c.dtype === 'float64';
  const grads = grad([out], wrt, { gradOutputs: [g], createGraph, allowUnused: true });
  grads.forEach((gi, i) => {
    const base = wrt[i] as Tensor;
    expectClose(gi ?? base.newZeros(base.shape), c.grads?.[i] ?? [], c.dtype, `gradient ${i}`);
  });
  if (c.hvp === undefined || c.vectors === undefined) return;
  let total: Tensor | null = null;
  grads.forEach((gi, i) => {
    if (gi === null || !gi.requiresGrad) return;
    const v = tensor(Float64Array.from(c.vectors?.[i] ?? []), { dtype: 'float64', shape: gi.shape });
    const term = gi.mul(v).sum();
    total = total === null ? term : total.add(term);
  });
  const second: (Tensor | null)[] =
    total !== null && (total as Tensor).requiresGrad ? grad([total], wrt, { allowUnused: true }) : wrt.map(() => null);
  second.forEach((si, i) => {
    const base = wrt[i] as Tensor;
    expectClose(si ?? base.newZeros(base.shape), c.hvp?.[i] ?? [], c.dtype, `second derivative ${i}`);
  });
}
