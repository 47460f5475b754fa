/**
 * @file The differential suite: over a thousand seeded random cases against PyTorch 1.13
 * (scripts/fixtures/differential.py): every core op on random shapes with broadcasting, size-1 and size-0
 * dims, inputs reached through non-contiguous views (permute, strided slice, expand), both dtypes; outputs,
 * gradients and (float64) second derivatives.
 */
import { describe, expect, it } from 'vitest';
import { cat, stack, type Tensor, where } from '../src/index';
import { type Params, readCases, replay } from './helpers/differential';

const cases = readCases(new URL('./fixtures/torch/differential.json', import.meta.url));

const num = (p: Params, key: string) => p[key] as number;
const dims = (p: Params, key = 'dim') => p[key] as number | number[];
const keep = (p: Params) => p.keepdim as boolean;

const unary =
  (name: 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sin' | 'cos' | 'tanh' | 'sigmoid' | 'relu') =>
  ([x]: Tensor[]) =>
    (x as Tensor)[name]();

/** The optimgrad side of every op the fixture script draws from. */
const OPS: Record<string, (args: Tensor[], p: Params) => Tensor> = {
  neg: unary('neg'),
  exp: unary('exp'),
  log: unary('log'),
  sqrt: unary('sqrt'),
  abs: unary('abs'),
  sin: unary('sin'),
  cos: unary('cos'),
  tanh: unary('tanh'),
  sigmoid: unary('sigmoid'),
  relu: unary('relu'),
  reciprocal: ([x]) => (x as Tensor).reciprocal(),
  square: ([x]) => (x as Tensor).square(),
  log1p: ([x]) => (x as Tensor).log1p(),
  expm1: ([x]) => (x as Tensor).expm1(),
  erf: ([x]) => (x as Tensor).erf(),
  sign: ([x]) => (x as Tensor).sign(),
  floor: ([x]) => (x as Tensor).floor(),
  round: ([x]) => (x as Tensor).round(),
  add: ([a, b]) => (a as Tensor).add(b as Tensor),
  sub: ([a, b]) => (a as Tensor).sub(b as Tensor),
  mul: ([a, b]) => (a as Tensor).mul(b as Tensor),
  div: ([a, b]) => (a as Tensor).div(b as Tensor),
  pow: ([a, b]) => (a as Tensor).pow(b as Tensor),
  maximum: ([a, b]) => (a as Tensor).maximum(b as Tensor),
  minimum: ([a, b]) => (a as Tensor).minimum(b as Tensor),
  eq: ([a, b]) => (a as Tensor).eq(b as Tensor),
  ne: ([a, b]) => (a as Tensor).ne(b as Tensor),
  gt: ([a, b]) => (a as Tensor).gt(b as Tensor),
  ge: ([a, b]) => (a as Tensor).ge(b as Tensor),
  lt: ([a, b]) => (a as Tensor).lt(b as Tensor),
  le: ([a, b]) => (a as Tensor).le(b as Tensor),
  powScalar: ([x], p) => (x as Tensor).pow(num(p, 'exponent')),
  clamp: ([x], p) => (x as Tensor).clamp(p.min as number | null, p.max as number | null),
  where: ([c, a, b]) => where((c as Tensor).ne(0), a as Tensor, b as Tensor),
  sum: ([x], p) => (x as Tensor).sum(dims(p), keep(p)),
  mean: ([x], p) => (x as Tensor).mean(dims(p), keep(p)),
  max: ([x], p) => (x as Tensor).max(num(p, 'dim'), keep(p)),
  min: ([x], p) => (x as Tensor).min(num(p, 'dim'), keep(p)),
  logsumexp: ([x], p) => (x as Tensor).logsumexp(dims(p), keep(p)),
  softmax: ([x], p) => (x as Tensor).softmax(num(p, 'dim')),
  logSoftmax: ([x], p) => (x as Tensor).logSoftmax(num(p, 'dim')),
  var: ([x], p) => (x as Tensor).var(dims(p), { correction: num(p, 'correction'), keepdim: keep(p) }),
  std: ([x], p) => (x as Tensor).std(dims(p), { correction: num(p, 'correction'), keepdim: keep(p) }),
  matmul: ([a, b]) => (a as Tensor).matmul(b as Tensor),
  permute: ([x], p) => (x as Tensor).permute(p.dims as number[]),
  reshape: ([x], p) => (x as Tensor).reshape(p.shape as number[]),
  expand: ([x], p) => (x as Tensor).expand(p.shape as number[]),
  cat: (args, p) => cat(args, num(p, 'dim')),
  stack: (args, p) => stack(args, num(p, 'dim')),
  gather: ([x, index], p) => (x as Tensor).gather(num(p, 'dim'), index as Tensor),
  indexSelect: ([x, index], p) => (x as Tensor).indexSelect(num(p, 'dim'), index as Tensor),
};

it('covers at least 1,000 cases and every op the fixture script draws from', () => {
  expect(cases.length).toBeGreaterThanOrEqual(1000);
  expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(OPS)));
});

describe.each(cases.map((c) => [c.id, c] as const))('differential case %s', (_id, c) => {
  it('matches PyTorch', () => {
    const fn = OPS[c.op];
    if (fn === undefined) throw new Error(`no optimgrad function for op ${c.op}`);
    replay(c, fn);
  });
});
