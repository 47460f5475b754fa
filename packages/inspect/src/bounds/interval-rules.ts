/**
 * @file One sound interval rule per core op, in a table typed `{ [K in OpName]: IntervalRule<OpParams<K>> }`
 * so a new op without a rule is a compile error and each rule sees its op's parameter type (as jax-js types
 * its rule tables). Each rule maps input
 * boxes to a box that contains every value the op takes on them: monotone ops map endpoints,
 * products take the four corners, sin/cos/pow/abs/square find interior extrema exactly, matmul uses
 * centre-radius form, and sums and matmuls add a rigorous bound on their float64 rounding error.
 * Rules compute in float64; the caller then rounds outward by `ulps`.
 */
import { noGrad, type OpName, type OpParams, type Tensor } from '@optimgrad/core';
import { type Box, f64, firstElement, isPoint, mapBoxes, pointBox, run } from './box';
import { roundDownToFloat32, roundUpToFloat32 } from './ulp';

export interface IntervalRule<P = undefined> {
  /** Units in the last place to round the result outward by (0 for exact rules such as data movement). */
  readonly ulps: number;
  /** A box containing every value of the op for inputs in `inputs`; throws when no sound finite rule exists. */
  bounds(inputs: readonly Box[], params: P): Box;
  /**
   * Where the op's values always lie (e.g. [0, ∞) for sqrt, [-1, 1] for tanh), for real numbers and float64
   * alike; the rounded box is clipped to it, so rounding outward never pushes a bound past it (sqrt of
   * x² over a box containing 0 then stays defined). Null or absent when nothing is known.
   */
  readonly range?: (inputs: readonly Box[], params: P) => Pair | null;
  /**
   * Why the op can give NaN for some inputs in the boxes (0 * ∞, ∞ - ∞, sin(∞), 0 / 0), or null when it cannot:
   * no box can hold NaN, so bounds propagation stops there with an error naming the op. Absent: never NaN
   * (from NaN-free inputs).
   */
  readonly nan?: (inputs: readonly Box[], params: P) => string | null;
}

type Pair = readonly [number, number];
const EPS = 2 ** -52;
const INF = Number.POSITIVE_INFINITY;

const NON_NEGATIVE: Pair = [0, INF];

/** The same rule with values known to lie in `range`. */
function within<P>(range: Pair, rule: IntervalRule<P>): IntervalRule<P> {
  return { ...rule, range: () => range };
}

const containsZero = ([l, h]: Pair): boolean => l <= 0 && h >= 0;
const unbounded = ([l, h]: Pair): boolean => l === -INF || h === INF;

/** `reason` at the first element where `test` holds for the inputs' endpoints, else null. */
function nanWhere(
  reason: string,
  test: (bounds: readonly Pair[]) => boolean,
): (inputs: readonly Box[]) => string | null {
  return (inputs) => {
    const at = firstElement(inputs, test);
    return at === -1 ? null : `${reason} at element ${at}`;
  };
}

/** The same rule, with the inputs for which the op gives NaN. */
function nanIf<P>(nan: (inputs: readonly Box[], params: P) => string | null, rule: IntervalRule<P>): IntervalRule<P> {
  return { ...rule, nan };
}

/** NaN when the summed values can hold both +∞ and -∞ (∞ - ∞); checked over all of them, which is sound. */
function nanInSums(...boxes: readonly (Box | undefined)[]): string | null {
  let positive = false;
  let negative = false;
  for (const box of boxes) {
    if (box === undefined) continue;
    positive ||= box.hi.data.some((v) => v === INF);
    negative ||= box.lo.data.some((v) => v === -INF);
  }
  return positive && negative ? 'a sum of +Infinity and -Infinity' : null;
}

/** Every input >= 0 makes the result >= 0 (sums, products, quotients of non-negative numbers). */
function keepsSign<P>(rule: IntervalRule<P>): IntervalRule<P> {
  const range = (inputs: readonly Box[]): Pair | null =>
    inputs.every((b) => b.lo.data.every((v) => v >= 0)) ? NON_NEGATIVE : null;
  return { ...rule, range };
}

/** Monotone non-decreasing in every input: apply the op to the lower and to the upper endpoints. */
function increasing<K extends OpName>(
  name: K,
  ulps: number,
  domain?: (lo: number) => string | null,
): IntervalRule<OpParams<K>> {
  return {
    ulps,
    bounds: (inputs, params) => {
      if (domain) checkDomain(name, inputs[0] as Box, domain);
      return {
        lo: run(
          name,
          inputs.map((b) => b.lo),
          params,
        ),
        hi: run(
          name,
          inputs.map((b) => b.hi),
          params,
        ),
      };
    },
  };
}

