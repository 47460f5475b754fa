/**
 * @file `conv1d` and `conv2d` (PyTorch's `F.conv1d`/`F.conv2d`) by im2col + matmul, plus the sliding
 * window index they share with pooling.
 *
 * Every channel is flattened to one row with an extra "padding" element appended; one precomputed
 * integer index then gathers every window with a single `indexSelect` (the im2col matrix), and a
 * matmul with the flattened weight does the arithmetic. `indexSelect` and `indexAdd` are each other's
 * backward, so input, weight and bias gradients of any order come from core with no conv-specific
 * backward rule. 1-D is the 2-D case with a height of 1.
 */
import type { Tensor } from '@optimgrad/core';
import { cat, formatShape, tensor } from '@optimgrad/core';

/** A size per spatial dim: one number for all dims, or one per dim. */
export type SpatialSize<D extends number> = number | (D extends 1 ? readonly [number] : readonly [number, number]);

/** Options of `conv1d`/`conv2d` (as in PyTorch; `groups` other than 1 is not supported). */
export interface ConvOptions<D extends number = 2> {
  readonly stride?: SpatialSize<D>;
  /** Zero padding on both sides, or `'valid'` (none) / `'same'` (output size = input size, stride 1). */
  readonly padding?: SpatialSize<D> | 'valid' | 'same';
  readonly dilation?: SpatialSize<D>;
  readonly groups?: number;
}

/** Sliding-window geometry over two spatial dims (1-D inputs use a height of 1). */
export interface WindowGeometry {
  readonly input: readonly [number, number];
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  /** Padding before each dim (after-padding only changes the output size, computed by the caller). */
  readonly padBefore: readonly [number, number];
  readonly output: readonly [number, number];
}

/** Per-dim sizes of a 1-D or 2-D window, as the two-dim geometry the kernels use (a 1-D input has height 1). */
export function windowGeometry(sizes: {
  readonly input: readonly number[];
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly dilation: readonly number[];
  readonly padBefore: readonly number[];
  readonly output: readonly number[];
}): WindowGeometry {
  const two = (values: readonly number[], fill: number): [number, number] =>
    values.length === 1 ? [fill, values[0] as number] : [values[0] as number, values[1] as number];
  return {
    input: two(sizes.input, 1),
    kernel: two(sizes.kernel, 1),
    stride: two(sizes.stride, 1),
    dilation: two(sizes.dilation, 1),
    padBefore: two(sizes.padBefore, 0),
    output: two(sizes.output, 1),
  };
}

/** Reads a per-dim size option as `dims` integers ≥ `min`, naming the function and option on error. */
export function spatialSize(
  op: string,
  option: string,
  value: number | readonly number[],
  dims: number,
  min: number,
): number[] {
  const values = typeof value === 'number' ? new Array<number>(dims).fill(value) : [...value];
  if (values.length !== dims || values.some((v) => !Number.isInteger(v) || v < min)) {
    throw new Error(
      `${op}: ${option} must be an integer ≥ ${min} or ${dims} of them, got ${JSON.stringify(value)}; e.g. ${option}: ${min === 0 ? 1 : 2}`,
    );
  }
  return values;
}

