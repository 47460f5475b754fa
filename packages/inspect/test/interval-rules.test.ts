import { apply, cat, noGrad, type OpName, ops, type Tensor, tensor } from '@optimgrad/core';
import { describe, expect, it } from 'vitest';
import { intervalBounds, intervalRules } from '../src/index';

const t64 = (v: number[]) => tensor(v, { dtype: 'float64' });
const index = t64([2, 0, 3]);

interface Spec {
  /** A function of x [4] that applies the op to values that depend on x. */
  readonly f: (x: Tensor) => Tensor;
  /** Box centre per element (default a mix of signs); half-width 0.35. */
  readonly centre?: readonly number[];
  /** The op has no sound rule for a varying input: intervalBounds must throw naming it. */
  readonly throws?: RegExp;
  /** For ops that forward passes never record (only backward rules use them): check the rule directly. */
  readonly direct?: () => void;
}

const positive = [0.5, 1, 1.5, 2.5];

/** One spec per core op: a new op without a spec is a compile error here. */
const specs: { readonly [K in OpName]: Spec } = {
  neg: { f: (x) => x.neg() },
  exp: { f: (x) => x.exp() },
  log: { f: (x) => x.log(), centre: positive },
  sqrt: { f: (x) => x.sqrt(), centre: positive },
  abs: { f: (x) => x.abs() },
  sin: { f: (x) => x.mul(3).sin() },
  cos: { f: (x) => x.mul(3).cos() },
  tanh: { f: (x) => x.tanh() },
  sigmoid: { f: (x) => x.sigmoid() },
  relu: { f: (x) => x.relu() },
  reciprocal: { f: (x) => x.reciprocal(), centre: positive },
  square: { f: (x) => x.square() },
  log1p: { f: (x) => x.log1p(), centre: positive },
  expm1: { f: (x) => x.expm1() },
  erf: { f: (x) => x.erf() },
  sign: { f: (x) => x.sign().add(x) },
  floor: { f: (x) => x.mul(2).floor().add(x) },
  round: { f: (x) => x.mul(2).round().add(x) },
  isfinite: { f: (x) => x.isfinite().mul(x) },
  powScalar: { f: (x) => x.pow(3).add(x.pow(2)) },
  clamp: { f: (x) => x.clamp(-0.5, 0.5) },
  inRange: {
    f: (x) => x,
    direct: () => {
      const box = { lo: t64([-0.4, 0.6, -2, 0.2]), hi: t64([0.4, 0.9, -1, 0.7]) };
      const r = intervalRules.inRange.bounds([box], { min: -0.5, max: 0.5 });
      expect([[...r.lo.data], [...r.hi.data]]).toEqual([
        [1, 0, 0, 0],
        [1, 0, 0, 1],
      ]);
      const open = intervalRules.inRange.bounds([box], { min: Number.NaN, max: 0.5 });
      expect([...open.lo.data]).toEqual([1, 0, 1, 0]);
    },
  },
  add: { f: (x) => x.add(x.reshape(2, 2).permute(1, 0).reshape(4)) },
  sub: { f: (x) => x.sub(x.square()) },
  mul: { f: (x) => x.mul(x.sin()) },
  div: { f: (x) => x.div(x.square().add(1)) },
  pow: { f: (x) => x.pow(x.mul(0.5)), centre: positive },
  maximum: { f: (x) => x.maximum(x.neg().mul(0.5)) },
  minimum: { f: (x) => x.minimum(x.cos()) },
  eq: { f: (x) => x.round().eq(0).add(x) },
  ne: { f: (x) => x.round().ne(0).add(x) },
  gt: { f: (x) => x.gt(0).mul(x.square()) },
  ge: { f: (x) => x.ge(0.4).add(x) },
  lt: { f: (x) => x.lt(-0.3).add(x) },
  le: { f: (x) => x.le(1.1).add(x) },
  where: { f: (x) => x.where(x.gt(0), x.exp().neg()) },
  sum: { f: (x) => x.reshape(2, 2).sum(0) },
  max: { f: (x) => x.reshape(2, 2).max(1) },
  min: { f: (x) => x.min() },
  argmax: { f: (x) => x.argmax(), throws: /the input of argmax depends on the input box/ },
  argmin: { f: (x) => x.argmin(), throws: /the input of argmin depends on the input box/ },
  matmul: { f: (x) => x.reshape(2, 2).matmul(x.reshape(2, 2).T) },
  reshape: { f: (x) => x.reshape(2, 2).exp() },
  permute: {
    f: (x) =>
      x
        .reshape(2, 2)
        .permute(1, 0)
        .mul(t64([1, 2])),
  },
  expand: {
    f: (x) =>
      x
        .reshape(4, 1)
        .expand(4, 3)
        .mul(t64([1, -1, 2])),
  },
  slice: { f: (x) => x.slice(0, 1, 4, 2).sin() },
  unslice: { f: (x) => apply(ops.unslice, [x], { dim: 0, start: 1, end: 9, step: 2, shape: [9] }) },
  clone: { f: (x) => x.clone().mul(x) },
  to: { f: (x) => x.mul(0.1).to('float32') },
  indexSelect: { f: (x) => x.indexSelect(0, index).mul(x.slice(0, 0, 3)) },
  indexAdd: { f: (x) => x.indexAdd(0, t64([1, 1, 3]), x.slice(0, 0, 3).exp()) },
  gather: { f: (x) => x.gather(0, index).sub(x.slice(0, 1, 4)) },
  scatterAdd: { f: (x) => x.scatterAdd(0, t64([0, 0, 2]), x.slice(0, 1, 4).sin()) },
  cat: { f: (x) => cat([x.slice(0, 2, 4), x.square()], 0) },
  // In-place ops on views record viewScatter (the write) and asStrided (the re-read).
  asStrided: { f: (x) => inPlaceOnView(x).slice(0, 1, 3).exp() },
  viewScatter: { f: (x) => inPlaceOnView(x) },
};

