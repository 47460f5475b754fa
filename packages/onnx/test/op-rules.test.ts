/**
 * Every op of core's table alone: exported through its primitive rule, run in ONNX Runtime, compared with
 * optimgrad. The case table is typed over `OpName`, so an op added to core needs a case (or `null` with a
 * reason: those ops must stop the export with an error naming them).
 */
import { apply, manualSeed, type OpName, type OpParams, ops, randn, type Tensor, tensor } from '@optimgrad/core';
import { Linear, Module, Sequential } from '@optimgrad/nn';
import { describe, expect, it } from 'vitest';
import { decodeModel, exportOnnx } from '../src/index';
import { expectSameInOrt } from './ort';

interface OpCase<K extends OpName> {
  readonly inputs: () => Tensor[];
  readonly params: OpParams<K>;
}

/** An op with no mapping: why, and its inputs and parameters for a call that must be refused. */
interface Refused<K extends OpName> extends OpCase<K> {
  readonly refused: string;
}

interface Paramless {
  readonly inputs: () => Tensor[];
  readonly params: undefined;
}

const normal = (...shape: number[]): Tensor => randn(shape);
const positive = (...shape: number[]): Tensor => randn(shape).abs().add(0.5);
/** Values with repeats, so comparisons see equal elements too. */
const coarse = (...shape: number[]): Tensor => randn(shape).mul(2).round();
const unary = (make: () => Tensor = () => normal(2, 3)): Paramless => ({ inputs: () => [make()], params: undefined });
const binary = (make: () => Tensor = () => normal(2, 3)): Paramless => ({
  inputs: () => [make(), make().reshape(2, 3).sum(0, true).mul(0.5).add(make())],
  params: undefined,
});

const cases: { readonly [K in OpName]: OpCase<K> | Refused<K> } = {
  neg: unary(),
  exp: unary(),
  log: unary(() => positive(2, 3)),
  sqrt: unary(() => positive(2, 3)),
  abs: unary(),
  sin: unary(),
  cos: unary(),
  tanh: unary(),
  sigmoid: unary(),
  relu: unary(),
  reciprocal: unary(() => positive(2, 3)),
  square: unary(),
  log1p: unary(() => positive(2, 3)),
  expm1: unary(),
  erf: unary(),
  sign: unary(() => coarse(2, 3)),
  floor: unary(() => normal(2, 3).mul(3)),
  round: unary(() =>
    tensor([
      [0.5, 1.5, 2.5],
      [-0.5, -1.4, 3.7],
    ]),
  ),
  isfinite: unary(() =>
    tensor([
      [1, Infinity, -Infinity],
      [Number.NaN, 0, -2],
    ]),
  ),
  powScalar: { inputs: () => [positive(2, 3)], params: { exponent: 2.5 } },
  clamp: { inputs: () => [normal(2, 3)], params: { min: -0.5, max: 0.25 } },
  inRange: { inputs: () => [normal(2, 3)], params: { min: -0.5, max: 0.25 } },
  add: binary(),
  sub: binary(),
  mul: binary(),
  div: binary(() => positive(2, 3)),
  pow: { inputs: () => [positive(2, 3), normal(3)], params: undefined },
  maximum: binary(),
  minimum: binary(),
  eq: binary(() => coarse(2, 3)),
  ne: binary(() => coarse(2, 3)),
  gt: binary(() => coarse(2, 3)),
  ge: binary(() => coarse(2, 3)),
  lt: binary(() => coarse(2, 3)),
  le: binary(() => coarse(2, 3)),
  where: { inputs: () => [coarse(2, 3).gt(0), normal(2, 3), normal(3)], params: undefined },
  sum: { inputs: () => [normal(2, 3, 4)], params: { dims: [0, 2], keepdim: false } },
  max: { inputs: () => [normal(2, 3, 4)], params: { dims: [1], keepdim: true, indexed: true } },
  min: { inputs: () => [normal(2, 3, 4)], params: { dims: [0, 1, 2], keepdim: false, indexed: false } },
  argmax: { inputs: () => [normal(2, 3, 4)], params: { dims: [2], keepdim: false } },
  argmin: { inputs: () => [normal(2, 3, 4)], params: { dims: [1], keepdim: true } },
  matmul: { inputs: () => [normal(2, 3, 4), normal(4, 5)], params: undefined },
  reshape: { inputs: () => [normal(2, 3, 4)], params: { shape: [4, 6] } },
  permute: { inputs: () => [normal(2, 3, 4)], params: { dims: [2, 0, 1] } },
  expand: { inputs: () => [normal(3, 1)], params: { shape: [2, 3, 4] } },
  slice: { inputs: () => [normal(4, 7)], params: { dim: 1, start: 1, end: 6, step: 2 } },
  unslice: {
    refused: 'the adjoint of slice, made by backward, not by a forward pass',
    inputs: () => [normal(2, 3)],
    params: { dim: 0, start: 1, end: 3, step: 1, shape: [4, 3] },
  },
  clone: unary(),
  to: { inputs: () => [normal(2, 3)], params: { dtype: 'float64' } },
  indexSelect: { inputs: () => [normal(4, 3), tensor([3, 0, 0, 2])], params: { dim: 0 } },
  indexAdd: {
    refused: 'accumulating rows at run-time indices has no single ONNX op',
    inputs: () => [normal(3, 2), tensor([0, 0]), normal(2, 2)],
    params: { dim: 0 },
  },
  gather: {
    inputs: () => [
      normal(3, 4),
      tensor([
        [0, 3],
        [1, 1],
        [2, 0],
      ]),
    ],
    params: { dim: 1 },
  },
  scatterAdd: {
    inputs: () => [
      normal(3, 4),
      tensor([
        [0, 3, 3],
        [1, 1, 0],
      ]),
      normal(2, 3),
    ],
    params: { dim: 1 },
  },
  cat: { inputs: () => [normal(2, 3), normal(1, 3), normal(4, 3)], params: { dim: 0 } },
  asStrided: {
    refused: 'an arbitrary strided view of storage (what in-place writes into views record)',
    inputs: () => [normal(2, 3)],
    params: { shape: [2, 2], strides: [1, 2], offset: 1 },
  },
  viewScatter: {
    refused: 'an in-place write into a view',
    inputs: () => [normal(2, 3), normal(2)],
    params: { shape: [2], strides: [3], offset: 1 },
  },
};

