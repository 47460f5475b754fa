/**
 * @file Ops that move elements without arithmetic. reshape, permute, expand and slice are views
 * (they share storage, as in PyTorch); the rest copy.
 */
import type { Backend } from '../backend/backend';
import { checkDType, type DType } from '../dtype';
import { contiguousStrides, formatShape, type Shape, sizeOf } from '../shape';
import type { Tensor } from '../tensor';
import { copyInto, defineOp } from './op';

/**
 * Strides that let `newShape` read the same memory as (shape, strides), or null when no view can
 * (PyTorch's computeStride: each run of merged input dims must map onto a run of output dims).
 */
export function viewStrides(shape: Shape, strides: readonly number[], newShape: Shape): number[] | null {
  if (shape.length === 0 || sizeOf(shape) === 0) return contiguousStrides(newShape);
  const out = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBase = strides[strides.length - 1] as number;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    tensorNumel *= shape[d] as number;
    if (d === 0 || (shape[d - 1] !== 1 && strides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD] as number;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = strides[d - 1] as number;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? out : null;
}

/** Resolves one -1 and checks the element count. */
export function resolveShape(op: string, from: Shape, requested: readonly number[]): number[] {
  const size = sizeOf(from);
  let inferred = -1;
  let known = 1;
  requested.forEach((d, i) => {
    if (d === -1) {
      if (inferred !== -1) throw new Error(`${op}: only one dimension can be -1, got ${formatShape(requested)}`);
      inferred = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new Error(
        `${op}: invalid size ${d} in shape ${formatShape(requested)}; sizes are non-negative integers or one -1`,
      );
    } else known *= d;
  });
  const shape = [...requested];
  if (inferred !== -1) {
    if (known === 0 || size % known !== 0) {
      throw new Error(
        `${op}: shape ${formatShape(requested)} is invalid for a tensor of shape ${formatShape(from)} (${size} elements)`,
      );
    }
    shape[inferred] = size / known;
  } else if (known !== size) {
    throw new Error(
      `${op}: cannot reshape a tensor of shape ${formatShape(from)} (${size} elements) into ${formatShape(requested)} (${known} elements); the element counts must match`,
    );
  }
  return shape;
}

export const reshape = defineOp<{ shape: readonly number[] }, 'reshape'>({
  kind: 'view',
  id: 'reshape',
  name: 'reshape',
  elementwise: false,
  formula: ['d(reshape(x))/dx = reshape of the gradient back to x.shape'],
  latex: ['\\frac{\\partial L}{\\partial x} = \\operatorname{reshape}(G, \\text{shape}(x))'],
  saves: [],
  differentiable: true,
  shape: (_inputs, { shape }) => shape,
  view: (x, _params, shape) => {
    const strides = viewStrides(x.shape, x.strides, shape);
    if (strides === null) throw new Error('reshape: internal error: input is not viewable; make it contiguous first');
    return { shape, strides, offset: x.offset };
  },
  backward: (g, { inputs: [x] }) => [g.reshape((x as Tensor).shape)],
});

export const permute = defineOp<{ dims: readonly number[] }, 'permute'>({
  kind: 'view',
  id: 'permute',
  name: 'permute',
  elementwise: false,
  formula: ['d(permute(x))/dx = the gradient permuted back'],
  latex: ['\\frac{\\partial L}{\\partial x} = \\operatorname{permute}^{-1}(G)'],
  saves: [],
  differentiable: true,
  shape: ([x], { dims }) => dims.map((d) => (x as Shape)[d] as number),
  view: (x, { dims }, shape) => ({ shape, strides: dims.map((d) => x.strides[d] as number), offset: x.offset }),
  backward: (g, { params: { dims } }) => {
    const inverse = new Array<number>(dims.length);
    dims.forEach((d, i) => {
      inverse[d] = i;
    });
    return [g.permute(...inverse)];
  },
});

export const expand = defineOp<{ shape: readonly number[] }, 'expand'>({
  kind: 'view',
  id: 'expand',
  name: 'expand',
  elementwise: false,
  formula: ['d(expand(x))/dx = the gradient summed over the expanded dims'],
  latex: ['\\frac{\\partial L}{\\partial x} = \\sum_{\\text{expanded dims}} G'],
  saves: [],
  differentiable: true,
  shape: (_inputs, { shape }) => shape,
  view: (x, _params, shape) => {
    const lead = shape.length - x.ndim;
    const strides = shape.map((d, i) =>
      i < lead || (x.shape[i - lead] === 1 && d !== 1) ? 0 : (x.strides[i - lead] as number),
    );
    return { shape, strides, offset: x.offset };
  },
  // The engine sums the broadcast gradient back to x's shape.
  backward: (g) => [g],
});

export interface SliceParams {
  readonly dim: number;
  readonly start: number;
  readonly end: number;
  readonly step: number;
}

export function sliceLength({ start, end, step }: SliceParams): number {
  return end > start ? Math.ceil((end - start) / step) : 0;
}

export const slice = defineOp<SliceParams, 'slice'>({
  kind: 'view',
  id: 'slice',
  name: 'slice',
  elementwise: false,
  formula: ['d(x[a:b:s])/dx = the gradient placed back at the sliced positions, 0 elsewhere'],
  latex: ['\\frac{\\partial L}{\\partial x} = \\operatorname{pad}(G)'],
  saves: [],
  differentiable: true,
  shape: ([x], params) => (x as Shape).map((d, i) => (i === params.dim ? sliceLength(params) : d)),
  view: (x, { dim, start, step }, shape) => ({
    shape,
    strides: x.strides.map((s, i) => (i === dim ? s * step : s)),
    offset: x.offset + start * (x.strides[dim] as number),
  }),
  backward: (g, { inputs: [x], params, apply }) => [apply(unslice, [g], { ...params, shape: (x as Tensor).shape })],
});

/** The adjoint of slice: a zero tensor of `shape` with the input written at the sliced positions. */
export const unslice = defineOp<SliceParams & { shape: Shape }, 'unslice'>({
  kind: 'compute',
  id: 'unslice',
  name: 'unslice',
  elementwise: false,
  formula: ['d(unslice(g))/dg = the slice of the gradient'],
  latex: ['\\frac{\\partial L}{\\partial g} = G[a:b:s]'],
  saves: [],
  differentiable: true,
  shape: (_inputs, { shape }) => shape,
  forward: (k, [g], out, { dim, start, step, shape }) => {
    const strides = contiguousStrides(shape);
    const dest = {
      data: out,
      offset: start * (strides[dim] as number),
      strides: strides.map((s, i) => (i === dim ? s * step : s)),
    };
    const source = g as Tensor;
    k.copy(source.stridedView(source.shape), dest, source.shape);
  },
  backward: (g, { params: { dim, start, end, step } }) => [g.slice(dim, start, end, step)],
});

export const clone = defineOp({
  kind: 'compute',
  id: 'clone',
  name: 'clone',
  elementwise: true,
  formula: ['d(clone(x))/dx = 1'],
  latex: ['\\frac{\\partial x}{\\partial x} = 1'],
  saves: [],
  differentiable: true,
  shape: ([x]) => x as Shape,
  forward: (k, [x], out) => {
    const t = x as Tensor;
    k.copy(t.stridedView(t.shape), { data: out, offset: 0, strides: contiguousStrides(t.shape) }, t.shape);
  },
  backward: (g) => [g],
});

export const to = defineOp<{ dtype: DType }, 'to'>({
  kind: 'compute',
  id: 'to',
  name: 'to',
  elementwise: true,
  formula: ['d(x.to(dtype))/dx = 1 (the gradient is cast back)'],
  latex: ['\\frac{\\partial x}{\\partial x} = 1'],
  saves: [],
  differentiable: true,
  shape: ([x]) => x as Shape,
  dtype: (_inputs, { dtype }) => checkDType(dtype, 'to'),
  forward: (k, [x], out) => {
    const t = x as Tensor;
    k.copy(t.stridedView(t.shape), { data: out, offset: 0, strides: contiguousStrides(t.shape) }, t.shape);
  },
  backward: (g, { inputs: [x] }) => [g.to((x as Tensor).dtype)],
});

/** Checks that every index is an integer in [0, size), naming the op (the scan is the backend's `firstInvalidIndex`). */
export function checkIndices(k: Backend, op: string, index: Tensor, size: number, dim: number): void {
  const data = index.contiguousData();
  const i = k.firstInvalidIndex(data, size);
  if (i !== -1) {
    const v = data[i] as number;
    throw new Error(
      `${op}: index ${v} at position ${i} is out of range for dim ${dim} of size ${size}; indices must be integers in [0, ${size - 1}]`,
    );
  }
}

function checkIndexVector(op: string, index: Shape): void {
  if (index.length !== 1)
    throw new Error(`${op}: index must be 1-D, got shape ${formatShape(index)}; flatten it first`);
}

function blocks(shape: Shape, dim: number) {
  return { outer: sizeOf(shape.slice(0, dim)), size: shape[dim] as number, inner: sizeOf(shape.slice(dim + 1)) };
}

export const indexSelect = defineOp<{ dim: number }, 'indexSelect'>({
  kind: 'compute',
  id: 'indexSelect',
  name: 'indexSelect',
  elementwise: false,
  formula: [
    'd(x.indexSelect(i))/dx = the gradient added back at the selected rows (indexAdd)',
    'no derivative (indices)',
  ],
  latex: ['\\frac{\\partial L}{\\partial x} = \\operatorname{indexAdd}(0, i, G)', '\\text{no derivative (indices)}'],
  saves: [1],
  differentiable: true,
  shape: ([x, index], { dim }) => {
    checkIndexVector('indexSelect', index as Shape);
    return (x as Shape).map((d, i) => (i === dim ? ((index as Shape)[0] as number) : d));
  },
  dtype: ([x]) => (x as Tensor).dtype,
  forward: (k, [x, index], out, { dim }) => {
    const t = x as Tensor;
    checkIndices(k, 'indexSelect', index as Tensor, t.shape[dim] as number, dim);
    const { outer, size, inner } = blocks(t.shape, dim);
    k.indexSelect(t.contiguousData(), (index as Tensor).contiguousData(), outer, size, inner, out);
  },
  backward: (g, { inputs: [x, index], params: { dim } }) => [
    (x as Tensor).newZeros((x as Tensor).shape).indexAdd(dim, index as Tensor, g),
    null,
  ],
});

export const indexAdd = defineOp<{ dim: number }, 'indexAdd'>({
  kind: 'compute',
  id: 'indexAdd',
  name: 'indexAdd',
  elementwise: false,
  formula: [
    'd(indexAdd(x, i, s))/dx = 1',
    'no derivative (indices)',
    'd(indexAdd(x, i, s))/ds = the gradient at the indexed rows (indexSelect)',
  ],
  latex: [
    '\\frac{\\partial L}{\\partial x} = G',
    '\\text{no derivative (indices)}',
    '\\frac{\\partial L}{\\partial s} = G[i]',
  ],
  saves: [1],
  differentiable: true,
  shape: ([x, index, source], { dim }) => {
    checkIndexVector('indexAdd', index as Shape);
    const expected = (x as Shape).map((d, i) => (i === dim ? ((index as Shape)[0] as number) : d));
    if (formatShape(expected) !== formatShape(source as Shape)) {
      throw new Error(
        `indexAdd: source has shape ${formatShape(source as Shape)} but ${formatShape(expected)} was expected for index of length ${(index as Shape)[0]} along dim ${dim}`,
      );
    }
    return x as Shape;
  },
  dtype: ([x, , s]) => ((x as Tensor).dtype === 'float64' || (s as Tensor).dtype === 'float64' ? 'float64' : 'float32'),
  forward: (k, [x, index, source], out, { dim }) => {
    const t = x as Tensor;
    checkIndices(k, 'indexAdd', index as Tensor, t.shape[dim] as number, dim);
    copyInto(k, t, out);
    const { outer, size, inner } = blocks(t.shape, dim);
    k.indexAdd((source as Tensor).contiguousData(), (index as Tensor).contiguousData(), outer, size, inner, out);
  },
  backward: (g, { inputs: [, index], params: { dim } }) => [g, null, g.indexSelect(dim, index as Tensor)],
});

function checkGatherShapes(op: string, x: Shape, index: Shape, dim: number): void {
  if (index.length !== x.length) {
    throw new Error(
      `${op}: index has ${index.length} dims but the tensor has ${x.length}; they must have the same number of dims`,
    );
  }
  index.forEach((d, i) => {
    if (i !== dim && d > (x[i] as number)) {
      throw new Error(
        `${op}: index shape ${formatShape(index)} is larger than tensor shape ${formatShape(x)} at dim ${i}; only dim ${dim} may differ`,
      );
    }
  });
}

export const gather = defineOp<{ dim: number }, 'gather'>({
  kind: 'compute',
  id: 'gather',
  name: 'gather',
  elementwise: false,
  formula: [
    'd(gather(x, i))/dx = the gradient scattered back to the gathered positions (scatterAdd)',
    'no derivative (indices)',
  ],
  latex: ['\\frac{\\partial L}{\\partial x} = \\operatorname{scatterAdd}(G)', '\\text{no derivative (indices)}'],
  saves: [1],
  differentiable: true,
  shape: ([x, index], { dim }) => {
    checkGatherShapes('gather', x as Shape, index as Shape, dim);
    return index as Shape;
  },
  dtype: ([x]) => (x as Tensor).dtype,
  forward: (k, [x, index], out, { dim }) => {
    const t = x as Tensor;
    const i = index as Tensor;
    checkIndices(k, 'gather', i, t.shape[dim] ?? 1, dim);
    k.gather(t.contiguousData(), t.shape, i.contiguousData(), i.shape, dim, out);
  },
  backward: (g, { inputs: [x, index], params: { dim } }) => [
    (x as Tensor).newZeros((x as Tensor).shape).scatterAdd(dim, index as Tensor, g),
    null,
  ],
});

export const scatterAdd = defineOp<{ dim: number }, 'scatterAdd'>({
  kind: 'compute',
  id: 'scatterAdd',
  name: 'scatterAdd',
  elementwise: false,
  formula: [
    'd(scatterAdd(x, i, s))/dx = 1',
    'no derivative (indices)',
    'd(scatterAdd(x, i, s))/ds = the gradient at the indexed positions (gather)',
  ],
  latex: [
    '\\frac{\\partial L}{\\partial x} = G',
    '\\text{no derivative (indices)}',
    '\\frac{\\partial L}{\\partial s} = \\operatorname{gather}(G, i)',
  ],
  saves: [1],
  differentiable: true,
  shape: ([x, index, source], { dim }) => {
    checkGatherShapes('scatterAdd', x as Shape, index as Shape, dim);
    if (formatShape(index as Shape) !== formatShape(source as Shape)) {
      throw new Error(
        `scatterAdd: source shape ${formatShape(source as Shape)} must equal index shape ${formatShape(index as Shape)}`,
      );
    }
    return x as Shape;
  },
  dtype: ([x, , s]) => ((x as Tensor).dtype === 'float64' || (s as Tensor).dtype === 'float64' ? 'float64' : 'float32'),
  forward: (k, [x, index, source], out, { dim }) => {
    const t = x as Tensor;
    const i = index as Tensor;
    checkIndices(k, 'scatterAdd', i, t.shape[dim] ?? 1, dim);
    copyInto(k, t, out);
    k.scatterAdd((source as Tensor).contiguousData(), i.contiguousData(), i.shape, dim, out, t.shape);
  },
  backward: (g, { inputs: [, index], params: { dim } }) => [g, null, g.gather(dim, index as Tensor)],
});

export const cat = defineOp<{ dim: number }, 'cat'>({
  kind: 'compute',
  id: 'cat',
  name: 'cat',
  elementwise: false,
  formula: ['d(cat(x_1..x_n))/dx_i = the slice of the gradient that x_i filled'],
  latex: ['\\frac{\\partial L}{\\partial x_i} = G[\\text{rows of } x_i]'],
  saves: [],
  differentiable: true,
  shape: (shapes, { dim }) => {
    const first = shapes[0] as Shape;
    let total = 0;
    shapes.forEach((s, n) => {
      if (s.length !== first.length || s.some((d, i) => i !== dim && d !== first[i])) {
        throw new Error(
          `cat: tensor ${n} has shape ${formatShape(s)} but tensor 0 has shape ${formatShape(first)}; all sizes must match except along dim ${dim}`,
        );
      }
      total += s[dim] as number;
    });
    return first.map((d, i) => (i === dim ? total : d));
  },
  forward: (k, inputs, out, { dim }, shape) => {
    const strides = contiguousStrides(shape);
    let offset = 0;
    for (const t of inputs) {
      k.copy(t.stridedView(t.shape), { data: out, offset: offset * (strides[dim] as number), strides }, t.shape);
      offset += t.shape[dim] as number;
    }
  },
  backward: (g, { inputs, params: { dim } }) => {
    let offset = 0;
    return inputs.map((t) => {
      const size = t.shape[dim] as number;
      offset += size;
      return g.slice(dim, offset - size, offset);
    });
  },
});