function checkDomain(name: string, box: Box, domain: (lo: number) => string | null): void {
  for (const v of box.lo.data) {
    const problem = domain(v);
    if (problem !== null) {
      throw new Error(
        `intervalBounds: ${name} over an interval reaching ${v} ${problem}; shrink the box or clamp the input first`,
      );
    }
  }
}

function elementwise<P = undefined>(ulps: number, f: (bounds: readonly Pair[], params: P) => Pair): IntervalRule<P> {
  return { ulps, bounds: (inputs, params) => mapBoxes(inputs, (b) => f(b, params)) };
}

function hull(values: readonly number[]): Pair {
  return [Math.min(...values), Math.max(...values)];
}

/** [lo, hi] of |x| over [l, h]. */
function absRange([l, h]: Pair): Pair {
  if (l >= 0) return [l, h];
  if (h <= 0) return [-h, -l];
  return [0, Math.max(-l, h)];
}

/** True when some x = offset + 2πk lies in [l, h] (tested with slack, so an extremum is never missed). */
function hits(l: number, h: number, offset: number): boolean {
  const period = 2 * Math.PI;
  const slack = 1e-9;
  return Math.ceil((l - offset) / period - slack) <= Math.floor((h - offset) / period + slack);
}

/**
 * Range of sin or cos over [l, h]: both endpoints plus any interior maximum or minimum. Endpoints are
 * evaluated with the function itself: cos(x) computed as sin(x + π/2) carries the rounding error of the
 * shift (up to ~1e-16 absolute), far more than a few ulps of a value near a zero of cos.
 * `peak` is where the function is 1 (π/2 for sin, 0 for cos); it is -1 half a period later.
 */
function periodicRange([l, h]: Pair, f: (x: number) => number, peak: number): Pair {
  if (l === h) return [f(l), f(l)];
  // Far from 0 the extremum test below loses precision (x / 2π and 2πk round); the whole range is always sound.
  if (!(h - l < 2 * Math.PI) || Math.max(-l, h) > 1e6) return [-1, 1];
  const a = f(l);
  const b = f(h);
  const hi = hits(l, h, peak) ? 1 : Math.max(a, b);
  const lo = hits(l, h, peak - Math.PI) ? -1 : Math.min(a, b);
  return [lo, hi];
}

/** Range of x^p over [l, h] for a constant exponent p. */
function powRange([l, h]: Pair, p: number, op = 'pow'): Pair {
  if (p === 0) return [1, 1];
  const a = l ** p;
  const b = h ** p;
  if (Number.isInteger(p)) {
    if (l > 0 || h < 0) return hull([a, b]);
    const even = p % 2 === 0;
    if (p > 0) return even ? [0, Math.max(a, b)] : [a, b];
    return even ? [Math.min(a, b), INF] : [-INF, INF];
  }
  if (l < 0) {
    throw new Error(
      `intervalBounds: ${op} with the non-integer exponent ${p} over an interval reaching ${l} < 0 gives NaN; shrink the box so the base stays >= 0`,
    );
  }
  return hull([a, b]);
}

function compare(test: (a: Pair, b: Pair) => boolean | null): IntervalRule {
  return elementwise(0, ([a, b]) => {
    const decided = test(a as Pair, b as Pair);
    return decided === null ? [0, 1] : decided ? [1, 1] : [0, 0];
  });
}

/** Sum of a reduction's rounding errors is at most (n + 1)·2⁻⁵² times the sum of magnitudes (Higham's γₙ, doubled). */
function sumWithError(x: Tensor, params: OpParams<'sum'>, count: number, direction: 1 | -1): Tensor {
  const s = run('sum', [x], params);
  const magnitude = run('sum', [run('abs', [x], undefined)], params);
  return noGrad(() => s.add(magnitude.mul((count + 2) * EPS).mul(direction)));
}

function requirePoint(name: string, box: Box, what: string): Tensor {
  if (!isPoint(box)) {
    throw new Error(
      `intervalBounds: the ${what} of ${name} depends on the input box, and ${name} has no sound interval rule for that; make the ${what} a constant`,
    );
  }
  return box.lo;
}

