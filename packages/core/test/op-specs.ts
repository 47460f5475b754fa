/**
 * @file One spec per primitive op, typed `{ [K in OpName]: OpSpec }` so that adding an op to
 * `ops` without a spec here is a compile error. Each case builds float64 inputs and a function
 * that applies the op (on 0-d, size-1, broadcast and view inputs); `ops.test.ts` runs gradcheck,
 * gradgradcheck and the element-wise references over them.
 */
import { apply, type OpName, ops, type Tensor } from '../src/index';
import { indices, type SampleOptions, sample } from './helpers/sample';

export interface OpCase {
  readonly name: string;
  /** Fresh inputs; those with requiresGrad are checked. */
  readonly inputs: () => Tensor[];
  /** Applies the op (possibly to views of the inputs). */
  readonly fn: (...inputs: Tensor[]) => Tensor;
}

export interface OpSpec {
  /** Must equal the op's `differentiable` flag. */
  readonly differentiable: boolean;
  /** Run gradgradcheck too (second derivatives exist, possibly zero). */
  readonly secondOrder: boolean;
  /** For element-wise ops: the scalar function, checked against the kernel over broadcast shapes. */
  readonly scalar?: (...values: number[]) => number;
  /** Domain of every input for the element-wise reference check. */
  readonly domain?: SampleOptions;
  readonly cases: readonly OpCase[];
}

type Unary = (x: Tensor) => Tensor;

/** The same unary op on 0-d, size-1, plain and view (transposed, strided, expanded) inputs. */
function unaryCases(f: Unary, domain: SampleOptions = {}): OpCase[] {
  return [
    { name: '0-d', inputs: () => [sample([], domain)], fn: f },
    { name: 'size-1 dims', inputs: () => [sample([1, 1], domain)], fn: f },
    { name: 'matrix', inputs: () => [sample([2, 3], domain)], fn: f },
    { name: 'transposed view', inputs: () => [sample([3, 2], domain)], fn: (x) => f(x.T) },
    { name: 'strided slice view', inputs: () => [sample([2, 5], domain)], fn: (x) => f(x.slice(1, 0, 5, 2)) },
    { name: 'expanded view', inputs: () => [sample([1, 3], domain)], fn: (x) => f(x.expand(2, 3)) },
  ];
}

function unary(name: OpName, domain: SampleOptions, scalar: (x: number) => number, secondOrder = true): OpSpec {
  const op = ops[name];
  const f: Unary = (x) => apply(op as typeof ops.neg, [x], undefined);
  return { differentiable: true, secondOrder, scalar, domain, cases: unaryCases(f, domain) };
}

function constant(name: OpName, scalar: (x: number) => number): OpSpec {
  const f: Unary = (x) => apply(ops[name] as typeof ops.neg, [x], undefined);
  return { differentiable: false, secondOrder: false, scalar, cases: unaryCases(f) };
}

type Binary = (a: Tensor, b: Tensor) => Tensor;

/** A binary op over equal, broadcast, 0-d, size-1 and view inputs. */
function binaryCases(f: Binary, da: SampleOptions, db: SampleOptions): OpCase[] {
  const pair = (sa: number[], sb: number[]) => () => [sample(sa, da), sample(sb, db)];
  return [
    { name: 'same shape', inputs: pair([2, 3], [2, 3]), fn: f },
    { name: 'broadcast trailing', inputs: pair([2, 3], [3]), fn: f },
    { name: 'broadcast both ways', inputs: pair([2, 1], [1, 3]), fn: f },
    { name: '0-d with matrix', inputs: pair([], [2, 2]), fn: f },
    { name: '0-d with 0-d', inputs: pair([], []), fn: f },
    { name: 'size-1 with column', inputs: pair([1], [2, 1]), fn: f },
    { name: 'transposed and sliced views', inputs: pair([3, 2], [2, 6]), fn: (a, b) => f(a.T, b.slice(1, 1, 6, 2)) },
    { name: 'expanded views', inputs: pair([1, 3], [2, 1]), fn: (a, b) => f(a.expand(2, 3), b.expand(2, 3)) },
  ];
}

function binary(
  name: OpName,
  da: SampleOptions,
  db: SampleOptions,
  scalar: (a: number, b: number) => number,
  differentiable = true,
): OpSpec {
  const f: Binary = (a, b) => apply(ops[name] as typeof ops.add, [a, b], undefined);
  return {
    differentiable,
    secondOrder: differentiable,
    scalar,
    domain: da,
    cases: binaryCases(f, da, db),
  };
}

