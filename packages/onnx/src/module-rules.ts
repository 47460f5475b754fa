/**
 * @file Whole layers as single ONNX ops: Linear → Gemm, Conv → Conv, pooling, BatchNorm (eval) →
 * BatchNormalization, LayerNorm → LayerNormalization, Embedding → Gather, and the activations ONNX has.
 * optimgrad computes these from primitives (conv is im2col + matmul, layer norm is mean and variance), so
 * mapping the module keeps the exported graph small and lets ONNX Runtime use its fused kernels. A rule
 * returns null for a configuration it does not cover; the module's primitives are exported instead.
 */
import type { Tensor } from '@optimgrad/core';
import {
  AvgPool1d,
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv1d,
  Conv2d,
  Dropout,
  Embedding,
  GELU,
  Identity,
  LayerNorm,
  LeakyReLU,
  Linear,
  MaxPool1d,
  MaxPool2d,
  type Module,
  ReLU,
  Sigmoid,
  Softmax,
  Tanh,
} from '@optimgrad/nn';
import type { EmitContext } from './context';
import { DataType } from './proto';
import type { ModuleCall } from './trace';

type ModuleRule = (call: ModuleCall, ctx: EmitContext) => string | null;

/** A per-dim size option as `dims` numbers. */
function perDim(
  value: number | readonly number[] | null | undefined,
  dims: number,
  fallback: readonly number[],
): number[] {
  if (value === null || value === undefined) return [...fallback];
  return typeof value === 'number' ? new Array<number>(dims).fill(value) : [...value];
}

/** ONNX `pads`: every dim's padding before, then every dim's padding after. */
function convPads(conv: Conv1d | Conv2d, dims: number, dilation: readonly number[]): number[] {
  const padding = conv.options.padding;
  if (padding === 'valid') return new Array<number>(2 * dims).fill(0);
  if (padding === 'same') {
    // As nn's conv: the extra element of an odd total goes after.
    const total = conv.kernelSize.map((k, i) => (dilation[i] as number) * (k - 1));
    const before = total.map((t) => Math.floor(t / 2));
    return [...before, ...total.map((t, i) => t - (before[i] as number))];
  }
  const both = perDim(padding, dims, new Array<number>(dims).fill(0));
  return [...both, ...both];
}

/** The single input of a layer, when it has the batched rank the ONNX op needs. */
function batchedInput(call: ModuleCall, rank: number): Tensor | null {
  const x = call.inputs[0];
  return x !== undefined && x.ndim === rank ? x : null;
}

const linear: ModuleRule = (call, ctx) => {
  const m = call.module as Linear;
  const x = call.inputs[0] as Tensor;
  const { output } = call;
  const b = ctx.builder;
  const input = ctx.valueAs(x, output.dtype);
  const weight = ctx.valueAs(m.weight, output.dtype);
  const bias = m.bias === null ? [] : [ctx.valueAs(m.bias, output.dtype)];
  if (x.ndim === 2) return b.node('Gemm', [input, weight, ...bias], { transB: 1 });
  const y = b.node('MatMul', [input, b.node('Transpose', [weight], { perm: [1, 0] })]);
  return bias.length === 0 ? y : b.node('Add', [y, ...bias]);
};

const conv: ModuleRule = (call, ctx) => {
  const m = call.module as Conv1d | Conv2d;
  const dims = m.kernelSize.length;
  const x = batchedInput(call, dims + 2);
  if (x === null) return null;
  const dtype = call.output.dtype;
  const dilation = perDim(m.options.dilation, dims, new Array<number>(dims).fill(1));
  const bias = m.bias === null ? [] : [ctx.valueAs(m.bias, dtype)];
  return ctx.builder.node('Conv', [ctx.valueAs(x, dtype), ctx.valueAs(m.weight, dtype), ...bias], {
    kernel_shape: m.kernelSize,
    strides: perDim(m.options.stride, dims, new Array<number>(dims).fill(1)),
    dilations: dilation,
    pads: convPads(m, dims, dilation),
  });
};

const maxPool: ModuleRule = (call, ctx) => {
  const m = call.module as MaxPool1d | MaxPool2d;
  const dims = m instanceof MaxPool1d ? 1 : 2;
  const x = batchedInput(call, dims + 2);
  if (x === null) return null;
  const kernel = perDim(m.kernelSize, dims, []);
  const padding = perDim(m.options.padding, dims, new Array<number>(dims).fill(0));
  return ctx.builder.node('MaxPool', [ctx.value(x)], {
    kernel_shape: kernel,
    strides: perDim(m.options.stride, dims, kernel),
    dilations: perDim(m.options.dilation, dims, new Array<number>(dims).fill(1)),
    pads: [...padding, ...padding],
    ceil_mode: m.options.ceilMode ? 1 : 0,
  });
};

const avgPool: ModuleRule = (call, ctx) => {
  const m = call.module as AvgPool1d | AvgPool2d;
  const dims = m instanceof AvgPool1d ? 1 : 2;
  const x = batchedInput(call, dims + 2);
  // A divisor override and ceil mode's clipped windows have no exact AveragePool attribute: primitives then.
  if (x === null || m.options.divisorOverride !== undefined || m.options.ceilMode) return null;
  const kernel = perDim(m.kernelSize, dims, []);
  const padding = perDim(m.options.padding, dims, new Array<number>(dims).fill(0));
  return ctx.builder.node('AveragePool', [ctx.value(x)], {
    kernel_shape: kernel,
    strides: perDim(m.options.stride, dims, kernel),
    pads: [...padding, ...padding],
    count_include_pad: (m.options.countIncludePad ?? true) ? 1 : 0,
  });
};

