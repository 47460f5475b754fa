/**
 * @file Raw, graph-free access to a parameter's elements for optimizer updates. The backend's fused
 * optimizer kernels update the contiguous typed array behind the parameter (no Tensor ops, no graph), as
 * torch.optim's in-place kernels do; non-contiguous parameters are updated in a copy that is written back with `copy_`.
 */
import { getBackend, incrementVersion, noGrad, Tensor, type TypedArray } from '@optimgrad/core';

/** A writable row-major view of `param`'s elements and a function that commits the writes. */
export interface ParamView {
  values: TypedArray;
  commit(): void;
}

/**
 * Opens `param` for an in-place update: `values` aliases the storage when the tensor is contiguous.
 * @example const view = openParam(p); view.values[0] -= 0.1; view.commit();
 */
export function openParam(param: Tensor): ParamView {
  if (param.isContiguous()) {
    return {
      values: param.data,
      // The elements were written straight into storage: bump its version as every in-place op does,
      // so a graph that saved this parameter refuses a stale backward.
      commit: () => incrementVersion(param),
    };
  }
  const values = param.data;
  return {
    values,
    commit: () => {
      noGrad(() => param.copy_(new Tensor(values, { shape: param.shape, dtype: param.dtype })));
    },
  };
}

/**
 * A zero-filled (or `fill`-filled) buffer with the parameter's dtype and element count.
 * @example const expAvg = newBuffer(p);
 */
export function newBuffer(param: Tensor, fill = 0): TypedArray {
  const buffer = getBackend().allocate(param.dtype, param.size);
  if (fill !== 0) buffer.fill(fill);
  return buffer;
}