/** max/minimum: |a| > 0.55 and |b| <= 0.5, so finite differences never cross the kink a = b. */
function extremumPairCases(f: Binary): OpCase[] {
  const outer: SampleOptions = { avoid: Array.from({ length: 21 }, (_, i) => -0.5 + i * 0.05) };
  const inner: SampleOptions = { lo: -0.5, hi: 0.5 };
  return [
    { name: 'same shape', inputs: () => [sample([2, 3], outer), sample([2, 3], inner)], fn: f },
    { name: 'broadcast 0-d', inputs: () => [sample([2, 3], outer), sample([], inner)], fn: f },
    { name: 'transposed view', inputs: () => [sample([3, 2], inner), sample([2, 3], outer)], fn: (a, b) => f(a.T, b) },
  ];
}

const positive: SampleOptions = { lo: 0.5, hi: 2 };
const awayFromZero: SampleOptions = { avoid: [0] };
const reduceSum = (dims: number[], keepdim: boolean) => (x: Tensor) => apply(ops.sum, [x], { dims, keepdim });

function extremum(name: 'max' | 'min'): OpSpec {
  const op = ops[name];
  const f = (dims: number[], keepdim: boolean, indexed: boolean) => (x: Tensor) =>
    apply(op, [x], { dims, keepdim, indexed });
  return {
    differentiable: true,
    secondOrder: true,
    cases: [
      { name: 'all elements', inputs: () => [sample([2, 3])], fn: f([0, 1], false, false) },
      { name: 'one dim, indexed', inputs: () => [sample([2, 3])], fn: f([1], false, true) },
      { name: 'one dim keepdim', inputs: () => [sample([2, 3])], fn: f([0], true, true) },
      { name: 'non-adjacent dims', inputs: () => [sample([2, 3, 2])], fn: f([0, 2], false, false) },
      { name: '0-d', inputs: () => [sample([])], fn: f([], false, false) },
      { name: '0-d along dim 0', inputs: () => [sample([])], fn: (x) => x[name](0) },
      { name: 'transposed view', inputs: () => [sample([3, 2])], fn: (x) => f([1], false, true)(x.T) },
    ],
  };
}

function argExtremum(name: 'argmax' | 'argmin'): OpSpec {
  return {
    differentiable: false,
    secondOrder: false,
    cases: [
      {
        name: 'one dim',
        inputs: () => [sample([2, 3])],
        fn: (x) => apply(ops[name], [x], { dims: [1], keepdim: false }),
      },
    ],
  };
}