const batchNorm: ModuleRule = (call, ctx) => {
  const m = call.module as BatchNorm1d | BatchNorm2d;
  // Batch statistics (training, or no running statistics) are refused before tracing; see checkExportable.
  const x = call.inputs[0] as Tensor;
  const dtype = call.output.dtype;
  const b = ctx.builder;
  const n = m.numFeatures;
  const scale = m.weight === null ? b.filled([n], 1, dtype, 'ones') : ctx.valueAs(m.weight, dtype);
  const shift = m.bias === null ? b.filled([n], 0, dtype, 'zeros') : ctx.valueAs(m.bias, dtype);
  return b.node(
    'BatchNormalization',
    [ctx.valueAs(x, dtype), scale, shift, ctx.valueAs(m.runningMean, dtype), ctx.valueAs(m.runningVar, dtype)],
    { epsilon: { float: m.eps } },
  );
};

const layerNorm: ModuleRule = (call, ctx) => {
  const m = call.module as LayerNorm;
  const x = call.inputs[0] as Tensor;
  const dtype = call.output.dtype;
  const b = ctx.builder;
  const scale = m.weight === null ? b.filled(m.normalizedShape, 1, dtype, 'ones') : ctx.valueAs(m.weight, dtype);
  const bias = m.bias === null ? [] : [ctx.valueAs(m.bias, dtype)];
  return b.node('LayerNormalization', [ctx.valueAs(x, dtype), scale, ...bias], {
    axis: -m.normalizedShape.length,
    epsilon: { float: m.eps },
  });
};

const embedding: ModuleRule = (call, ctx) => {
  const m = call.module as Embedding;
  const indices = ctx.builder.cast(ctx.value(call.inputs[0] as Tensor), DataType.INT64);
  return ctx.builder.node('Gather', [ctx.value(m.weight), indices], { axis: 0 });
};

function activation(
  opType: string,
  attributes: (m: Module) => Record<string, number | { float: number }> = () => ({}),
) {
  return (call: ModuleCall, ctx: EmitContext): string =>
    ctx.builder.node(opType, [ctx.valueAs(call.inputs[0] as Tensor, call.output.dtype)], attributes(call.module));
}

const identity: ModuleRule = (call, ctx) => ctx.builder.node('Identity', [ctx.value(call.inputs[0] as Tensor)]);

/** The rule for a module, by class (subclasses included); undefined for modules exported op by op. */
export function moduleRule(m: Module, opset: number): ModuleRule | undefined {
  if (m instanceof Linear) return linear;
  if (m instanceof Conv1d || m instanceof Conv2d) return conv;
  if (m instanceof MaxPool1d || m instanceof MaxPool2d) return maxPool;
  if (m instanceof AvgPool1d || m instanceof AvgPool2d) return avgPool;
  if (m instanceof BatchNorm1d || m instanceof BatchNorm2d) return batchNorm;
  if (m instanceof LayerNorm) return layerNorm;
  if (m instanceof Embedding) return embedding;
  if (m instanceof ReLU) return activation('Relu');
  if (m instanceof Sigmoid) return activation('Sigmoid');
  if (m instanceof Tanh) return activation('Tanh');
  if (m instanceof LeakyReLU) return activation('LeakyRelu', () => ({ alpha: { float: m.negativeSlope } }));
  if (m instanceof Softmax) return activation('Softmax', () => ({ axis: m.dim }));
  // Gelu is an ONNX op from opset 20; before that the erf (or tanh) form is exported op by op.
  if (m instanceof GELU && opset >= 20) {
    const approximate = m.options.approximate ?? 'none';
    return (call, ctx) =>
      ctx.builder.node('Gelu', [ctx.valueAs(call.inputs[0] as Tensor, call.output.dtype)], { approximate });
  }
  if (m instanceof Dropout || m instanceof Identity) return identity;
  return undefined;
}

/**
 * Refuses modules whose forward pass is random or reads the batch (dropout in training mode, batch
 * norm on batch statistics): an exported graph would bake one random mask or one batch's statistics in.
 */
export function checkExportable(model: Module): void {
  for (const [path, m] of model.namedModules()) {
    const where = path === '' ? `the model (${m.constructor.name})` : `module '${path}' (${m.constructor.name})`;
    if (m instanceof Dropout && m.training && m.p > 0) {
      throw new Error(
        `exportOnnx: ${where} is in training mode, where dropout is random; call model.eval() before exporting`,
      );
    }
    if ((m instanceof BatchNorm1d || m instanceof BatchNorm2d) && (m.training || !m.trackRunningStats)) {
      const why = m.training
        ? 'is in training mode, where it normalises with the batch statistics; call model.eval() before exporting'
        : 'has no running statistics (trackRunningStats: false), so it always normalises with the batch statistics, which ONNX BatchNormalization cannot do';
      throw new Error(`exportOnnx: ${where} ${why}`);
    }
  }
}
