/**
 * @file A naive reference for shapes and views: tensors as flat row-major number arrays with a
 * shape, and every operation written as index arithmetic, independent of strides and kernels.
 */

export interface Dense {
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

export function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** Row-major multi-index of flat position `flat` in `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length).fill(0);
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d] as number;
    index[d] = rest % n;
    rest = Math.floor(rest / n);
  }
  return index;
}

/** Flat row-major position of `index` in `shape`. */
export function ravel(index: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * (shape[d] as number) + (index[d] as number);
  return flat;
}

/** NumPy broadcasting of two shapes, or null when they do not broadcast. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** The element of `t` seen at `index` of the broadcast shape. */
function broadcastRead(t: Dense, index: readonly number[]): number {
  const lead = index.length - t.shape.length;
  const own = t.shape.map((d, i) => (d === 1 ? 0 : (index[lead + i] as number)));
  return t.values[ravel(own, t.shape)] as number;
}

/** Element-wise `f` over broadcast inputs. */
export function broadcastMap(inputs: readonly Dense[], f: (...v: number[]) => number): Dense {
  let shape: number[] = [];
  for (const t of inputs) {
    const next = broadcastShape(shape, t.shape);
    if (next === null) throw new Error('naive: shapes do not broadcast');
    shape = next;
  }
  const values = Array.from({ length: sizeOfShape(shape) }, (_, i) => {
    const index = unravel(i, shape);
    return f(...inputs.map((t) => broadcastRead(t, index)));
  });
  return { shape, values };
}

export function permuteDense(t: Dense, dims: readonly number[]): Dense {
  const shape = dims.map((d) => t.shape[d] as number);
  const values = Array.from({ length: t.values.length }, (_, i) => {
    const index = unravel(i, shape);
    const source = new Array<number>(dims.length);
    dims.forEach((d, k) => {
      source[d] = index[k] as number;
    });
    return t.values[ravel(source, t.shape)] as number;
  });
  return { shape, values };
}

export function sliceDense(t: Dense, dim: number, start: number, end: number, step: number): Dense {
  const length = end > start ? Math.ceil((end - start) / step) : 0;
  const shape = t.shape.map((d, i) => (i === dim ? length : d));
  const values = Array.from({ length: sizeOfShape(shape) }, (_, i) => {
    const index = unravel(i, shape);
    index[dim] = start + (index[dim] as number) * step;
    return t.values[ravel(index, t.shape)] as number;
  });
  return { shape, values };
}

export function expandDense(t: Dense, shape: readonly number[]): Dense {
  return broadcastMap([t, { shape, values: new Array<number>(sizeOfShape(shape)).fill(0) }], (v) => v);
}

/** Sums `t` over `dims` (kept as size 1 when keepdim). */
export function sumDense(t: Dense, dims: readonly number[], keepdim: boolean): Dense {
  const kept = t.shape.map((d, i) => (dims.includes(i) ? 1 : d));
  const values = new Array<number>(sizeOfShape(kept)).fill(0);
  t.values.forEach((v, i) => {
    const index = unravel(i, t.shape).map((x, d) => (dims.includes(d) ? 0 : x));
    const at = ravel(index, kept);
    values[at] = (values[at] as number) + v;
  });
  return { shape: keepdim ? kept : t.shape.filter((_, i) => !dims.includes(i)), values };
}
