/**
 * @file Every op and composite against PyTorch 1.13 (fixtures from scripts/fixtures/core.py):
 * forward values, gradients for a random upstream gradient, and Hessian-vector products, in
 * float64 (rtol 1e-9) and float32 (rtol 1e-4).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type DType, grad, type NestedArray, type Tensor, tensor, zerosLike } from '../src/index';
import { parseTorchJson } from './helpers/torch-json';
import { torchCases } from './torch-cases';

interface Run {
  readonly output: NestedArray;
  readonly upstream?: NestedArray;
  readonly grads?: NestedArray[];
  readonly vectors?: NestedArray[];
  readonly hvp?: NestedArray[];
}

interface FixtureCase {
  readonly name: string;
  readonly inputs: NestedArray[];
  readonly requiresGrad: boolean[];
  readonly aux: NestedArray[];
  readonly float64: Run;
  readonly float32: Run;
}

const fixture = parseTorchJson(readFileSync(new URL('./fixtures/torch/ops.json', import.meta.url), 'utf8')) as {
  cases: FixtureCase[];
};

const tolerance = {
  float64: { rtol: 1e-9, atol: 1e-12 },
  float32: { rtol: 1e-4, atol: 1e-5 },
};

it('has an optimgrad function for every PyTorch case, and no extra ones', () => {
  expect(Object.keys(torchCases).sort()).toEqual(fixture.cases.map((c) => c.name).sort());
});

describe.each(fixture.cases)('PyTorch case "$name"', (c) => {
  const fn = torchCases[c.name];
  it.each(['float64', 'float32'] as const)('matches forward, gradient and Hessian-vector product in %s', (dtype) => {
    if (fn === undefined) throw new Error(`no optimgrad function for case ${c.name}`);
    const run = c[dtype];
    const opts = tolerance[dtype];
    const make = (data: NestedArray, requiresGrad = false, type: DType = dtype) =>
      tensor(data, { dtype: type, requiresGrad });
    const inputs = c.inputs.map((x, i) => make(x, c.requiresGrad[i]));
    const aux = c.aux.map((a) => make(a, false, 'float64'));
    const out = fn(inputs, aux);
    expect(out.dtype).toBe(dtype);
    expect(out).toBeAllClose(run.output, opts);
    if (run.upstream === undefined) {
      expect(out.requiresGrad).toBe(false);
      return;
    }
    const differentiated = inputs.filter((_, i) => c.requiresGrad[i]);
    const grads = grad(out, differentiated, {
      gradOutputs: [make(run.upstream)],
      createGraph: true,
      allowUnused: true,
    });
    grads.forEach((g, i) => {
      expect(g ?? zerosLike(differentiated[i] as Tensor)).toBeAllClose(run.grads?.[i], opts);
    });
    if (run.vectors === undefined) return;
    const vectors = run.vectors.map((v) => make(v));
    const terms = grads.map((g, i) => (g === null ? null : g.mul(vectors[i] as Tensor).sum()));
    const live = terms.filter((t): t is Tensor => t?.requiresGrad === true);
    const second =
      live.length === 0
        ? differentiated.map(() => null)
        : grad(
            live.reduce((a, b) => a.add(b)),
            differentiated,
            { allowUnused: true },
          );
    second.forEach((h, i) => {
      expect(h ?? zerosLike(differentiated[i] as Tensor)).toBeAllClose(run.hvp?.[i], opts);
    });
  });
});
