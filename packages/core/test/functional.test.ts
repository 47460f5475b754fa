/**
 * @file The functional API (jacobian, hessian, vjp, jvp, hvp, vhp) against PyTorch 1.13's
 * torch.autograd.functional (fixtures from scripts/fixtures/functional.py), in float64, and its
 * strict-mode errors, createGraph behaviour and argument checks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { grad, hessian, hvp, jacobian, jvp, type NestedArray, type Tensor, tensor, vhp, vjp } from '../src/index';
import { parseTorchJson } from './helpers/torch-json';

type Fn = (...xs: Tensor[]) => Tensor | Tensor[];
type Nested = Tensor | readonly Nested[];

interface Product {
  readonly v: NestedArray | NestedArray[];
  readonly result: NestedArray | NestedArray[];
}

interface FixtureCase {
  readonly name: string;
  readonly inputs: NestedArray | NestedArray[];
  readonly inputsAreList: boolean;
  readonly output: NestedArray | NestedArray[];
  readonly jacobian: NestedArray;
  readonly vjp: Product;
  readonly jvp: Product;
  readonly hessian?: NestedArray;
  readonly hvp?: Product;
  readonly vhp?: Product;
  readonly third?: NestedArray[];
}

const fixture = parseTorchJson(readFileSync(new URL('./fixtures/torch/functional.json', import.meta.url), 'utf8')) as {
  cases: FixtureCase[];
};

/** The optimgrad function of each PyTorch case, by name. */
const cases: Record<string, Fn> = {
  'tanh of a vector': (x) => x.tanh(),
  'matmul of two matrices': (a, b) => a.matmul(b),
  'softmax over the last dim of a 3-D tensor': (x) => x.softmax(-1),
  'logsumexp over dim 1': (x) => x.logsumexp(1),
  'two inputs, two outputs': (x, y) => [x.mul(y), x.tanh().sum()],
  'one input, two outputs': (x) => [x.matmul(x), x.logsumexp(0)],
  'an output independent of one input': (x) => x.tanh().mul(2),
  'tanh of matmul, summed': (w, x) => w.matmul(x).tanh().sum(),
  'logsumexp of a 3-D tensor': (x) => x.reshape(-1).logsumexp(0),
  'softmax entropy': (x) => x.softmax(0).mul(x.logSoftmax(0)).sum().neg(),
  'single element of shape [1, 1]': (x) => x.tanh().matmul(x).reshape(1, 1),
  'a cubic with an unused input': (x) => x.mul(x).mul(x).sum(),
};

const f64 = (data: NestedArray, requiresGrad = false) => tensor(data, { dtype: 'float64', requiresGrad });
/** The tensors of a fixture value: a list of them when the function takes (or returns) an array. */
const tensors = (data: NestedArray | NestedArray[], isList: boolean) =>
  isList ? (data as NestedArray[]).map((d) => f64(d)) : f64(data as NestedArray);

function expectClose(actual: Nested, expected: unknown, tolerance = { rtol: 1e-9, atol: 1e-12 }): void {
  if (Array.isArray(actual)) {
    expect(actual).toHaveLength((expected as unknown[]).length);
    actual.forEach((a, i) => {
      expectClose(a, (expected as unknown[])[i], tolerance);
    });
  } else expect(actual).toBeAllClose(expected, tolerance);
}

it('has an optimgrad function for every PyTorch case, and no extra ones', () => {
  expect(Object.keys(cases).sort()).toEqual(fixture.cases.map((c) => c.name).sort());
});

describe.each(fixture.cases)('PyTorch case "$name"', (c) => {
  const f = cases[c.name] as Fn;
  const inputs = () => tensors(c.inputs, c.inputsAreList);
  const list = inputs();
  const outputIsList = Array.isArray(f(...(Array.isArray(list) ? list : [list])));

  it('matches jacobian', () => {
    expectClose(jacobian(f, inputs()), c.jacobian);
  });

  it('matches jacobian in float32, within float32 rounding', () => {
    const data = c.inputsAreList ? (c.inputs as NestedArray[]) : [c.inputs as NestedArray];
    const xs = data.map((d) => tensor(d, { dtype: 'float32' }));
    expectClose(jacobian(f, c.inputsAreList ? xs : (xs[0] as Tensor)), c.jacobian, { rtol: 1e-4, atol: 1e-5 });
  });

  it('matches vjp and jvp, and returns the function value', () => {
    const [value, product] = vjp(f, inputs(), tensors(c.vjp.v, outputIsList));
    expectClose(value, c.output);
    expectClose(product, c.vjp.result);
    const [again, tangent] = jvp(f, inputs(), tensors(c.jvp.v, c.inputsAreList));
    expectClose(again, c.output);
    expectClose(tangent, c.jvp.result);
  });

  if (c.hessian === undefined) return;
  const scalar = f as (...xs: Tensor[]) => Tensor;

  it('matches hessian, hvp and vhp', () => {
    expectClose(hessian(scalar, inputs()), c.hessian);
    expectClose(hvp(scalar, inputs(), tensors(c.hvp?.v ?? [], c.inputsAreList))[1], c.hvp?.result);
    expectClose(vhp(scalar, inputs(), tensors(c.vhp?.v ?? [], c.inputsAreList))[1], c.vhp?.result);
  });

  it('matches a third derivative: grad of the sum of hessian with createGraph', () => {
    const data = c.inputsAreList ? (c.inputs as NestedArray[]) : [c.inputs as NestedArray];
    const leaves = data.map((d) => f64(d, true));
    const h = hessian(scalar, c.inputsAreList ? leaves : (leaves[0] as Tensor), { createGraph: true });
    const blocks: Tensor[] = Array.isArray(h) ? h.flat() : [h];
    const total = blocks.map((t) => t.sum()).reduce((a, b) => a.add(b));
    expectClose(
      grad(total, leaves, { allowUnused: true }).map((g, i) => g ?? (leaves[i] as Tensor).mul(0)),
      c.third,
    );
  });
});