/** A module applying one op of the table to its inputs. */
class OpModule extends Module {
  constructor(readonly run: (inputs: readonly Tensor[]) => Tensor) {
    super();
  }
  override forward(...inputs: Tensor[]): Tensor {
    return this.run(inputs);
  }
}

/** A model holding an OpModule as `inner`, so errors name a module path. */
class Outer extends Module {
  readonly inner: OpModule;
  constructor(run: (inputs: readonly Tensor[]) => Tensor) {
    super();
    this.inner = this.registerModule('inner', new OpModule(run));
  }
  override forward(...inputs: Tensor[]): Tensor {
    return this.inner.call(...inputs);
  }
}

function applyOp<K extends OpName>(name: K, params: OpParams<K>): (inputs: readonly Tensor[]) => Tensor {
  const table: { readonly [P in OpName]: (typeof ops)[P] } = ops;
  return (inputs) => apply(table[name] as Parameters<typeof apply>[0], inputs, params);
}

describe('each core op alone in ONNX Runtime', () => {
  for (const name of Object.keys(ops) as OpName[]) {
    const spec = cases[name] as OpCase<OpName> | Refused<OpName>;
    if ('refused' in spec) {
      it(`refuses ${name} (${spec.refused}), naming it`, () => {
        const model = new Outer(applyOp(name, spec.params));
        expect(() => exportOnnx(model, spec.inputs())).toThrow(
          `op '${name}' in module 'inner' (OpModule) has no ONNX mapping`,
        );
      });
      continue;
    }
    it(`exports ${name}`, async () => {
      manualSeed(name.length * 31 + name.charCodeAt(0));
      const inputs = spec.inputs();
      const model = new OpModule(applyOp(name, spec.params));
      // Run on fresh values: an op missing from the trace would be a frozen constant and fail here.
      const bytes = await expectSameInOrt(model, inputs, {}, spec.inputs());
      expect((decodeModel(bytes).graph as { node: unknown[] }).node.length).toBeGreaterThan(1);
    });
  }
});

describe('ops with no mapping', () => {
  it('names the op and the module that ran it', () => {
    class Accumulate extends Module {
      override forward(x: Tensor): Tensor {
        return x.indexAdd(0, tensor([0, 0]), x.narrow(0, 0, 2));
      }
    }
    const model = new Sequential(new Linear(3, 3), new Accumulate());
    expect(() => exportOnnx(model, randn([4, 3]))).toThrow(
      "exportOnnx: op 'indexAdd' in module '1' (Accumulate) has no ONNX mapping",
    );
  });
});
