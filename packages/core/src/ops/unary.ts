/** @file Element-wise ops of one input: derivative rules written with Tensor ops. */
import type { UnaryKind } from '../backend/backend';
import type { Tensor } from '../tensor';
import { type ComputeOp, defineOp, type OpIdentity } from './op';

const sameShape = ([x]: readonly (readonly number[])[]) => x as readonly number[];

/** A differentiable element-wise op of one input with no parameters. */
function unaryOp<const Id extends UnaryKind>(
  id: Id,
  formula: string,
  latex: string,
  saves: readonly (0 | 'output')[],
  backward: (g: Tensor, x: Tensor, out: Tensor) => Tensor,
): ComputeOp<undefined, Id> & OpIdentity<Id> {
  return defineOp({
    kind: 'compute',
    id,
    name: id,
    elementwise: true,
    formula: [formula],
    latex: [latex],
    saves,
    differentiable: true,
    shape: sameShape,
    forward: (k, [x], out) => k.unary(id, (x as Tensor).contiguousData(), out, 0, 0),
    backward: (g, { inputs: [x], output }) => [backward(g, x as Tensor, output)],
  });
}

/**
 * A step function (sign, floor, round): its derivative is 0 wherever it exists, and, as in PyTorch, a
 * gradient can flow through it (a zero one) rather than the output being cut from the graph.
 */
function stepOp<const Id extends UnaryKind>(
  id: Id,
  formula: string,
  latex: string,
): ComputeOp<undefined, Id> & OpIdentity<Id> {
  return defineOp({
    kind: 'compute',
    id,
    name: id,
    elementwise: true,
    formula: [formula],
    latex: [latex],
    saves: [],
    differentiable: true,
    shape: sameShape,
    forward: (k, [x], out) => k.unary(id, (x as Tensor).contiguousData(), out, 0, 0),
    backward: (g) => [g.newZeros(g.shape)],
  });
}

