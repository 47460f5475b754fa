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

type UnaryName = (typeof UNARY)[number];
type BinaryName = (typeof BINARY)[number];
const UNARY = [
  'neg',
  'exp',
  'log',
  'sqrt',
  'abs',
  'sin',
  'cos',
  'tanh',
  'sigmoid',
  'relu',
  'reciprocal',
  'square',
  'log1p',
  'expm1',
  'erf',
  'sign',
  'floor',
  'round',
] as const;
const BINARY = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const;

const unary =
  (name: UnaryName) =>
  ([x]: Tensor[]) =>
    (x as Tensor)[name]();
const binary =
  (name: BinaryName) =>
  ([a, b]: Tensor[]) =>
    (a as Tensor)[name](b as Tensor);

/** The optimgrad side of every op the fixture script draws from. */
const OPS: Record<string, (args: Tensor[], p: Params) => Tensor> = {
  ...Object.fromEntries(UNARY.map((name) => [name, unary(name)])),
  ...Object.fromEntries(BINARY.map((name) => [name, binary(name)])),
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