/** Output length of a sliding window (PyTorch's formula, with `ceilMode` as in pooling). */
export function windowOutputSize(
  input: number,
  kernel: number,
  stride: number,
  padBefore: number,
  padAfter: number,
  dilation: number,
  ceilMode = false,
): number {
  // PyTorch's pooling_output_shape: rounding towards -infinity, so with ceil mode a dilated window longer than
  // the padded input still gives one output when it starts inside the input (its tail reads as padding).
  const span = input + padBefore + padAfter - dilation * (kernel - 1) - 1;
  let out = Math.floor((span + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  // With ceil mode, the last window must start inside the input or the left padding.
  if (ceilMode && (out - 1) * stride >= input + padBefore) out -= 1;
  return Math.max(out, 0);
}

/** Checks that x is a batched [N, C, ...spatial] or unbatched [C, ...spatial] input of a window op. */
export function checkWindowInput(op: string, dims: 1 | 2, x: Tensor): void {
  if (x.ndim !== dims + 1 && x.ndim !== dims + 2) {
    const layout = dims === 1 ? '[N, C, L] or unbatched [C, L]' : '[N, C, H, W] or unbatched [C, H, W]';
    throw new Error(`${op}: expected a ${dims + 2}-D input ${layout}, got shape ${formatShape(x.shape)}`);
  }
}

const indexCache = new Map<string, Tensor>();
const CACHE_LIMIT = 64;

/**
 * Flat source positions of every window element in a row of `input[0] * input[1]` elements, where
 * the position `input[0] * input[1]` (one past the end) stands for padding. `kernelMajor` orders the
 * result (kernel offset, output position) for im2col; otherwise (output position, kernel offset)
 * for pooling. Cached, because a network calls it with the same geometry on every step.
 */
export function windowIndex(geometry: WindowGeometry, kernelMajor: boolean): Tensor {
  const key = JSON.stringify([geometry, kernelMajor]);
  const cached = indexCache.get(key);
  if (cached !== undefined) return cached;
  const { input, kernel, stride, dilation, padBefore, output } = geometry;
  const [H, W] = input;
  const [KH, KW] = kernel;
  const [OH, OW] = output;
  const K = KH * KW;
  const L = OH * OW;
  const pad = H * W;
  const data = pad < 2 ** 24 ? new Float32Array(K * L) : new Float64Array(K * L);
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const k = kh * KW + kw;
      for (let oh = 0; oh < OH; oh++) {
        const ih = oh * stride[0] - padBefore[0] + kh * dilation[0];
        for (let ow = 0; ow < OW; ow++) {
          const iw = ow * stride[1] - padBefore[1] + kw * dilation[1];
          const l = oh * OW + ow;
          const source = ih >= 0 && ih < H && iw >= 0 && iw < W ? ih * W + iw : pad;
          data[kernelMajor ? k * L + l : l * K + k] = source;
        }
      }
    }
  }
  const index = tensor(data, { shape: [K * L] });
  if (indexCache.size >= CACHE_LIMIT) indexCache.delete(indexCache.keys().next().value as string);
  indexCache.set(key, index);
  return index;
}

/** Whether any window element falls in the padding (then the padding element must be appended). */
export function touchesPadding(geometry: WindowGeometry): boolean {
  const { input, kernel, stride, dilation, padBefore, output } = geometry;
  for (let d = 0; d < 2; d++) {
    const first = -(padBefore[d] as number);
    const last =
      ((output[d] as number) - 1) * (stride[d] as number) +
      first +
      ((kernel[d] as number) - 1) * (dilation[d] as number);
    if (first < 0 || last >= (input[d] as number)) return true;
  }
  return false;
}

/**
 * Gathers the windows of `x` ([rows, input[0] * input[1]]) into [rows, K * L] (or [rows, L * K]),
 * using `fill` (0 for conv/avg, -Infinity for max) for positions in the padding.
 */
export function gatherWindows(x: Tensor, geometry: WindowGeometry, kernelMajor: boolean, fill: number): Tensor {
  const rows = x.shape[0] as number;
  const source = touchesPadding(geometry) ? cat([x, x.newFull([rows, 1], fill)], 1) : x;
  return source.indexSelect(1, windowIndex(geometry, kernelMajor));
}

interface ConvCall {
  readonly op: 'conv1d' | 'conv2d';
  readonly dims: 1 | 2;
}

function checkConvInputs(
  { op, dims }: ConvCall,
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  groups: number,
): void {
  if (groups !== 1) {
    throw new Error(`${op}: groups = ${groups} is not supported; only groups = 1 (a dense convolution) is implemented`);
  }
  checkWindowInput(op, dims, x);
  if (weight.ndim !== dims + 2) {
    const layout = dims === 1 ? '[out, in, k]' : '[out, in, kH, kW]';
    throw new Error(`${op}: weight must be ${dims + 2}-D ${layout}, got shape ${formatShape(weight.shape)}`);
  }
  const channels = x.shape[x.ndim - dims - 1] as number;
  if (weight.shape[1] !== channels) {
    throw new Error(
      `${op}: input of shape ${formatShape(x.shape)} has ${channels} channels but weight of shape ${formatShape(weight.shape)} expects ${weight.shape[1]}; the input's channel dim (dim ${x.ndim - dims - 1}) must equal weight.shape[1]`,
    );
  }
  if (bias != null && (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0])) {
    throw new Error(
      `${op}: bias must have shape [${weight.shape[0]}] (one value per output channel), got ${formatShape(bias.shape)}`,
    );
  }
}