/** An element-wise op with no derivative at all (a 0/1 mask): its output never requires grad. */
function constantOp<const Id extends UnaryKind>(id: Id, formula: string): ComputeOp<undefined, Id> & OpIdentity<Id> {
  return defineOp({
    kind: 'compute',
    id,
    name: id,
    elementwise: true,
    formula: [formula],
    latex: [formula],
    saves: [],
    differentiable: false,
    shape: sameShape,
    forward: (k, [x], out) => k.unary(id, (x as Tensor).contiguousData(), out, 0, 0),
    backward: () => [null],
  });
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

export const neg = unaryOp('neg', 'd(-x)/dx = -1', '\\frac{\\partial (-x)}{\\partial x} = -1', [], (g) => g.neg());
export const exp = unaryOp(
  'exp',
  'd(exp(x))/dx = exp(x)',
  '\\frac{\\partial e^{x}}{\\partial x} = e^{x}',
  ['output'],
  (g, _x, out) => g.mul(out),
);
export const log = unaryOp(
  'log',
  'd(log(x))/dx = 1/x',
  '\\frac{\\partial \\ln x}{\\partial x} = \\frac{1}{x}',
  [0],
  (g, x) => g.div(x),
);
export const sqrt = unaryOp(
  'sqrt',
  'd(sqrt(x))/dx = 1/(2*sqrt(x))',
  '\\frac{\\partial \\sqrt{x}}{\\partial x} = \\frac{1}{2\\sqrt{x}}',
  ['output'],
  (g, _x, out) => g.div(out.mul(2)),
);
export const abs = unaryOp(
  'abs',
  'd|x|/dx = sign(x)',
  '\\frac{\\partial |x|}{\\partial x} = \\operatorname{sign}(x)',
  [0],
  (g, x) => g.mul(x.sign()),
);
export const sin = unaryOp(
  'sin',
  'd(sin(x))/dx = cos(x)',
  '\\frac{\\partial \\sin x}{\\partial x} = \\cos x',
  [0],
  (g, x) => g.mul(x.cos()),
);
export const cos = unaryOp(
  'cos',
  'd(cos(x))/dx = -sin(x)',
  '\\frac{\\partial \\cos x}{\\partial x} = -\\sin x',
  [0],
  (g, x) => g.mul(x.sin()).neg(),
);
export const tanh = unaryOp(
  'tanh',
  'd(tanh(x))/dx = 1 - tanh(x)^2',
  '\\frac{\\partial \\tanh x}{\\partial x} = 1 - \\tanh^2 x',
  ['output'],
  // 1 - out² as one subtraction (the same rounding as -out² + 1, one temporary fewer).
  (g, _x, out) => g.mul(out.square().rsub(1)),
);
export const sigmoid = unaryOp(
  'sigmoid',
  'd(sigmoid(x))/dx = sigmoid(x)*(1 - sigmoid(x))',
  '\\frac{\\partial \\sigma(x)}{\\partial x} = \\sigma(x)\\,(1 - \\sigma(x))',
  ['output'],
  (g, _x, out) => g.mul(out.mul(out.rsub(1))),
);
export const relu = unaryOp(
  'relu',
  'd(relu(x))/dx = 1 if x > 0 else 0',
  '\\frac{\\partial \\max(0, x)}{\\partial x} = [x > 0]',
  // relu(x) > 0 exactly where x > 0; reading the output (as PyTorch does) lets x change in place afterwards.
  ['output'],
  (g, _x, out) => g.mul(out.gt(0)),
);
export const reciprocal = unaryOp(
  'reciprocal',
  'd(1/x)/dx = -1/x^2',
  '\\frac{\\partial x^{-1}}{\\partial x} = -\\frac{1}{x^2}',
  ['output'],
  (g, _x, out) => g.mul(out.square()).neg(),
);
export const square = unaryOp('square', 'd(x^2)/dx = 2*x', '\\frac{\\partial x^2}{\\partial x} = 2x', [0], (g, x) =>
  g.mul(x.mul(2)),
);
export const log1p = unaryOp(
  'log1p',
  'd(log(1 + x))/dx = 1/(1 + x)',
  '\\frac{\\partial \\ln(1 + x)}{\\partial x} = \\frac{1}{1 + x}',
  [0],
  (g, x) => g.div(x.add(1)),
);
export const expm1 = unaryOp(
  'expm1',
  'd(exp(x) - 1)/dx = exp(x)',
  '\\frac{\\partial (e^{x} - 1)}{\\partial x} = e^{x}',
  ['output'],
  (g, _x, out) => g.mul(out.add(1)),
);
export const erf = unaryOp(
  'erf',
  'd(erf(x))/dx = 2/sqrt(pi) * exp(-x^2)',
  '\\frac{\\partial \\operatorname{erf}(x)}{\\partial x} = \\frac{2}{\\sqrt{\\pi}} e^{-x^2}',
  [0],
  (g, x) => g.mul(x.square().neg().exp().mul(TWO_OVER_SQRT_PI)),
);

export const sign = stepOp('sign', 'd(sign(x))/dx = 0', '\\frac{\\partial \\operatorname{sign}(x)}{\\partial x} = 0');
export const floor = stepOp('floor', 'd(floor(x))/dx = 0', '\\frac{\\partial \\lfloor x \\rfloor}{\\partial x} = 0');
export const round = stepOp(
  'round',
  'd(round(x))/dx = 0',
  '\\frac{\\partial \\operatorname{round}(x)}{\\partial x} = 0',
);
export const isfinite = constantOp('isfinite', 'no derivative (a 0/1 mask)');

export const powScalar = defineOp<{ exponent: number }, 'powScalar'>({
  kind: 'compute',
  id: 'powScalar',
  name: 'pow',
  elementwise: true,
  formula: ['d(x^p)/dx = p * x^(p-1)'],
  latex: ['\\frac{\\partial x^{p}}{\\partial x} = p\\,x^{p-1}'],
  saves: [0],
  differentiable: true,
  shape: sameShape,
  forward: (k, [x], out, { exponent }) => k.unary('powScalar', (x as Tensor).contiguousData(), out, exponent, 0),
  // torch.pow: a zero exponent has a zero gradient everywhere, even at x = 0.
  backward: (g, { inputs: [x], params: { exponent } }) => [
    exponent === 0 ? g.mul(0) : g.mul((x as Tensor).pow(exponent - 1).mul(exponent)),
  ],
});

/** Bounds of `clamp`; an absent bound is -Infinity or Infinity, and a NaN bound makes every value NaN (as torch). */
export interface ClampParams {
  readonly min: number;
  readonly max: number;
}

export const clamp = defineOp<ClampParams, 'clamp'>({
  kind: 'compute',
  id: 'clamp',
  name: 'clamp',
  elementwise: true,
  formula: ['d(clamp(x, lo, hi))/dx = 1 if lo <= x <= hi else 0'],
  latex: ['\\frac{\\partial \\operatorname{clamp}(x)}{\\partial x} = [\\,lo \\le x \\le hi\\,]'],
  saves: [0],
  differentiable: true,
  shape: sameShape,
  forward: (k, [x], out, { min, max }) => k.unary('clamp', (x as Tensor).contiguousData(), out, min, max),
  backward: (g, { inputs: [x], params, apply }) => [g.mul(apply(inRange, [x as Tensor], params))],
});

/** 1 where min <= x <= max (clamp's derivative mask, as torch computes it). */
export const inRange = defineOp<ClampParams, 'inRange'>({
  kind: 'compute',
  id: 'inRange',
  name: 'inRange',
  elementwise: true,
  formula: ['no derivative (a 0/1 mask)'],
  latex: ['\\text{no derivative (a 0/1 mask)}'],
  saves: [],
  differentiable: false,
  shape: sameShape,
  forward: (k, [x], out, { min, max }) => k.unary('inRange', (x as Tensor).contiguousData(), out, min, max),
  backward: () => [null],
});
