import { cat, manualSeed, type NestedArray, noGrad, ops, randn, type Tensor, tensor } from '@optimgrad/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateBounds, intervalBounds, intervalRules, nextDown, nextUp } from '../src/index';

const t64 = (v: NestedArray) => tensor(v, { dtype: 'float64' });

function bounds(f: (x: Tensor) => Tensor, lo: number[], hi: number[]): [number[], number[]] {
  const r = intervalBounds(f, t64(lo), t64(hi));
  return [[...r.lower.data], [...r.upper.data]];
}

describe('nextUp and nextDown', () => {
  it('step to the neighbouring float64', () => {
    expect(nextUp(1)).toBe(1 + Number.EPSILON);
    expect(nextDown(1)).toBe(1 - Number.EPSILON / 2);
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
    expect(nextDown(0)).toBe(-Number.MIN_VALUE);
    expect(nextUp(-1)).toBe(-1 + Number.EPSILON / 2);
  });
});

describe('intervalBounds', () => {
  it('has a rule for every core op', () => {
    expect(Object.keys(intervalRules).sort()).toEqual(Object.keys(ops).sort());
  });

  it('finds interior extrema of sin, cos, square, abs and pow exactly (up to outward rounding)', () => {
    const tiny = 1e-14;
    const [sl, sh] = bounds((x) => x.sin(), [0.1], [3]);
    expect(sh[0]).toBeGreaterThanOrEqual(1);
    expect(sh[0]).toBeLessThan(1 + tiny);
    expect(sl[0]).toBeCloseTo(Math.sin(0.1), 12);
    const [cl, ch] = bounds((x) => x.cos(), [3, -1], [3.5, 1]);
    expect(cl[0]).toBeLessThanOrEqual(-1);
    expect(ch[0]).toBeCloseTo(Math.cos(3.5), 12);
    expect(ch[1]).toBeGreaterThanOrEqual(1);
    expect(cl[1]).toBeCloseTo(Math.cos(1), 12);
    const [ql, qh] = bounds((x) => x.square(), [-1], [2]);
    expect([ql[0]! <= 0 && ql[0]! > -tiny, qh[0]! >= 4 && qh[0]! < 4 + 1e-12]).toEqual([true, true]);
    const [al, ah] = bounds((x) => x.abs(), [-3], [2]);
    expect([al[0], ah[0]]).toEqual([0, 3]);
    const [pl, ph] = bounds((x) => x.pow(3), [-2], [1]);
    expect(pl[0]).toBeCloseTo(-8, 12);
    expect(ph[0]).toBeCloseTo(1, 12);
    const [el, eh] = bounds((x) => x.pow(4), [-2], [1]);
    expect(el[0]).toBeLessThanOrEqual(0);
    expect(eh[0]).toBeCloseTo(16, 12);
  });

  it('rounds outward so a point box still strictly contains the float64 result', () => {
    const [lo, hi] = bounds((x) => x.add(0.1).mul(3), [0.2], [0.2]);
    const exact = (0.2 + 0.1) * 3;
    expect(lo[0]).toBeLessThan(exact);
    expect(hi[0]).toBeGreaterThan(exact);
    expect((hi[0] as number) - (lo[0] as number)).toBeLessThan(1e-15);
  });

  it('bounds a Linear + ReLU layer in centre-radius form and contains sampled outputs', () => {
    manualSeed(3);
    const w = randn([4, 3], { dtype: 'float64' });
    const b = randn([4], { dtype: 'float64' });
    w.requiresGrad = true; // parameters that require grad are constants of f
    const f = (x: Tensor) => x.matmul(w.T).add(b).relu();
    const r = intervalBounds(f, t64([-1, 0, 0.5]), t64([1, 0.5, 0.5]));
    for (let k = 0; k < 2000; k++) {
      const x = t64([-1 + 2 * Math.random(), 0.5 * Math.random(), 0.5]);
      const y = noGrad(() => f(x)).data;
      y.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(r.lower.data[i] as number);
        expect(v).toBeLessThanOrEqual(r.upper.data[i] as number);
      });
    }
  });

  it('treats an input-dependent where condition as undecided and takes the union of both branches', () => {
    const f = (x: Tensor) => x.where(x.gt(0), x.neg().sub(10));
    expect(bounds(f, [1], [2])).toEqual([[1], [2]]);
    const [lo, hi] = bounds(f, [-1], [2]);
    expect(lo[0]).toBeLessThanOrEqual(-11);
    expect(hi[0]).toBe(2);
    const g = (x: Tensor) => x.gt(0.5).add(x.mul(0));
    expect(bounds(g, [0], [1])[1][0]).toBeGreaterThanOrEqual(1);
  });

  it('propagates through reductions, views, cat and gather', () => {
    const f = (x: Tensor) => {
      const m = x.reshape(2, 2).permute(1, 0);
      const both = cat([m.slice(0, 0, 1), m.max(0, true)], 0);
      return both.sum(1).add(x.gather(0, t64([3, 0])).min());
    };
    const [lo, hi] = bounds(f, [0, 1, 2, 3], [1, 2, 3, 4]);
    // row 0 of m: x0 + x2 in [2, 4]; column max: max(x0,x1) + max(x2,x3) in [4, 6]; min(x3, x0) in [0, 1].
    expect(lo.map((v) => Number(v.toFixed(9)))).toEqual([2, 4]);
    expect(hi.map((v) => Number(v.toFixed(9)))).toEqual([5, 7]);
  });

  it('names the op when no sound finite rule exists', () => {
    expect(() => intervalBounds((x) => x.log(), t64([-1]), t64([1]))).toThrow(
      /intervalBounds: log over an interval reaching -1/,
    );
    expect(() => intervalBounds((x) => x.pow(0.5), t64([-1]), t64([1]))).toThrow(
      /pow with the non-integer exponent 0.5/,
    );
    expect(() => intervalBounds((x) => x, t64([2]), t64([1]))).toThrow(/lower <= upper/);
    expect(bounds((x) => x.reciprocal(), [-1], [1])).toEqual([[-Infinity], [Infinity]]);
  });

  it('refuses, naming the op, where f can be NaN inside the box instead of claiming finite bounds', () => {
    const box = (lo: number, hi: number) =>
      [tensor([lo], { dtype: 'float64' }), tensor([hi], { dtype: 'float64' })] as const;
    // 1/x reaches Infinity on [0, 1], and sin(Infinity) is NaN: not [-1, 1].
    expect(() => intervalBounds((x) => x.reciprocal().sin(), ...box(0, 1))).toThrow(
      /sin can be NaN.*sin of an infinite value/,
    );
    // 0/0 at x = 0.
    expect(() => intervalBounds((x) => x.div(x), ...box(0, 1))).toThrow(/div can be NaN.*0 \/ 0/);
    // exp overflows to Infinity for x > 709.78, and cos(Infinity) is NaN.
    expect(() => intervalBounds((x) => x.exp().cos(), ...box(0, 1000))).toThrow(/cos can be NaN/);
    expect(() => intervalBounds((x) => x.mul(1e308).mul(10).cos(), ...box(0, 1))).toThrow(/cos can be NaN/);
    expect(() => intervalBounds((x) => x.reciprocal().mul(x), ...box(0, 1))).toThrow(/mul can be NaN.*0 \* Infinity/);
    expect(() => intervalBounds((x) => x.reciprocal().sub(x.reciprocal()), ...box(0, 1))).toThrow(/sub can be NaN/);
    expect(() =>
      intervalBounds((x) => x.reciprocal().matmul(tensor([[1]], { dtype: 'float64' })), ...box(0, 1)),
    ).toThrow(/matmul can be NaN/);
    // Infinite but never NaN: the bounds say so.
    const { upper } = intervalBounds((x) => x.reciprocal().tanh(), ...box(0, 1));
    expect(upper.item()).toBe(1);
    expect(intervalBounds((x) => x.reciprocal().exp(), ...box(0, 1)).upper.item()).toBe(Number.POSITIVE_INFINITY);
    // Away from the problem points the same functions are bounded as before.
    expect(intervalBounds((x) => x.div(x), ...box(1, 2)).upper.item()).toBeGreaterThanOrEqual(2);
    expect(intervalBounds((x) => x.reciprocal().sin(), ...box(1, 2)).upper.item()).toBeLessThanOrEqual(1);
  });

  it("keeps rounded bounds inside each op's range, so sqrt of a sum of squares over a box containing 0 works", () => {
    // Outward rounding alone would push the lower bound of x² (and of its sum) to -5e-324, where sqrt is NaN.
    expect(bounds((x) => x.square().sum().sqrt(), [-1, -2], [1, 0])[0]).toEqual([0]);
    expect(bounds((x) => x.pow(2).sqrt(), [-1], [1])[0]).toEqual([0]);
    expect(bounds((x) => x.abs().mul(x.exp()).sqrt(), [-1], [1])[0]).toEqual([0]);
    expect(bounds((x) => x.matmul(t64([[1], [2]])).sqrt(), [0, 0], [1, 1])[0]).toEqual([0]);
    const [sl, sh] = bounds((x) => x.sigmoid(), [-800, 700], [-700, 800]);
    expect([sl[0], sh[1]]).toEqual([0, 1]);
    expect(bounds((x) => x.mul(50).tanh(), [-1], [1])).toEqual([[-1], [1]]);
    expect(bounds((x) => x.mul(9).sin(), [-1], [1])).toEqual([[-1], [1]]);
    // A product with a negative factor may be negative, so its rounding is kept.
    expect(bounds((x) => x.mul(x.sub(1)).add(0.25), [0], [1])[0][0]).toBeLessThan(0);
  });

  it('never lets sampled points of random compositions fall outside the bounds (property test)', () => {
    const W = t64([
      [0.5, -1, 2],
      [1.5, 0.3, -0.7],
      [-0.2, 0.8, 1],
    ]);
    const steps: ((t: Tensor) => Tensor)[] = [
      (t) => t.sin(),
      (t) => t.cos().mul(2),
      (t) => t.tanh().exp(),
      (t) => t.sigmoid().sub(0.5),
      (t) => t.relu(),
      (t) => t.abs().sqrt(),
      (t) => t.square().add(1).log(),
      (t) => t.pow(3).div(4),
      (t) => t.mul(t).sub(t),
      (t) => t.matmul(W),
      (t) => t.sub(t.sum()),
      (t) => t.sub(t.max()),
      (t) => t.softmax(0),
      (t) => t.where(t.gt(0.2), t.square().neg()),
      (t) => cat([t.slice(0, 1, 3), t.slice(0, 0, 1)], 0),
      (t) => t.clamp(-1, 0.7).minimum(t.cos()),
      (t) => t.div(t.square().add(2)),
      (t) => t.reshape(3, 1).expand(3, 2).sum(1).mul(0.5),
    ];
    const box = fc.tuple(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: 0, max: 1.5, noNaN: true }));
    let checked = 0;
    fc.assert(
      fc.property(
        fc.array(fc.nat(steps.length - 1), { minLength: 1, maxLength: 5 }),
        fc.array(box, { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (chosen, boxes, seed) => {
          const f = (x: Tensor) => chosen.reduce((t, k) => (steps[k] as (t: Tensor) => Tensor)(t), x);
          const lo = boxes.map(([c, w]) => c - w / 2);
          const hi = boxes.map(([c, w]) => c + w / 2);
          const r = intervalBounds(f, t64(lo), t64(hi));
          let s = seed;
          const random = () => {
            s = (s * 16807) % 2147483647;
            return s / 2147483647;
          };
          for (let k = 0; k < 60; k++) {
            const point = lo.map((l, i) =>
              k < 8 ? ((k >> i) & 1 ? (hi[i] as number) : l) : l + random() * ((hi[i] as number) - l),
            );
            const y = noGrad(() => f(t64(point))).data;
            y.forEach((v, i) => {
              if (!(v >= (r.lower.data[i] as number) && v <= (r.upper.data[i] as number))) {
                throw new Error(
                  `value ${v} at ${point} is outside [${r.lower.data[i]}, ${r.upper.data[i]}] for steps ${chosen}`,
                );
              }
              checked++;
            });
          }
        },
      ),
      { numRuns: 150, seed: 42 },
    );
    expect(checked).toBeGreaterThan(10_000);
  });
});