function inPlaceOnView(x: Tensor): Tensor {
  const y = x.mul(1);
  y.slice(0, 1, 3).mul_(x.slice(0, 0, 2).sin());
  return y;
}

describe('interval bounds of in-place changes', () => {
  it('follows the graph as it was when each op ran, so a view changed in place after being read stays sound', () => {
    const f = (x: Tensor) => {
      const y = x.mul(1);
      y.slice(0, 1, 3).mul_(x.slice(0, 0, 2).add(1));
      return y;
    };
    // y = [x0, x1 * (x0 + 1), x2 * (x1 + 1), x3] over x in [0, 1]^4.
    const r = intervalBounds(f, t64([0, 0, 0, 0]), t64([1, 1, 1, 1]));
    const round = (t: Tensor) => [...t.data].map((v) => Number(v.toFixed(9)) + 0);
    expect([round(r.lower), round(r.upper)]).toEqual([
      [0, 0, 0, 0],
      [1, 2, 2, 1],
    ]);
  });
});
describe('interval rule of every core op', () => {
  const names = Object.keys(specs) as OpName[];

  it('is listed for every op', () => {
    expect(names.sort()).toEqual((Object.keys(intervalRules) as OpName[]).sort());
  });

  for (const name of names) {
    const spec = specs[name];
    it(`${name}: sampled values stay inside the bounds`, () => {
      if (spec.direct) {
        spec.direct();
        return;
      }
      const centre = spec.centre ?? [-1.2, -0.3, 0.4, 1.1];
      const lo = centre.map((c) => c - 0.35);
      const hi = centre.map((c) => c + 0.35);
      if (spec.throws) {
        expect(() => intervalBounds(spec.f, t64(lo), t64(hi))).toThrow(spec.throws);
        const point = intervalBounds(spec.f, t64(centre as number[]), t64(centre as number[]));
        expect([...point.lower.data]).toEqual([...noGrad(() => spec.f(t64(centre as number[]))).data]);
        return;
      }
      const r = intervalBounds(spec.f, t64(lo), t64(hi));
      let s = 97;
      for (let k = 0; k < 400; k++) {
        const point = lo.map((l, i) => {
          if (k < 16) return (k >> i) & 1 ? (hi[i] as number) : l;
          s = (s * 16807) % 2147483647;
          return l + (s / 2147483647) * ((hi[i] as number) - l);
        });
        const y = noGrad(() => spec.f(t64(point))).data;
        y.forEach((v, i) => {
          if (!(v >= (r.lower.data[i] as number) && v <= (r.upper.data[i] as number))) {
            throw new Error(`${name}: ${v} at x = ${point} is outside [${r.lower.data[i]}, ${r.upper.data[i]}]`);
          }
        });
      }
    });
  }
});

describe('interval bounds of sin and cos on narrow boxes', () => {
  // Near a zero of cos, cos(x) computed as sin(x + π/2) is off by ~1e-16: far more than a few ulps of the value.
  const centres = [Math.PI / 2, -Math.PI / 2, (3 * Math.PI) / 2, Math.PI, 0, 1, -7.7529367304077335, 1e5 + 0.3];
  const boxes = centres.flatMap((c) => [
    [c, c],
    [c - 1e-12, c + 1e-12],
    [c - 1e-3, c],
  ]);

  it.each(['sin', 'cos'] as const)(
    '%s: point boxes and tiny boxes contain the values at their ends and centre',
    (op) => {
      for (const [l, h] of boxes as [number, number][]) {
        const r = intervalBounds((x) => x[op](), t64([l]), t64([h]));
        for (const x of [l, (l + h) / 2, h]) {
          const v = noGrad(() => t64([x])[op]()).item();
          expect(v, `${op}(${x}) in [${r.lower.item()}, ${r.upper.item()}]`).toBeGreaterThanOrEqual(r.lower.item());
          expect(v, `${op}(${x}) in [${r.lower.item()}, ${r.upper.item()}]`).toBeLessThanOrEqual(r.upper.item());
        }
      }
    },
  );

  it('cos of a point box is the value itself, rounded out by a few ulps, not a shifted sine', () => {
    const r = intervalBounds((x) => x.cos(), t64([Math.PI / 2]), t64([Math.PI / 2]));
    expect(r.lower.item()).toBeLessThanOrEqual(Math.cos(Math.PI / 2));
    expect(r.upper.item()).toBeGreaterThanOrEqual(Math.cos(Math.PI / 2));
    expect(r.upper.item() - r.lower.item()).toBeLessThan(1e-30);
  });
});
