/**
 * @file `maxPool1d`, `maxPool2d`, `avgPool1d` and `avgPool2d` (PyTorch's `F.max_pool*d`/`F.avg_pool*d`).
 *
 * Windows are gathered with the same precomputed index as convolution (`windowIndex`), ordered
 * (output position, kernel offset), then reduced along the last dim: `max(dim)` sends the gradient to
 * the first largest element of each window, as PyTorch's kernel does; max padding is -Infinity and
 * average padding is 0. All gradients, of any order, come from core's ops.
 */
import type { Tensor } from '@optimgrad/core';
import { formatShape, tensor } from '@optimgrad/core';
import {
  checkWindowInput,
  gatherWindows,
  type SpatialSize,
  spatialSize,
  type WindowGeometry,
  windowGeometry,
  windowOutputSize,
} from './conv';

/** Options of `maxPool1d`/`maxPool2d`. */
export interface MaxPoolOptions<D extends number = 2> {
  /** Window step (default: the kernel size). */
  readonly stride?: SpatialSize<D> | null;
  /** Implicit -Infinity padding on both sides; at most half the kernel size. */
  readonly padding?: SpatialSize<D>;
  readonly dilation?: SpatialSize<D>;
  /** Round the output size up instead of down. */
  readonly ceilMode?: boolean;
}

/** Options of `avgPool1d`/`avgPool2d`. */
export interface AvgPoolOptions<D extends number = 2> {
  readonly stride?: SpatialSize<D> | null;
  /** Implicit zero padding on both sides; at most half the kernel size. */
  readonly padding?: SpatialSize<D>;
  readonly ceilMode?: boolean;
  /** Count padded zeros in the divisor (default true, as in PyTorch). */
  readonly countIncludePad?: boolean;
  /** Divide every window sum by this instead. */
  readonly divisorOverride?: number;
}

interface PoolSetup {
  readonly x: Tensor;
  readonly unbatched: boolean;
  readonly geometry: WindowGeometry;
  /** Spatial output shape, as the caller's dims (1 or 2 entries). */
  readonly output: number[];
}

function setupPool(
  op: string,
  dims: 1 | 2,
  input: Tensor,
  kernelSize: SpatialSize<1> | SpatialSize<2>,
  options: MaxPoolOptions<1> | MaxPoolOptions<2>,
): PoolSetup {
  checkWindowInput(op, dims, input);
  const unbatched = input.ndim === dims + 1;
  // As PyTorch: an empty batch pools to an empty batch, but no channels or an empty spatial dim is an error.
  const perSample = unbatched ? input.shape : input.shape.slice(1);
  if (perSample.some((n) => n === 0)) {
    throw new Error(
      `${op}: only the batch dim may have size 0, got shape ${formatShape(input.shape)}; the channel and spatial dims must be non-empty`,
    );
  }
  const x = unbatched ? input.unsqueeze(0) : input;
  const spatial = x.shape.slice(2);
  const kernel = spatialSize(op, 'kernelSize', kernelSize, dims, 1);
  const stride = spatialSize(op, 'stride', options.stride ?? kernel, dims, 1);
  const padding = spatialSize(op, 'padding', options.padding ?? 0, dims, 0);
  const dilation = spatialSize(op, 'dilation', options.dilation ?? 1, dims, 1);
  padding.forEach((p, i) => {
    if (p > (kernel[i] as number) / 2) {
      throw new Error(
        `${op}: padding ${formatShape(padding)} must be at most half the kernel size ${formatShape(kernel)}; reduce the padding`,
      );
    }
  });
  const output = spatial.map((n, i) =>
    windowOutputSize(
      n,
      kernel[i] as number,
      stride[i] as number,
      padding[i] as number,
      padding[i] as number,
      dilation[i] as number,
      options.ceilMode ?? false,
    ),
  );
  if (output.some((n) => n <= 0)) {
    const padded = spatial.map((n, i) => n + 2 * (padding[i] as number));
    const dilated = kernel.map((k, i) => (dilation[i] as number) * (k - 1) + 1);
    throw new Error(
      `${op}: padded input size ${formatShape(padded)} (input ${formatShape(x.shape)}) is smaller than the kernel size ${formatShape(dilated)}; use a smaller kernel or more padding`,
    );
  }
  const geometry = windowGeometry({ input: spatial, kernel, stride, dilation, padBefore: padding, output });
  return { x, unbatched, geometry, output };
}