/** Resolves padding (numbers, 'valid' or 'same') into before/after amounts per dim. */
function convPadding(
  op: string,
  padding: ConvOptions<2>['padding'] | ConvOptions<1>['padding'],
  dims: number,
  kernel: readonly number[],
  dilation: readonly number[],
  stride: readonly number[],
): { before: number[]; after: number[] } {
  if (padding === 'valid') return { before: new Array(dims).fill(0), after: new Array(dims).fill(0) };
  if (padding === 'same') {
    if (stride.some((s) => s !== 1)) {
      throw new Error(
        `${op}: padding 'same' is not supported for strided convolutions (stride ${formatShape(stride)}); use stride 1 or numeric padding`,
      );
    }
    const total = kernel.map((k, i) => (dilation[i] as number) * (k - 1));
    const before = total.map((t) => Math.floor(t / 2));
    return { before, after: total.map((t, i) => t - (before[i] as number)) };
  }
  const both = spatialSize(op, 'padding', padding ?? 0, dims, 0);
  return { before: both, after: both };
}

function convNd(
  call: ConvCall,
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  options: ConvOptions<1> | ConvOptions<2>,
): Tensor {
  const { op, dims } = call;
  checkConvInputs(call, input, weight, bias, options.groups ?? 1);
  const unbatched = input.ndim === dims + 1;
  const x = unbatched ? input.unsqueeze(0) : input;
  const [N, C] = x.shape as [number, number];
  const O = weight.shape[0] as number;
  const spatial = x.shape.slice(2);
  const kernel = weight.shape.slice(2);
  const stride = spatialSize(op, 'stride', options.stride ?? 1, dims, 1);
  const dilation = spatialSize(op, 'dilation', options.dilation ?? 1, dims, 1);
  const { before, after } = convPadding(op, options.padding, dims, kernel, dilation, stride);
  const output = spatial.map((n, i) =>
    windowOutputSize(
      n,
      kernel[i] as number,
      stride[i] as number,
      before[i] as number,
      after[i] as number,
      dilation[i] as number,
    ),
  );
  if (output.some((n) => n <= 0)) {
    const padded = spatial.map((n, i) => n + (before[i] as number) + (after[i] as number));
    const dilated = kernel.map((k, i) => (dilation[i] as number) * (k - 1) + 1);
    throw new Error(
      `${op}: padded input size ${formatShape(padded)} (input ${formatShape(x.shape)}) is smaller than the dilated kernel size ${formatShape(dilated)}; use a smaller kernel or dilation, or more padding`,
    );
  }
  const geometry = windowGeometry({ input: spatial, kernel, stride, dilation, padBefore: before, output });
  const K = kernel.reduce((a, b) => a * b, 1);
  const L = output.reduce((a, b) => a * b, 1);
  const rows = x.reshape(
    N * C,
    spatial.reduce((a, b) => a * b, 1),
  );
  const columns = gatherWindows(rows, geometry, true, 0).reshape(N, C * K, L);
  let out = weight.reshape(O, C * K).matmul(columns);
  if (bias != null) out = out.add(bias.reshape(O, 1));
  out = out.reshape(N, O, ...output);
  return unbatched ? out.squeeze(0) : out;
}

/**
 * 1-D convolution (cross-correlation) of x [N, C, L] (or [C, L]) with weight [O, C, k], as `F.conv1d`.
 * @example conv1d(randn([8, 3, 50]), randn([16, 3, 5]), null, { padding: 2 }) // [8, 16, 50]
 */
export function conv1d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvOptions<1> = {}): Tensor {
  return convNd({ op: 'conv1d', dims: 1 }, x, weight, bias, options);
}

/**
 * 2-D convolution (cross-correlation) of x [N, C, H, W] (or [C, H, W]) with weight [O, C, kH, kW], as `F.conv2d`.
 * @example conv2d(randn([8, 1, 28, 28]), randn([4, 1, 3, 3]), zeros([4]), { stride: 2, padding: 1 }) // [8, 4, 14, 14]
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvOptions<2> = {}): Tensor {
  return convNd({ op: 'conv2d', dims: 2 }, x, weight, bias, options);
}