export const specs: { [K in OpName]: OpSpec } = {
  neg: unary('neg', {}, (x) => -x),
  exp: unary('exp', {}, Math.exp),
  log: unary('log', positive, Math.log),
  sqrt: unary('sqrt', positive, Math.sqrt),
  abs: unary('abs', awayFromZero, Math.abs),
  sin: unary('sin', { lo: -3, hi: 3 }, Math.sin),
  cos: unary('cos', { lo: -3, hi: 3 }, Math.cos),
  tanh: unary('tanh', { lo: -2, hi: 2 }, Math.tanh),
  sigmoid: unary('sigmoid', { lo: -3, hi: 3 }, (x) => 1 / (1 + Math.exp(-x))),
  relu: unary('relu', awayFromZero, (x) => Math.max(x, 0)),
  reciprocal: unary('reciprocal', positive, (x) => 1 / x),
  square: unary('square', {}, (x) => x * x),
  log1p: unary('log1p', { lo: -0.5, hi: 2 }, Math.log1p),
  expm1: unary('expm1', {}, Math.expm1),
  erf: unary('erf', { lo: -2, hi: 2 }, (x) => {
    // A slow but independent reference: the Maclaurin series of erf, fine for |x| <= 2.
    let term = x;
    let total = x;
    for (let n = 1; n < 60; n++) {
      term *= (-x * x) / n;
      total += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * total;
  }),
  // Step functions: a zero gradient flows (PyTorch), checked away from the jumps.
  sign: unary('sign', { avoid: [0] }, Math.sign, false),
  floor: unary('floor', { lo: -2, hi: 2, avoid: [-2, -1, 0, 1, 2] }, Math.floor, false),
  round: unary(
    'round',
    { lo: -2, hi: 2, avoid: [-1.5, -0.5, 0.5, 1.5] },
    (x) => {
      const r = Math.round(x);
      return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
    },
    false,
  ),
  isfinite: constant('isfinite', (x) => (Number.isFinite(x) ? 1 : 0)),
  powScalar: {
    differentiable: true,
    secondOrder: true,
    scalar: (x) => x ** 3,
    domain: {},
    cases: [
      ...unaryCases((x) => apply(ops.powScalar, [x], { exponent: 3 })),
      { name: 'fractional exponent', inputs: () => [sample([2, 2], positive)], fn: (x) => x.pow(2.5) },
      { name: 'negative exponent', inputs: () => [sample([3], positive)], fn: (x) => x.pow(-1.5) },
      { name: 'exponent 0', inputs: () => [sample([3])], fn: (x) => x.pow(0) },
      { name: 'exponent 1', inputs: () => [sample([3])], fn: (x) => x.pow(1) },
    ],
  },
  clamp: {
    differentiable: true,
    secondOrder: true,
    scalar: (x) => Math.min(Math.max(x, -0.5), 0.5),
    domain: { avoid: [-0.5, 0.5] },
    cases: [
      ...unaryCases((x) => apply(ops.clamp, [x], { min: -0.5, max: 0.5 }), { avoid: [-0.5, 0.5] }),
      { name: 'min only', inputs: () => [sample([4], { avoid: [0] })], fn: (x) => x.clamp(0) },
      { name: 'max only', inputs: () => [sample([4], { avoid: [0] })], fn: (x) => x.clamp(null, 0) },
    ],
  },
  inRange: {
    differentiable: false,
    secondOrder: false,
    scalar: (x) => (x >= -0.5 && x <= 0.5 ? 1 : 0),
    cases: unaryCases((x) => apply(ops.inRange, [x], { min: -0.5, max: 0.5 })),
  },
  add: binary('add', {}, {}, (a, b) => a + b),
  sub: binary('sub', {}, {}, (a, b) => a - b),
  mul: binary('mul', {}, {}, (a, b) => a * b),
  div: binary('div', {}, positive, (a, b) => a / b),
  pow: binary('pow', positive, { lo: -2, hi: 2 }, (a, b) => a ** b),
  maximum: {
    differentiable: true,
    secondOrder: true,
    cases: extremumPairCases((a, b) => apply(ops.maximum, [a, b], undefined)),
  },
  minimum: {
    differentiable: true,
    secondOrder: true,
    cases: extremumPairCases((a, b) => apply(ops.minimum, [a, b], undefined)),
  },
  eq: binary('eq', {}, {}, (a, b) => (a === b ? 1 : 0), false),
  ne: binary('ne', {}, {}, (a, b) => (a !== b ? 1 : 0), false),
  gt: binary('gt', {}, {}, (a, b) => (a > b ? 1 : 0), false),
  ge: binary('ge', {}, {}, (a, b) => (a >= b ? 1 : 0), false),
  lt: binary('lt', {}, {}, (a, b) => (a < b ? 1 : 0), false),
  le: binary('le', {}, {}, (a, b) => (a <= b ? 1 : 0), false),
  where: {
    differentiable: true,
    secondOrder: true,
    cases: [
      {
        name: 'broadcast condition',
        inputs: () => [sample([2, 3]), sample([3])],
        fn: (a, b) => apply(ops.where, [indices([1, 0, 1]), a, b], undefined),
      },
      {
        name: '0-d branch and column condition',
        inputs: () => [sample([]), sample([2, 2])],
        fn: (a, b) => apply(ops.where, [indices([0, 1], [2, 1]), a, b], undefined),
      },
      {
        name: 'transposed view',
        inputs: () => [sample([3, 2]), sample([2, 3])],
        fn: (a, b) => apply(ops.where, [b.detach().gt(0), a.T, b], undefined),
      },
    ],
  },
  sum: {
    differentiable: true,
    secondOrder: true,
    cases: [
      { name: 'all elements', inputs: () => [sample([2, 3])], fn: reduceSum([0, 1], false) },
      { name: 'one dim keepdim', inputs: () => [sample([2, 3])], fn: reduceSum([1], true) },
      { name: 'non-adjacent dims', inputs: () => [sample([2, 3, 2])], fn: reduceSum([0, 2], false) },
      { name: '0-d', inputs: () => [sample([])], fn: reduceSum([], false) },
      { name: 'no dims of a matrix', inputs: () => [sample([2, 2])], fn: reduceSum([], false) },
      { name: 'expanded view', inputs: () => [sample([3, 1])], fn: (x) => reduceSum([0], false)(x.expand(3, 4)) },
    ],
  },
  max: extremum('max'),
  min: extremum('min'),
  argmax: argExtremum('argmax'),
  argmin: argExtremum('argmin'),
  matmul: {
    differentiable: true,
    secondOrder: true,
    cases: [
      { name: 'matrix by matrix', inputs: () => [sample([2, 3]), sample([3, 4])], fn: (a, b) => a.matmul(b) },
      { name: 'vector by matrix', inputs: () => [sample([3]), sample([3, 2])], fn: (a, b) => a.matmul(b) },
      { name: 'matrix by vector', inputs: () => [sample([2, 3]), sample([3])], fn: (a, b) => a.matmul(b) },
      { name: 'vector by vector', inputs: () => [sample([3]), sample([3])], fn: (a, b) => a.matmul(b) },
      { name: 'batched', inputs: () => [sample([2, 2, 3]), sample([2, 3, 2])], fn: (a, b) => a.matmul(b) },
      { name: 'broadcast batch', inputs: () => [sample([2, 1, 2, 3]), sample([3, 3, 2])], fn: (a, b) => a.matmul(b) },
      { name: 'batch by matrix', inputs: () => [sample([2, 2, 3]), sample([3, 2])], fn: (a, b) => a.matmul(b) },
      { name: 'transposed views', inputs: () => [sample([3, 2]), sample([4, 3])], fn: (a, b) => a.T.matmul(b.T) },
    ],
  },
  reshape: {
    differentiable: true,
    secondOrder: true,
    cases: [
      { name: 'matrix to vector', inputs: () => [sample([2, 3])], fn: (x) => apply(ops.reshape, [x], { shape: [6] }) },
      { name: '0-d to [1, 1]', inputs: () => [sample([])], fn: (x) => x.reshape(1, 1).mul(2) },
      { name: 'inferred dim', inputs: () => [sample([2, 3, 2])], fn: (x) => x.reshape(-1, 4).mul(2) },
      { name: 'transposed input (copies)', inputs: () => [sample([3, 2])], fn: (x) => x.T.reshape(6).mul(2) },
    ],
  },
  permute: {
    differentiable: true,
    secondOrder: true,
    cases: [
      {
        name: '3-d',
        inputs: () => [sample([2, 3, 2])],
        fn: (x) => apply(ops.permute, [x], { dims: [2, 0, 1] }).mul(2),
      },
      { name: 'transpose', inputs: () => [sample([2, 3])], fn: (x) => x.transpose(0, 1).mul(2) },
    ],
  },
  expand: {
    differentiable: true,
    secondOrder: true,
    cases: [
      {
        name: '0-d to matrix',
        inputs: () => [sample([])],
        fn: (x) => apply(ops.expand, [x], { shape: [2, 3] }).mul(2),
      },
      { name: 'size-1 middle dim', inputs: () => [sample([2, 1, 3])], fn: (x) => x.expand(4, 2, 2, 3).mul(2) },
      { name: 'column', inputs: () => [sample([3, 1])], fn: (x) => x.expand(-1, 4).mul(2) },
    ],
  },
  slice: {
    differentiable: true,
    secondOrder: true,
    cases: [
      {
        name: 'with step',
        inputs: () => [sample([7, 2])],
        fn: (x) => apply(ops.slice, [x], { dim: 0, start: 1, end: 7, step: 2 }).mul(2),
      },
      { name: 'negative start', inputs: () => [sample([2, 5])], fn: (x) => x.slice(-1, -3).mul(2) },
      {
        name: 'slice of a slice',
        inputs: () => [sample([9])],
        fn: (x) => x.slice(0, 1, 8, 2).slice(0, 1, 4, 2).mul(2),
      },
      { name: 'of a transposed view', inputs: () => [sample([4, 3])], fn: (x) => x.T.slice(1, 0, 4, 3).mul(2) },
    ],
  },
  unslice: {
    differentiable: true,
    secondOrder: true,
    cases: [
      {
        name: 'into a larger zero tensor',
        inputs: () => [sample([2, 3])],
        fn: (x) => apply(ops.unslice, [x], { dim: 0, start: 1, end: 4, step: 2, shape: [6, 3] }).mul(2),
      },
    ],
  },
  clone: {
    differentiable: true,
    secondOrder: true,
    cases: [
      { name: 'matrix', inputs: () => [sample([2, 3])], fn: (x) => x.clone().mul(2) },
      { name: 'transposed view', inputs: () => [sample([2, 3])], fn: (x) => x.T.contiguous().mul(2) },
    ],
  },
  to: {
    differentiable: true,
    secondOrder: true,
    cases: [
      {
        name: 'float64 to float64',
        inputs: () => [sample([2, 3])],
        fn: (x) => apply(ops.to, [x.T], { dtype: 'float64' }).mul(2),
      },
    ],
  },
  indexSelect: {
    differentiable: true,
    secondOrder: true,
    cases: [
      { name: 'rows with repeats', inputs: () => [sample([3, 2])], fn: (x) => x.indexSelect(0, indices([2, 0, 2])) },
      { name: 'columns of a view', inputs: () => [sample([3, 4])], fn: (x) => x.T.indexSelect(1, indices([1, 1])) },
    ],
  },
  indexAdd: {
    differentiable: true,
    secondOrder: true,
    cases: [
      {
        name: 'rows with repeats',
        inputs: () => [sample([3, 2]), sample([3, 2])],
        fn: (x, s) => x.indexAdd(0, indices([2, 0, 2]), s),
      },
    ],
  },
  gather: {
    differentiable: true,
    secondOrder: true,
    cases: [
      {
        name: 'along dim 1 with repeats',
        inputs: () => [sample([2, 3])],
        fn: (x) => x.gather(1, indices([0, 2, 2, 1, 1, 0], [2, 3])),
      },
      {
        name: 'smaller index along dim 0',
        inputs: () => [sample([3, 2])],
        fn: (x) => x.gather(0, indices([2, 0], [1, 2])),
      },
      { name: 'transposed view', inputs: () => [sample([3, 2])], fn: (x) => x.T.gather(1, indices([0, 2], [2, 1])) },
      { name: '0-d', inputs: () => [sample([])], fn: (x) => x.gather(0, indices([0], [])) },
    ],
  },
  scatterAdd: {
    differentiable: true,
    secondOrder: true,
    cases: [
      {
        name: 'along dim 0 with repeats',
        inputs: () => [sample([3, 2]), sample([2, 2])],
        fn: (x, s) => x.scatterAdd(0, indices([2, 0, 2, 2], [2, 2]), s),
      },
    ],
  },
  cat: {
    differentiable: true,
    secondOrder: true,
    cases: [
      {
        name: 'three tensors along dim 1',
        inputs: () => [sample([2, 1]), sample([2, 3]), sample([2, 2])],
        fn: (a, b, c) => apply(ops.cat, [a, b, c], { dim: 1 }).mul(2),
      },
      {
        name: 'views along dim 0',
        inputs: () => [sample([3, 2]), sample([1, 3])],
        fn: (a, b) => apply(ops.cat, [a.T, b], { dim: 0 }).mul(2),
      },
    ],
  },
  asStrided: {
    differentiable: true,
    secondOrder: true,
    cases: [
      {
        name: 'a strided window of a matrix',
        inputs: () => [sample([3, 4])],
        fn: (x) => apply(ops.asStrided, [x.mul(1)], { shape: [3, 2], strides: [4, 2], offset: 1 }).mul(2),
      },
    ],
  },
  viewScatter: {
    differentiable: true,
    secondOrder: true,
    cases: [
      {
        name: 'values into a strided window',
        inputs: () => [sample([3, 4]), sample([2, 2])],
        fn: (b, s) => apply(ops.viewScatter, [b, s], { shape: [2, 2], strides: [4, 2], offset: 5 }).mul(2),
      },
      {
        name: 'a broadcast source into a row',
        inputs: () => [sample([2, 3]), sample([1])],
        fn: (b, s) => apply(ops.viewScatter, [b, s.expand(3)], { shape: [3], strides: [1], offset: 3 }),
      },
    ],
  },
};