/** Gathers windows into [N, C, ...output, K] with `fill` in the padding. */
function windows({ x, geometry, output }: PoolSetup, fill: number): Tensor {
  const [N, C] = x.shape as [number, number];
  const rows = x.reshape(N * C, geometry.input[0] * geometry.input[1]);
  const K = geometry.kernel[0] * geometry.kernel[1];
  return gatherWindows(rows, geometry, false, fill).reshape(N, C, ...output, K);
}

function maxPoolNd(
  op: string,
  dims: 1 | 2,
  x: Tensor,
  kernelSize: SpatialSize<1> | SpatialSize<2>,
  options: MaxPoolOptions<1> | MaxPoolOptions<2>,
): Tensor {
  const setup = setupPool(op, dims, x, kernelSize, options);
  const out = windows(setup, Number.NEGATIVE_INFINITY).max(-1);
  return setup.unbatched ? out.squeeze(0) : out;
}

/** PyTorch's avg-pool divisor for every output position (window clipped to the padded input, or to the input). */
function avgDivisors({ geometry }: PoolSetup, countIncludePad: boolean): Float64Array {
  const { input, kernel, stride, padBefore, output } = geometry;
  const out = new Float64Array(output[0] * output[1]);
  const extent = (o: number, d: 0 | 1): number => {
    const start = o * stride[d] - padBefore[d];
    const end = Math.min(start + kernel[d], input[d] + padBefore[d]);
    if (countIncludePad) return end - start;
    return Math.min(end, input[d]) - Math.max(start, 0);
  };
  for (let oh = 0; oh < output[0]; oh++) {
    for (let ow = 0; ow < output[1]; ow++) out[oh * output[1] + ow] = extent(oh, 0) * extent(ow, 1);
  }
  return out;
}

function avgPoolNd(
  op: string,
  dims: 1 | 2,
  x: Tensor,
  kernelSize: SpatialSize<1> | SpatialSize<2>,
  options: AvgPoolOptions<1> | AvgPoolOptions<2>,
): Tensor {
  const { divisorOverride, countIncludePad = true } = options;
  if (divisorOverride !== undefined && !(Number.isFinite(divisorOverride) && divisorOverride !== 0)) {
    throw new Error(`${op}: divisorOverride must be a finite non-zero number, got ${divisorOverride}`);
  }
  const setup = setupPool(op, dims, x, kernelSize, { ...options, dilation: 1 });
  const sums = windows(setup, 0).sum(-1);
  let out: Tensor;
  if (divisorOverride !== undefined) out = sums.div(divisorOverride);
  else {
    const divisors = avgDivisors(setup, countIncludePad);
    const data = x.dtype === 'float64' ? divisors : Float32Array.from(divisors);
    out = sums.div(tensor(data, { shape: setup.output }));
  }
  return setup.unbatched ? out.squeeze(0) : out;
}

/**
 * Max over sliding windows of x [N, C, L] (or [C, L]), as `F.max_pool1d`.
 * @example maxPool1d(tensor([[[1, 3, 2, 5]]]), 2) // [[[3, 5]]]
 */
export function maxPool1d(x: Tensor, kernelSize: SpatialSize<1>, options: MaxPoolOptions<1> = {}): Tensor {
  return maxPoolNd('maxPool1d', 1, x, kernelSize, options);
}

/**
 * Max over sliding windows of x [N, C, H, W] (or [C, H, W]), as `F.max_pool2d`.
 * @example maxPool2d(randn([8, 4, 28, 28]), 2) // [8, 4, 14, 14]
 */
export function maxPool2d(x: Tensor, kernelSize: SpatialSize<2>, options: MaxPoolOptions<2> = {}): Tensor {
  return maxPoolNd('maxPool2d', 2, x, kernelSize, options);
}

/**
 * Mean over sliding windows of x [N, C, L] (or [C, L]), as `F.avg_pool1d`.
 * @example avgPool1d(tensor([[[1, 3, 2, 6]]]), 2) // [[[2, 4]]]
 */
export function avgPool1d(x: Tensor, kernelSize: SpatialSize<1>, options: AvgPoolOptions<1> = {}): Tensor {
  return avgPoolNd('avgPool1d', 1, x, kernelSize, options);
}

/**
 * Mean over sliding windows of x [N, C, H, W] (or [C, H, W]), as `F.avg_pool2d`.
 * @example avgPool2d(randn([8, 4, 28, 28]), 2) // [8, 4, 14, 14]
 */
export function avgPool2d(x: Tensor, kernelSize: SpatialSize<2>, options: AvgPoolOptions<2> = {}): Tensor {
  return avgPoolNd('avgPool2d', 2, x, kernelSize, options);
}
