/** @file Element-wise ops of two broadcast inputs; comparisons give 0/1 and no gradient. */
import type { BinaryKind } from '../backend/backend';
import { broadcastShape, type Shape } from '../shape';
import type { Tensor } from '../tensor';
import { type ComputeOp, defineOp, type OpIdentity } from './op';

/** Which of the two inputs need a gradient (the backward context's `needsGrad`). */
type Needs = readonly boolean[];
const BOTH: Needs = [true, true];

function binaryOp<const Id extends BinaryKind>(
  id: Id,
  formula: readonly [string, string],
  latex: readonly [string, string],
  saves: readonly (0 | 1 | 'output')[],
  backward: ((g: Tensor, a: Tensor, b: Tensor, out: Tensor, needs: Needs) => readonly (Tensor | null)[]) | null,
  savesFor?: readonly [readonly (0 | 1 | 'output')[], readonly (0 | 1 | 'output')[]],
): ComputeOp<undefined, Id> & OpIdentity<Id> {
  return defineOp({
    kind: 'compute',
    id,
    name: id,
    elementwise: true,
    formula,
    latex,
    saves,
    ...(savesFor ? { savesFor } : {}),
    differentiable: backward !== null,
    shape: ([a, b]) => broadcastShape(id, a as Shape, b as Shape),
    forward: (k, [a, b], out, _params, shape) =>
      k.binary(id, (a as Tensor).stridedView(shape), (b as Tensor).stridedView(shape), out, shape),
    backward: (g, { inputs: [a, b], output, needsGrad }) =>
      backward ? backward(g, a as Tensor, b as Tensor, output, needsGrad ?? BOTH) : [null, null],
  });
}

export const add = binaryOp(
  'add',
  ['d(a+b)/da = 1', 'd(a+b)/db = 1'],
  ['\\frac{\\partial (a+b)}{\\partial a} = 1', '\\frac{\\partial (a+b)}{\\partial b} = 1'],
  [],
  (g) => [g, g],
);
export const sub = binaryOp(
  'sub',
  ['d(a-b)/da = 1', 'd(a-b)/db = -1'],
  ['\\frac{\\partial (a-b)}{\\partial a} = 1', '\\frac{\\partial (a-b)}{\\partial b} = -1'],
  [],
  (g, _a, _b, _out, needs) => [g, needs[1] ? g.neg() : null],
);
export const mul = binaryOp(
  'mul',
  ['d(a*b)/da = b', 'd(a*b)/db = a'],
  ['\\frac{\\partial (ab)}{\\partial a} = b', '\\frac{\\partial (ab)}{\\partial b} = a'],
  [0, 1],
  // Only the gradients that are needed: `x.mul(2)` computes no gradient for the constant.
  (g, a, b, _out, needs) => [needs[0] ? g.mul(b) : null, needs[1] ? g.mul(a) : null],
  [[1], [0]],
);
export const div = binaryOp(
  'div',
  ['d(a/b)/da = 1/b', 'd(a/b)/db = -a/b^2'],
  ['\\frac{\\partial (a/b)}{\\partial a} = \\frac{1}{b}', '\\frac{\\partial (a/b)}{\\partial b} = -\\frac{a}{b^2}'],
  [0, 1],
  (g, a, b, _out, needs) => [needs[0] ? g.div(b) : null, needs[1] ? g.mul(a).div(b.square()).neg() : null],
  [[1], [0, 1]],
);
export const pow = binaryOp(
  'pow',
  ['d(a^b)/da = b * a^(b-1)', 'd(a^b)/db = a^b * log(a)'],
  ['\\frac{\\partial a^{b}}{\\partial a} = b\\,a^{b-1}', '\\frac{\\partial a^{b}}{\\partial b} = a^{b} \\ln a'],
  [0, 1, 'output'],
  (g, a, b, out, needs) => {
    const zero = g.newZeros([]);
    // torch.pow: a zero exponent has zero gradient; so does the exponent where a = 0 and b >= 0.
    const da = needs[0] ? zero.where(b.eq(0), g.mul(b).mul(a.pow(b.sub(1)))) : null;
    const db = needs[1] ? zero.where(a.eq(0).mul(b.ge(0)), g.mul(out).mul(a.log())) : null;
    return [da, db];
  },
  [
    [0, 1],
    [0, 1, 'output'],
  ],
);
// Where a = b the gradient is shared equally, as torch.maximum/minimum do.
export const maximum = binaryOp(
  'maximum',
  ['d(max(a,b))/da = 1 if a > b, 1/2 if a = b, else 0', 'd(max(a,b))/db = 1 if b > a, 1/2 if a = b, else 0'],
  [
    '\\frac{\\partial \\max(a,b)}{\\partial a} = [a > b] + \\tfrac{1}{2}[a = b]',
    '\\frac{\\partial \\max(a,b)}{\\partial b} = [b > a] + \\tfrac{1}{2}[a = b]',
  ],
  [0, 1],
  // As torch: mask out the losing side only, so a NaN on either side passes the gradient to both.
  (g, a, b) => {
    const shared = g.mul(a.eq(b).mul(-0.5).add(1));
    return [shared.mul(a.lt(b).neg().add(1)), shared.mul(a.gt(b).neg().add(1))];
  },
);
export const minimum = binaryOp(
  'minimum',
  ['d(min(a,b))/da = 1 if a < b, 1/2 if a = b, else 0', 'd(min(a,b))/db = 1 if b < a, 1/2 if a = b, else 0'],
  [
    '\\frac{\\partial \\min(a,b)}{\\partial a} = [a < b] + \\tfrac{1}{2}[a = b]',
    '\\frac{\\partial \\min(a,b)}{\\partial b} = [b < a] + \\tfrac{1}{2}[a = b]',
  ],
  [0, 1],
  (g, a, b) => {
    const shared = g.mul(a.eq(b).mul(-0.5).add(1));
    return [shared.mul(a.gt(b).neg().add(1)), shared.mul(a.lt(b).neg().add(1))];
  },
);

