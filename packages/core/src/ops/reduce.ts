/** @file Reductions over any set of dims (sum, max, min, argmax, argmin); mean/var/... compose these. */
import type { Backend, ReduceKind } from '../backend/backend';
import type { TypedArray } from '../dtype';
import { type Shape, sizeOf } from '../shape';
import type { Tensor } from '../tensor';
import { copyInto, defineOp } from './op';

export interface ReduceParams {
  /** Sorted, unique, non-negative dims to reduce. */
  readonly dims: readonly number[];
  readonly keepdim: boolean;
}

/** The shape after reducing `dims` (kept as size 1 with keepdim). */
export function reducedShape(shape: Shape, { dims, keepdim }: ReduceParams): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!dims.includes(i)) out.push(d);
    else if (keepdim) out.push(1);
  });
  return out;
}

function checkNonEmpty(op: string, shape: Shape, dims: readonly number[]): void {
  for (const d of dims.length ? dims : []) {
    if (shape[d] === 0) {
      throw new Error(
        `${op}: cannot reduce over dim ${d} of size 0 in a tensor of shape [${shape.join(', ')}]; the result has no identity`,
      );
    }
  }
  if (dims.length === 0 && sizeOf(shape) === 0 && shape.length === 0) return;
}

/** Runs a reduction kernel: reads the reduced dims as one contiguous middle block, copying if needed. */
function runReduce(k: Backend, kind: ReduceKind, x: Tensor, dims: readonly number[], out: TypedArray): void {
  const shape = x.shape;
  if (dims.length === 0) {
    copyInto(k, x, out);
    return;
  }
  const first = dims[0] as number;
  const last = dims[dims.length - 1] as number;
  const adjacent = last - first + 1 === dims.length;
  if (adjacent) {
    const outer = sizeOf(shape.slice(0, first));
    const size = sizeOf(shape.slice(first, last + 1));
    const inner = sizeOf(shape.slice(last + 1));
    k.reduce(kind, x.contiguousData(), outer, size, inner, out);
    return;
  }
  // Move kept dims first, reduced dims last; kept dims stay in order so the output order is right.
  const kept = shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const moved = x.permute(...kept, ...dims);
  k.reduce(
    kind,
    moved.contiguousData(),
    sizeOf(kept.map((i) => shape[i] as number)),
    sizeOf(dims.map((i) => shape[i] as number)),
    1,
    out,
  );
}

/** Re-inserts reduced dims as size 1 so a reduced gradient broadcasts back over the input. */
function keepDims(g: Tensor, inputShape: Shape, { dims, keepdim }: ReduceParams): Tensor {
  return keepdim ? g : g.reshape(inputShape.map((d, i) => (dims.includes(i) ? 1 : d)));
}

export const sum = defineOp<ReduceParams, 'sum'>({
  kind: 'compute',
  id: 'sum',
  name: 'sum',
  elementwise: false,
  formula: ['d(sum(x))/dx_i = 1'],
  latex: ['\\frac{\\partial \\sum_j x_j}{\\partial x_i} = 1'],
  saves: [],
  differentiable: true,
  shape: ([x], params) => reducedShape(x as Shape, params),
  forward: (k, [x], out, { dims }) => runReduce(k, 'sum', x as Tensor, dims, out),
  backward: (g, { inputs: [x], params }) => [keepDims(g, (x as Tensor).shape, params).expand(...(x as Tensor).shape)],
});

/** Params of max/min: `indexed` when a single dim was given (torch.max(x, dim) sends the gradient to the argmax). */
export interface ExtremumParams extends ReduceParams {
  readonly indexed: boolean;
}

function extremumOp<const Id extends 'max' | 'min'>(name: Id) {
  const arg = name === 'max' ? 'argmax' : 'argmin';
  return defineOp<ExtremumParams, Id>({
    kind: 'compute',
    id: name,
    name,
    elementwise: false,
    formula: [
      `d(${name}(x))/dx_i = 1 at the ${name === 'max' ? 'largest' : 'smallest'} element (shared equally among ties for a full reduction), else 0`,
    ],
    latex: [`\\frac{\\partial \\${name}_j x_j}{\\partial x_i} = [\\,i = \\operatorname{${arg}}_j x_j\\,]`],
    saves: [0, 'output'],
    differentiable: true,
    shape: ([x], params) => {
      checkNonEmpty(name, x as Shape, params.dims.length ? params.dims : (x as Shape).map((_, i) => i));
      return reducedShape(x as Shape, params);
    },
    forward: (k, [x], out, { dims }) => runReduce(k, name, x as Tensor, dims, out),
    backward: (g, { inputs: [input], output, params }) => {
      const x = input as Tensor;
      if (params.dims.length === 0) return [g]; // a 0-d input: the result is the input itself
      const gk = keepDims(g, x.shape, params);
      if (params.indexed) {
        const dim = params.dims[0] as number;
        const index = name === 'max' ? x.argmax(dim, true) : x.argmin(dim, true);
        return [x.newZeros(x.shape).scatterAdd(dim, index, gk)];
      }
      // amax/amin semantics: ties share the gradient equally.
      const extremum = keepDims(output, x.shape, params);
      let mask = x.eq(extremum);
      // A full reduction that found NaN sends the gradient to the NaN elements (PyTorch's max()/min()).
      if (params.dims.length === x.ndim) mask = mask.add(x.ne(x).mul(extremum.ne(extremum)));
      const count = mask.sum(params.dims as number[], true);
      return [gk.mul(mask).div(count)];
    },
  });
}

export const max = extremumOp('max');
export const min = extremumOp('min');

function argOp<const Id extends 'argmax' | 'argmin'>(name: Id) {
  return defineOp<ReduceParams, Id>({
    kind: 'compute',
    id: name,
    name,
    elementwise: false,
    formula: ['no derivative (an index)'],
    latex: ['\\text{no derivative (an index)}'],
    saves: [],
    differentiable: false,
    shape: ([x], params) => {
      checkNonEmpty(name, x as Shape, params.dims.length ? params.dims : (x as Shape).map((_, i) => i));
      return reducedShape(x as Shape, params);
    },
    forward: (k, [x], out, { dims }) => runReduce(k, name, x as Tensor, dims, out),
    backward: () => [null],
  });
}

export const argmax = argOp('argmax');
export const argmin = argOp('argmin');
