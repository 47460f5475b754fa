/**
 * @file In-place ops on views inside the autograd graph (PyTorch's CopySlices): a view is a
 * window (shape, strides, offset) onto its contiguous base, `asStrided` reads that window and
 * `viewScatter` writes new values into it. Changing `base[window]` in place records
 * `base = viewScatter(oldBase, newWindowValues)` and re-reads the view through `asStrided`.
 */
import { formatShape, type Shape, shapesEqual } from '../shape';
import type { Tensor } from '../tensor';
import { type ComputeOp, copyInto, defineOp, type OpIdentity, type ViewOp } from './op';

/** A window onto a contiguous tensor: `offset` and `strides` count elements of its row-major layout. */
export interface ViewWindow {
  readonly shape: Shape;
  readonly strides: readonly number[];
  readonly offset: number;
}

/** Reads the window of a contiguous input (its adjoint writes the gradient back into zeros). */
export const asStrided: ViewOp<ViewWindow, 'asStrided'> & OpIdentity<'asStrided'> = defineOp<ViewWindow, 'asStrided'>({
  kind: 'view',
  id: 'asStrided',
  name: 'asStrided',
  elementwise: false,
  formula: ['d(x[window])/dx = the gradient written back into the window, 0 elsewhere'],
  latex: ['\\frac{\\partial L}{\\partial x} = \\operatorname{scatter}_{\\text{window}}(G)'],
  saves: [],
  differentiable: true,
  shape: (_inputs, { shape }) => shape,
  view: (x, window) => {
    if (!x.isContiguous()) throw new Error('asStrided: internal error: the input must be contiguous');
    return { shape: window.shape, strides: window.strides, offset: x.offset + window.offset };
  },
  backward: (g, { inputs: [x], params, apply }) => {
    const base = x as Tensor;
    return [apply(viewScatter, [base.newZeros(base.shape), g], params)];
  },
});

/** A copy of `base` with `source` written into the window. */
export const viewScatter: ComputeOp<ViewWindow, 'viewScatter'> & OpIdentity<'viewScatter'> = defineOp<
  ViewWindow,
  'viewScatter'
>({
  kind: 'compute',
  id: 'viewScatter',
  name: 'viewScatter',
  elementwise: false,
  formula: [
    'd(viewScatter(base, s))/dbase = 1 outside the window, 0 inside',
    'd(viewScatter(base, s))/ds = the gradient read at the window',
  ],
  latex: [
    '\\frac{\\partial L}{\\partial b} = G\\,[\\notin \\text{window}]',
    '\\frac{\\partial L}{\\partial s} = G[\\text{window}]',
  ],
  saves: [],
  differentiable: true,
  shape: ([base, source], { shape }) => {
    if (!shapesEqual(source as Shape, shape)) {
      throw new Error(
        `viewScatter: the values of shape ${formatShape(source as Shape)} do not fit a window of shape ${formatShape(shape)}`,
      );
    }
    return base as Shape;
  },
  forward: (k, [base, source], out, window) => {
    copyInto(k, base as Tensor, out);
    const s = source as Tensor;
    k.copy(s.stridedView(s.shape), { data: out, offset: window.offset, strides: window.strides }, s.shape);
  },
  backward: (g, { params, apply }) => {
    // asStrided reads windows of contiguous tensors only.
    const whole = g.contiguous();
    return [apply(viewScatter, [whole, whole.newZeros(params.shape)], params), apply(asStrided, [whole], params)];
  },
});
