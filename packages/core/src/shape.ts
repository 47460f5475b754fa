/** @file Shapes, strides and dimension arithmetic shared by ops, kernels and the engine. */

export type Shape = readonly number[];

/** Number of elements in a shape (1 for a 0-d shape). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides for a contiguous tensor of `shape`. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] as number;
  }
  return strides;
}

/** True when `strides` read `shape` row-major without gaps (size-1 dims may have any stride). */
export function isRowMajor(strides: readonly number[], shape: Shape): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d] as number;
    if (size !== 1 && strides[d] !== expected) return false;
    expected *= size;
  }
  return true;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Validates a user-given shape: non-negative integers only. */
export function checkShape(shape: unknown, where: string): number[] {
  if (!Array.isArray(shape)) {
    throw new Error(`${where}: shape must be an array of non-negative integers, got ${String(shape)}`);
  }
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new Error(
        `${where}: shape [${shape.map(String).join(', ')}] has an invalid size ${String(d)}; every size must be a non-negative integer`,
      );
    }
  }
  return shape as number[];
}

/** Turns a possibly negative `dim` into an index in [0, ndim), or throws naming the op. */
export function normalizeDim(dim: number, ndim: number, op: string, extra = 0): number {
  const n = ndim + extra;
  if (!Number.isInteger(dim) || dim < -Math.max(n, 1) || dim >= Math.max(n, 1)) {
    const lo = -Math.max(n, 1);
    const hi = Math.max(n, 1) - 1;
    throw new Error(
      `${op}: dim ${dim} is out of range for a tensor with ${ndim} dimension(s); use a dim in [${lo}, ${hi}]`,
    );
  }
  return dim < 0 ? dim + Math.max(n, 1) : dim;
}

/** Normalises a `dim` argument (number, array or undefined = all dims) to sorted unique dims. */
export function normalizeDims(dim: number | readonly number[] | undefined, ndim: number, op: string): number[] {
  if (dim === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dim === 'number' ? [dim] : [...dim];
  // A 0-d tensor accepts dim 0 or -1 (as PyTorch does) and has nothing to reduce.
  const dims = list.map((d) => normalizeDim(d, ndim, op));
  if (ndim === 0) return [];
  const unique = [...new Set(dims)].sort((a, b) => a - b);
  if (unique.length !== dims.length) {
    throw new Error(`${op}: dim ${JSON.stringify(list)} names a dimension twice; list each dimension once`);
  }
  return unique;
}

/** The shape of every 0-d tensor and the strides of a contiguous one: shared, since both are read-only. */
export const SCALAR_SHAPE: Shape = Object.freeze([]);

/** NumPy broadcasting of two shapes; throws naming the op and both shapes. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  return broadcastShape(op, a, b).slice();
}

/**
 * `broadcastShapes` for op shape rules: returns one of the inputs (not a copy) when it already is the
 * result, the common case of equal shapes or a 0-d operand, so an op's output can share its input's
 * shape and strides arrays (see "Per-op overhead" in BACKEND.md).
 */
export function broadcastShape(op: string, a: Shape, b: Shape): Shape {
  if (a === b || b.length === 0) return a;
  if (a.length === 0) return b;
  if (shapesEqual(a, b)) return a;
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : (a[i - (n - a.length)] as number);
    const db = i < n - b.length ? 1 : (b[i - (n - b.length)] as number);
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${op}: cannot broadcast shapes ${formatShape(a)} and ${formatShape(b)}: ` +
          `size ${da} and size ${db} differ at dimension ${i} of the result; ` +
          'trailing dimensions must be equal or 1 (reshape or unsqueeze one input)',
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides that read a tensor of `shape`/`strides` as if expanded to `target` (0 on broadcast dims). */
export function broadcastStrides(shape: Shape, strides: readonly number[], target: Shape): number[] {
  const n = target.length;
  const out = new Array<number>(n).fill(0);
  const lead = n - shape.length;
  for (let i = 0; i < shape.length; i++) {
    out[lead + i] = shape[i] === 1 && target[lead + i] !== 1 ? 0 : (strides[i] as number);
  }
  return out;
}