describe('estimateBounds', () => {
  it('includes f(x) itself, so it finds the maximum of sin at π/2 that corner sampling misses', () => {
    const [lo, hi] = estimateBounds((t) => t.sin(), t64([Math.PI / 2]), { eps: 1 });
    expect(hi).toBe(1);
    expect(lo).toBeCloseTo(Math.sin(Math.PI / 2 - 1), 12);
  });

  it('samples every corner of a small box and leaves x unchanged even when it requires grad', () => {
    const x = tensor([1, -1], { dtype: 'float64', requiresGrad: true });
    const [lo, hi] = estimateBounds((t) => t.mul(t64([1, -1])).sum(), x, { eps: 0.5 });
    expect([lo, hi]).toEqual([1, 3]);
    expect([...x.data]).toEqual([1, -1]);
    expect(x.grad).toBeNull();
  });

  it('adds reproducible random samples inside the box', () => {
    manualSeed(7);
    const a = estimateBounds((t) => t.sin().sum(), t64([0, 0, 0]), { eps: 0.2, samples: 50 });
    manualSeed(7);
    const b = estimateBounds((t) => t.sin().sum(), t64([0, 0, 0]), { eps: 0.2, samples: 50 });
    expect(a).toEqual(b);
    expect(a[0]).toBeGreaterThanOrEqual(-3 * Math.sin(0.2) - 1e-12);
    expect(() => estimateBounds((t) => t, t64([0]), { samples: -1 })).toThrow(/samples must be/);
  });
});