function scatterLike(name: 'indexAdd' | 'scatterAdd'): IntervalRule<OpParams<'indexAdd' | 'scatterAdd'>> {
  return {
    ulps: 1,
    nan: ([x, , source]) => nanInSums(x, source),
    bounds: ([x, index, source], params) => {
      const i = requirePoint(name, index as Box, 'index');
      const [xb, sb] = [x as Box, source as Box];
      const count = i.size + 2;
      const bound = (t: Tensor, s: Tensor, direction: 1 | -1) => {
        const value = run(name, [t, i, s], params);
        const magnitude = run(name, [run('abs', [t], undefined), i, run('abs', [s], undefined)], params);
        return noGrad(() => value.add(magnitude.mul(count * EPS).mul(direction)));
      };
      return { lo: bound(xb.lo, sb.lo, -1), hi: bound(xb.hi, sb.hi, 1) };
    },
  };
}

const matmulRule: IntervalRule = {
  ulps: 2,
  bounds: ([a, b]) => {
    const [x, y] = [a as Box, b as Box];
    return noGrad(() => {
      // Centre-radius form (Rump): A = Ac ± Ar, B = Bc ± Br => AB ⊆ AcBc ± (|Ac|Br + Ar|Bc| + ArBr).
      const [ac, ar] = centreRadius(x);
      const [bc, br] = centreRadius(y);
      const c = ac.matmul(bc);
      const inner = x.lo.shape[x.lo.ndim - 1] as number;
      const radius = ac.abs().matmul(br).add(ar.matmul(bc.abs())).add(ar.matmul(br));
      // Float64 error of every product above: at most γ(inner + 2) · |Ac||Bc| plus the same share of the radius.
      const gamma = (inner + 4) * EPS;
      const error = ac
        .abs()
        .matmul(bc.abs())
        .add(radius)
        .mul(gamma)
        .add(Number.MIN_VALUE * (inner + 1));
      const total = radius.add(error);
      return { lo: c.sub(total), hi: c.add(total) };
    });
  },
};

/** Centre and a radius rounded up so that [centre - radius, centre + radius] contains the box. */
function centreRadius(box: Box): [Tensor, Tensor] {
  const lo = box.lo.data;
  const hi = box.hi.data;
  const c = new Float64Array(lo.length);
  const r = new Float64Array(lo.length);
  for (let i = 0; i < lo.length; i++) {
    const l = lo[i] as number;
    const h = hi[i] as number;
    const m = l === h ? l : l / 2 + h / 2;
    c[i] = m;
    r[i] = Math.max(h - m, m - l) * (1 + 2 * EPS);
  }
  return [f64(c, box.lo.shape), f64(r, box.lo.shape)];
}

/** Ops that only move or copy elements: apply them to each endpoint (inputs made contiguous, as `asStrided` needs). */
const movement = <K extends OpName>(name: K): IntervalRule<OpParams<K>> => ({
  ulps: 0,
  bounds: (inputs, params) => {
    const ends = (pick: (b: Box) => Tensor) =>
      run(
        name,
        inputs.map((b) => noGrad(() => pick(b).contiguous())),
        params,
      );
    return { lo: ends((b) => b.lo), hi: ends((b) => b.hi) };
  },
});

const indexed = (name: 'gather' | 'indexSelect'): IntervalRule<OpParams<'gather' | 'indexSelect'>> => ({
  ulps: 0,
  bounds: ([x, index], params) => {
    const i = requirePoint(name, index as Box, 'index');
    return { lo: run(name, [(x as Box).lo, i], params), hi: run(name, [(x as Box).hi, i], params) };
  },
});

/** core's argmax/argmin ops always reduce a single dim (a full reduction runs on a flattened view). */
const argRule = (name: 'argmax' | 'argmin'): IntervalRule<OpParams<'argmax' | 'argmin'>> => ({
  ulps: 0,
  bounds: ([x], p) => {
    const v = requirePoint(name, x as Box, 'input');
    const dim = p.dims[0] as number;
    return pointBox(noGrad(() => (name === 'argmax' ? v.argmax(dim, p.keepdim) : v.argmin(dim, p.keepdim))));
  },
});

/**
 * The interval rule of every core op.
 * @example intervalRules.exp.bounds([{ lo, hi }], undefined) // { lo: exp(lo), hi: exp(hi) }
 */
