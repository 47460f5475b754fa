/**
 * @file Tensor method arguments turned into op params: PyTorch's calling conventions (varargs
 * shapes, negative dims, omitted bounds) and the errors users see when they do not fit. Kept out of
 * the class so each method reads as the one op it applies.
 */
import type { SliceParams } from './ops/movement';
import type { ClampParams } from './ops/unary';
import { checkShape, formatShape, normalizeDim, normalizeDims } from './shape';
import type { Tensor } from './tensor';

/** A shape given as varargs (`reshape(2, 3)`) or as one array (`reshape([2, 3])`). */
export type ShapeArgs = readonly number[] | [readonly number[]];

export function shapeArgs(args: ShapeArgs): number[] {
  return Array.isArray(args[0]) ? [...(args[0] as readonly number[])] : [...(args as readonly number[])];
}

export function clampParams(min: number | null | undefined, max: number | null | undefined): ClampParams {
  const lo = min ?? Number.NEGATIVE_INFINITY;
  const hi = max ?? Number.POSITIVE_INFINITY;
  if (min == null && max == null) throw new Error('clamp: give at least one of min and max');
  // With min > max every element becomes max and, as in torch, no gradient flows (the mask is empty).
  return { min: lo, max: hi };
}

/** The dims a reduction runs over: all of them when `dim` is omitted or `[]` (as torch.sum(x, dim=[]) does). */
export function reductionDims(dim: number | readonly number[] | undefined, ndim: number, op: string): number[] {
  return normalizeDims(Array.isArray(dim) && dim.length === 0 ? undefined : dim, ndim, op);
}

/** Params of `max`/`min`; `indexed` when a single dim was given, as torch's `max(dim)` then picks one element. */
export function extremumParams(t: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean, op: string) {
  const dims = reductionDims(dim, t.ndim, op);
  checkExtremumDims(t, dim, dims, op);
  return { dims, keepdim, indexed: typeof dim === 'number' };
}

/**
 * As PyTorch: a max/min/argmax over a dim of size 0 has no value, but reducing beside one is fine
 * (`zeros([1, 0]).max(0)` has shape [0]); an empty tensor needs an explicit dim.
 */
export function checkExtremumDims(
  t: Tensor,
  dim: number | readonly number[] | undefined,
  dims: readonly number[],
  op: string,
): void {
  if (t.size !== 0) return;
  if (dim === undefined) {
    throw new Error(
      `${op}: cannot take the ${op} of an empty tensor of shape ${formatShape(t.shape)} without a dim; give the dim to reduce (a dim whose size is not 0)`,
    );
  }
  for (const d of dims) {
    if (t.shape[d] === 0) {
      throw new Error(
        `${op}: expected reduction dim ${d} to have non-zero size, got shape ${formatShape(t.shape)}; the ${op} over no elements has no value`,
      );
    }
  }
}

/** The dims of `permute`, normalized; each dim of a tensor of `ndim` dims exactly once. */
export function permuteDims(list: readonly number[], ndim: number): number[] {
  if (list.length !== ndim) {
    throw new Error(
      `permute: got ${list.length} dims ${formatShape(list)} for a tensor with ${ndim} dims; give each dim exactly once`,
    );
  }
  const normalized = list.map((d) => normalizeDim(d, ndim, 'permute'));
  if (new Set(normalized).size !== normalized.length) {
    throw new Error(`permute: dims ${formatShape(list)} repeat a dim; give each of the ${ndim} dims exactly once`);
  }
  return normalized;
}

/** The full shape `expand` produces from `shape` (new leading dims allowed, -1 keeps a dim). */
export function expandTarget(shape: readonly number[], requested: readonly number[]): number[] {
  if (requested.length < shape.length) {
    throw new Error(
      `expand: the target shape ${formatShape(requested)} has fewer dims than the tensor's shape ${formatShape(shape)}`,
    );
  }
  const lead = requested.length - shape.length;
  return requested.map((d, i) => {
    const own = i < lead ? undefined : shape[i - lead];
    if (d === -1) {
      if (own === undefined)
        throw new Error(`expand: -1 is not allowed for the new leading dim ${i} in ${formatShape(requested)}`);
      return own;
    }
    if (own !== undefined && own !== 1 && own !== d) {
      throw new Error(
        `expand: cannot expand shape ${formatShape(shape)} to ${formatShape(requested)}: dim ${i - lead} has size ${own}, which is not 1 and differs from ${d}`,
      );
    }
    checkShape([d], 'expand');
    return d;
  });
}

/** Params of `slice`: Python-style indices (negative from the end, clamped to the dim). */
export function sliceParams(
  shape: readonly number[],
  dim: number,
  start: number,
  end: number | undefined,
  step: number,
): SliceParams {
  const d = normalizeDim(dim, shape.length, 'slice');
  const size = shape[d] as number;
  if (!Number.isInteger(step) || step <= 0) throw new Error(`slice: step must be a positive integer, got ${step}`);
  const clampIndex = (i: number) => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
  return {
    dim: d,
    start: clampIndex(start),
    end: Math.max(clampIndex(end ?? size), clampIndex(start)),
    step,
  };
}