const NO_DERIVATIVE = ['no derivative (a 0/1 result)', 'no derivative (a 0/1 result)'] as const;
export const eq = binaryOp('eq', NO_DERIVATIVE, NO_DERIVATIVE, [], null);
export const ne = binaryOp('ne', NO_DERIVATIVE, NO_DERIVATIVE, [], null);
export const gt = binaryOp('gt', NO_DERIVATIVE, NO_DERIVATIVE, [], null);
export const ge = binaryOp('ge', NO_DERIVATIVE, NO_DERIVATIVE, [], null);
export const lt = binaryOp('lt', NO_DERIVATIVE, NO_DERIVATIVE, [], null);
export const le = binaryOp('le', NO_DERIVATIVE, NO_DERIVATIVE, [], null);

/** where(cond, a, b): a where cond is non-zero, else b; cond gets no gradient. */
export const where = defineOp({
  kind: 'compute',
  id: 'where',
  name: 'where',
  elementwise: true,
  formula: [
    'no derivative (the condition)',
    'd(where(c,a,b))/da = 1 where c else 0',
    'd(where(c,a,b))/db = 0 where c else 1',
  ],
  latex: [
    '\\text{no derivative (the condition)}',
    '\\frac{\\partial}{\\partial a} = [c]',
    '\\frac{\\partial}{\\partial b} = [\\lnot c]',
  ],
  saves: [0],
  differentiable: true,
  shape: ([c, a, b]) => broadcastShape('where', broadcastShape('where', c as Shape, a as Shape), b as Shape),
  dtype: ([, a, b]) => ((a as Tensor).dtype === 'float64' || (b as Tensor).dtype === 'float64' ? 'float64' : 'float32'),
  forward: (k, [c, a, b], out, _params, shape) =>
    k.where(
      (c as Tensor).stridedView(shape),
      (a as Tensor).stridedView(shape),
      (b as Tensor).stridedView(shape),
      out,
      shape,
    ),
  backward: (g, { inputs: [c], needsGrad }) => {
    const zero = g.newZeros([]);
    return [
      null,
      needsGrad?.[1] === false ? null : g.where(c as Tensor, zero),
      needsGrad?.[2] === false ? null : zero.where(c as Tensor, g),
    ];
  },
});