export const intervalRules: { readonly [K in OpName]: IntervalRule<OpParams<K>> } = {
  neg: {
    ulps: 0,
    bounds: ([x]) => ({ lo: run('neg', [(x as Box).hi], undefined), hi: run('neg', [(x as Box).lo], undefined) }),
  },
  exp: within(NON_NEGATIVE, increasing('exp', 4)),
  log: increasing('log', 4, (l) => (l < 0 ? '< 0, where log is NaN' : null)),
  sqrt: within(
    NON_NEGATIVE,
    increasing('sqrt', 1, (l) => (l < 0 ? '< 0, where sqrt is NaN' : null)),
  ),
  abs: within(
    NON_NEGATIVE,
    elementwise(0, ([x]) => absRange(x as Pair)),
  ),
  sin: nanIf(
    nanWhere('sin of an infinite value', ([x]) => unbounded(x as Pair)),
    within(
      [-1, 1],
      elementwise(4, ([x]) => periodicRange(x as Pair, Math.sin, Math.PI / 2)),
    ),
  ),
  cos: nanIf(
    nanWhere('cos of an infinite value', ([x]) => unbounded(x as Pair)),
    within(
      [-1, 1],
      elementwise(4, ([x]) => periodicRange(x as Pair, Math.cos, 0)),
    ),
  ),
  tanh: within([-1, 1], increasing('tanh', 4)),
  sigmoid: within([0, 1], increasing('sigmoid', 4)),
  relu: increasing('relu', 0),
  reciprocal: elementwise(1, ([x]) => {
    const [l, h] = x as Pair;
    return l <= 0 && h >= 0 ? [-INF, INF] : [1 / h, 1 / l];
  }),
  square: within(
    NON_NEGATIVE,
    elementwise(1, ([x]) => {
      const [l, h] = absRange(x as Pair);
      return [l * l, h * h];
    }),
  ),
  log1p: increasing('log1p', 4, (l) => (l < -1 ? '< -1, where log1p is NaN' : null)),
  expm1: within([-1, INF], increasing('expm1', 4)),
  erf: within([-1, 1], increasing('erf', 4)),
  sign: increasing('sign', 0),
  floor: increasing('floor', 0),
  round: increasing('round', 0),
  isfinite: elementwise(0, ([x]) => {
    const [l, h] = x as Pair;
    return Number.isFinite(l) && Number.isFinite(h) ? [1, 1] : [0, 1];
  }),
  powScalar: {
    ...elementwise<OpParams<'powScalar'>>(4, ([x], { exponent }) => powRange(x as Pair, exponent)),
    // x^p >= 0 for an even integer p, and for any non-integer p (defined only for x >= 0).
    range: (_inputs, { exponent: p }) => {
      return !Number.isInteger(p) || p % 2 === 0 ? NON_NEGATIVE : null;
    },
  },
  clamp: increasing('clamp', 0),
  inRange: elementwise<OpParams<'inRange'>>(0, ([x], { min, max }) => {
    const [l, h] = x as Pair;
    // Comparisons with a NaN bound are false, as in the kernel: the mask is then 0.
    const inside = l >= min && h <= max;
    const outside = !(h >= min) || !(l <= max);
    return inside ? [1, 1] : outside ? [0, 0] : [0, 1];
  }),
  add: nanIf(
    nanWhere('Infinity + -Infinity', ([a, b]) => {
      const [[al, ah], [bl, bh]] = [a as Pair, b as Pair];
      return (ah === INF && bl === -INF) || (al === -INF && bh === INF);
    }),
    keepsSign(increasing('add', 1)),
  ),
  sub: {
    nan: nanWhere('Infinity - Infinity', ([a, b]) => {
      const [[al, ah], [bl, bh]] = [a as Pair, b as Pair];
      return (ah === INF && bh === INF) || (al === -INF && bl === -INF);
    }),
    ulps: 1,
    bounds: ([a, b]) => ({
      lo: run('sub', [(a as Box).lo, (b as Box).hi], undefined),
      hi: run('sub', [(a as Box).hi, (b as Box).lo], undefined),
    }),
  },
  mul: nanIf(
    nanWhere(
      '0 * Infinity',
      ([a, b]) =>
        (containsZero(a as Pair) && unbounded(b as Pair)) || (containsZero(b as Pair) && unbounded(a as Pair)),
    ),
    keepsSign(
      elementwise(1, ([a, b]) => {
        const [[al, ah], [bl, bh]] = [a as Pair, b as Pair];
        return hull([al * bl, al * bh, ah * bl, ah * bh]);
      }),
    ),
  ),
  div: nanIf(
    nanWhere(
      '0 / 0 or Infinity / Infinity',
      ([a, b]) =>
        (containsZero(a as Pair) && containsZero(b as Pair)) || (unbounded(a as Pair) && unbounded(b as Pair)),
    ),
    keepsSign(
      elementwise(1, ([a, b]) => {
        const [[al, ah], [bl, bh]] = [a as Pair, b as Pair];
        if (bl <= 0 && bh >= 0) return [-INF, INF];
        return hull([al / bl, al / bh, ah / bl, ah / bh]);
      }),
    ),
  ),
  pow: elementwise(4, ([a, b]) => {
    const [[a0, a1], [b0, b1]] = [a as Pair, b as Pair];
    if (b0 === b1) return powRange([a0, a1], b0);
    // For a > 0 (or a >= 0 with b > 0), a^b is monotone in each argument, so the extremes sit at the corners.
    if (a0 > 0 || (a0 === 0 && b0 > 0)) return hull([a0 ** b0, a0 ** b1, a1 ** b0, a1 ** b1]);
    throw new Error(
      `intervalBounds: pow with a varying exponent [${b0}, ${b1}] over a base interval reaching ${a0} <= 0 has no sound rule; keep the base positive or the exponent constant`,
    );
  }),
  maximum: increasing('maximum', 0),
  minimum: increasing('minimum', 0),
  eq: compare(([al, ah], [bl, bh]) => (al === ah && bl === bh && al === bl ? true : ah < bl || bh < al ? false : null)),
  ne: compare(([al, ah], [bl, bh]) => (al === ah && bl === bh && al === bl ? false : ah < bl || bh < al ? true : null)),
  gt: compare(([al, ah], [bl, bh]) => (al > bh ? true : ah <= bl ? false : null)),
  ge: compare(([al, ah], [bl, bh]) => (al >= bh ? true : ah < bl ? false : null)),
  lt: compare(([al, ah], [bl, bh]) => (ah < bl ? true : al >= bh ? false : null)),
  le: compare(([al, ah], [bl, bh]) => (ah <= bl ? true : al > bh ? false : null)),
  where: elementwise(0, ([c, a, b]) => {
    const [[c0, c1], [a0, a1], [b0, b1]] = [c as Pair, a as Pair, b as Pair];
    if (c0 > 0 || c1 < 0) return [a0, a1];
    if (c0 === 0 && c1 === 0) return [b0, b1];
    return [Math.min(a0, b0), Math.max(a1, b1)];
  }),
  sum: keepsSign({
    nan: ([x]) => nanInSums(x),
    ulps: 1,
    bounds: ([x], params) => {
      const box = x as Box;
      const dims = params.dims;
      const count = dims.reduce((n, d) => n * (box.lo.shape[d] as number), 1);
      return { lo: sumWithError(box.lo, params, count, -1), hi: sumWithError(box.hi, params, count, 1) };
    },
  }),
  max: increasing('max', 0),
  min: increasing('min', 0),
  argmax: argRule('argmax'),
  argmin: argRule('argmin'),
  matmul: nanIf(
    (inputs) =>
      firstElement(inputs.slice(0, 1), ([x]) => unbounded(x as Pair)) !== -1 ||
      firstElement(inputs.slice(1, 2), ([x]) => unbounded(x as Pair)) !== -1
        ? 'a product or sum with an infinite value (0 * Infinity or Infinity - Infinity)'
        : null,
    keepsSign(matmulRule),
  ),
  reshape: movement('reshape'),
  permute: movement('permute'),
  expand: movement('expand'),
  slice: movement('slice'),
  unslice: movement('unslice'),
  clone: movement('clone'),
  to: {
    ulps: 0,
    bounds: ([x], params) => {
      const box = x as Box;
      if (params.dtype !== 'float32') return box;
      const lo = Float64Array.from(box.lo.data, roundDownToFloat32);
      const hi = Float64Array.from(box.hi.data, roundUpToFloat32);
      return { lo: f64(lo, box.lo.shape), hi: f64(hi, box.hi.shape) };
    },
  },
  indexSelect: indexed('indexSelect'),
  indexAdd: scatterLike('indexAdd'),
  gather: indexed('gather'),
  scatterAdd: scatterLike('scatterAdd'),
  cat: movement('cat'),
  asStrided: movement('asStrided'),
  viewScatter: movement('viewScatter'),
};
