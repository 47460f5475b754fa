/**
 * @file An element-wise interval of a tensor: float64 `lo` and `hi` tensors of the same shape with
 * lo <= hi, and the element-wise helpers the interval rules share.
 */
import { apply, noGrad, type OpName, type OpParams, type OpTable, ops, type Tensor, tensor } from '@optimgrad/core';
import { nextDown, nextUp } from './ulp';

/** Every value of a tensor lies in [lo, hi] element-wise (both float64, same shape). */
export interface Box {
  readonly lo: Tensor;
  readonly hi: Tensor;
}

/**
 * A float64 tensor of `shape` holding `data`.
 * @example f64(new Float64Array([1, 2]), [2])
 */
export function f64(data: Float64Array, shape: readonly number[]): Tensor {
  return tensor(data, { dtype: 'float64', shape: [...shape] });
}

/**
 * A box holding exactly the values of `t`.
 * @example pointBox(tensor([1, 2])) // { lo: [1, 2], hi: [1, 2] }
 */
export function pointBox(t: Tensor): Box {
  const v = noGrad(() => t.detach().to('float64').contiguous());
  return { lo: v, hi: v };
}

/**
 * Runs core op `name` on `inputs` without recording graph.
 * @example run('add', [a, b], undefined)
 */
export function run<K extends OpName>(name: K, inputs: readonly Tensor[], params: OpParams<K>): Tensor {
  const table: OpTable = ops;
  return noGrad(() => apply(table[name], inputs, params));
}

/**
 * Rounds a box outward by `ulps` units in the last place, element-wise.
 * @example roundOut(box, 1) // every lo one float64 lower, every hi one higher
 */
export function roundOut(box: Box, ulps: number): Box {
  if (ulps === 0) return box;
  const lo = Float64Array.from(box.lo.data);
  const hi = Float64Array.from(box.hi.data);
  for (let i = 0; i < lo.length; i++) {
    let l = lo[i] as number;
    let h = hi[i] as number;
    for (let k = 0; k < ulps; k++) {
      l = nextDown(l);
      h = nextUp(h);
    }
    lo[i] = l;
    hi[i] = h;
  }
  return { lo: f64(lo, box.lo.shape), hi: f64(hi, box.hi.shape) };
}

/**
 * Clips a box to `[min, max]` element-wise: for ops whose every value lies there, so outward rounding never
 * leaves the op's range.
 * @example clipBox(roundOut(sqrtBox, 1), [0, Infinity]) // a lower bound of 0 stays 0
 */
export function clipBox(box: Box, [min, max]: readonly [number, number]): Box {
  const lo = Float64Array.from(box.lo.data, (v) => Math.min(Math.max(v, min), max));
  const hi = Float64Array.from(box.hi.data, (v) => Math.min(Math.max(v, min), max));
  return { lo: f64(lo, box.lo.shape), hi: f64(hi, box.hi.shape) };
}

/** The broadcast shape of several shapes (NumPy rules; the traced graph already checked they fit). */
function broadcastShape(shapes: readonly (readonly number[])[]): number[] {
  const n = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(n).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const d = s[s.length - 1 - i] as number;
      if (d !== 1) out[n - 1 - i] = d;
    }
  }
  return out;
}

/**
 * Calls `visit(i, bounds)` for each element of the broadcast shape of `boxes` with every input's [lo, hi] there,
 * until `visit` returns true; returns that element's index, or -1. The shared walk of `mapBoxes` and `firstElement`.
 */
function walkBoxes(
  boxes: readonly Box[],
  shape: readonly number[],
  visit: (i: number, bounds: readonly (readonly [number, number])[]) => boolean,
): number {
  const data = noGrad(() => boxes.map((b) => [b.lo.expand(...shape).data, b.hi.expand(...shape).data] as const));
  const size = shape.reduce((a, b) => a * b, 1);
  const args: [number, number][] = boxes.map(() => [0, 0]);
  for (let i = 0; i < size; i++) {
    data.forEach(([l, h], k) => {
      const arg = args[k] as [number, number];
      arg[0] = l[i] as number;
      arg[1] = h[i] as number;
    });
    if (visit(i, args)) return i;
  }
  return -1;
}

/**
 * Element-wise map over broadcast boxes: `f` gets each input's [lo, hi] and returns the result's [lo, hi].
 * @example mapBoxes([a, b], ([[al, ah], [bl, bh]]) => [al + bl, ah + bh])
 */
export function mapBoxes(
  boxes: readonly Box[],
  f: (bounds: readonly (readonly [number, number])[]) => readonly [number, number],
): Box {
  const shape = broadcastShape(boxes.map((b) => b.lo.shape));
  const size = shape.reduce((a, b) => a * b, 1);
  const lo = new Float64Array(size);
  const hi = new Float64Array(size);
  walkBoxes(boxes, shape, (i, bounds) => {
    const [a, b] = f(bounds);
    lo[i] = a;
    hi[i] = b;
    return false;
  });
  return { lo: f64(lo, shape), hi: f64(hi, shape) };
}

/**
 * The first element (in the broadcast shape of `boxes`) whose endpoints pass `test`, or -1.
 * @example firstElement([a, b], ([[al], [bl]]) => al < bl)
 */
export function firstElement(
  boxes: readonly Box[],
  test: (bounds: readonly (readonly [number, number])[]) => boolean,
): number {
  return walkBoxes(boxes, broadcastShape(boxes.map((b) => b.lo.shape)), (_i, bounds) => test(bounds));
}

/**
 * True when every element of the box is a single value.
 * @example isPoint(pointBox(tensor([1]))) // true
 */
export function isPoint(box: Box): boolean {
  const lo = box.lo.data;
  const hi = box.hi.data;
  for (let i = 0; i < lo.length; i++) if (lo[i] !== hi[i]) return false;
  return true;
}
