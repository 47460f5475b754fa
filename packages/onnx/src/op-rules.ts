/**
 * @file ONNX for every primitive op of core's table, used for code that no module rule covers (functional
 * code, activations written as expressions, the inside of unmapped modules). The table is typed over
 * `OpName`, so an op added to core without a line here fails to compile; `null` marks ops with no mapping,
 * which stop the export with an error naming the op and the module that ran it.
 */
import type { OpName, OpParams, Tensor } from '@optimgrad/core';
import type { EmitContext } from './context';
import { onnxType } from './graph-builder';
import { DataType } from './proto';

/** The tensors of one recorded call. */
interface Operands {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
}

/** One recorded call of op K: its parameters, input tensors and output tensor. */
export interface NodeCall<K extends OpName> extends Operands {
  readonly params: OpParams<K>;
}

/** A rule that reads no parameters, usable for any op. */
type OperandRule = (call: Operands, ctx: EmitContext) => string;

/** A rule for the reductions, whose parameters all include these. */
type ReduceRule = (
  call: Operands & { readonly params: { readonly dims: readonly number[]; readonly keepdim: boolean } },
  ctx: EmitContext,
) => string;

/** Emits the ONNX nodes computing `call.output` and returns the output's value name. */
export type OpRule<K extends OpName> = (call: NodeCall<K>, ctx: EmitContext) => string;

/** The largest slice end ONNX accepts; it is clamped to the dim's size at run time. */
const TO_END = Number.MAX_SAFE_INTEGER;

const first = (inputs: readonly Tensor[]): Tensor => inputs[0] as Tensor;
const second = (inputs: readonly Tensor[]): Tensor => inputs[1] as Tensor;

function unary(opType: string): OperandRule {
  return ({ inputs, output }, ctx) => ctx.builder.node(opType, [ctx.valueAs(first(inputs), output.dtype)]);
}

function binary(opType: string): OperandRule {
  return ({ inputs, output }, ctx) =>
    ctx.builder.node(opType, [ctx.valueAs(first(inputs), output.dtype), ctx.valueAs(second(inputs), output.dtype)]);
}

/** A comparison: both sides in their common dtype, the boolean result cast back to 0/1 floats. */
function comparison(opType: string, negate = false): OperandRule {
  return ({ inputs, output }, ctx) => {
    const a = first(inputs);
    const b = second(inputs);
    const common = a.dtype === b.dtype ? a.dtype : 'float64';
    let result = ctx.builder.node(opType, [ctx.valueAs(a, common), ctx.valueAs(b, common)]);
    if (negate) result = ctx.builder.node('Not', [result]);
    return ctx.builder.cast(result, onnxType(output.dtype));
  };
}

/** x with a scalar constant on the right: `opType(f(x), c)`. */
function withScalar(opType: string, value: number, inner?: string): OperandRule {
  return ({ inputs, output }, ctx) => {
    let x = ctx.valueAs(first(inputs), output.dtype);
    if (inner !== undefined) x = ctx.builder.node(inner, [x]);
    return ctx.builder.node(opType, [x, ctx.builder.scalar(value, output.dtype)]);
  };
}

function reduction(opType: 'ReduceSum' | 'ReduceMax' | 'ReduceMin'): ReduceRule {
  return ({ params, inputs, output }, ctx) => {
    const x = ctx.valueAs(first(inputs), output.dtype);
    // No dims: a 0-d input, returned as it is (an empty `axes` would mean "all" to ONNX).
    if (params.dims.length === 0) return ctx.builder.node('Identity', [x]);
    return ctx.builder.reduce(opType, x, params.dims, params.keepdim);
  };
}

function argReduction(opType: 'ArgMax' | 'ArgMin'): ReduceRule {
  return ({ params, inputs, output }, ctx) => {
    const axis = params.dims[0];
    if (axis === undefined) return ctx.builder.filled(output.shape, 0, output.dtype, 'index');
    const index = ctx.builder.node(opType, [ctx.value(first(inputs))], {
      axis,
      keepdims: params.keepdim ? 1 : 0,
      select_last_index: 0,
    });
    return ctx.builder.cast(index, onnxType(output.dtype));
  };
}

/** Integer indices, which optimgrad keeps in float tensors, as the int64 ONNX indexing ops need. */
function indices(t: Tensor, ctx: EmitContext): string {
  return ctx.builder.cast(ctx.value(t), DataType.INT64);
}

/**
 * A reshape target that does not bake in dynamic sizes: a dynamic dim copies the input's dim at the same
 * position (0) when that one is dynamic too, and is otherwise inferred (-1), which ONNX allows once.
 */
function reshapeTarget(call: NodeCall<'reshape'>, ctx: EmitContext): number[] {
  const x = first(call.inputs);
  const dynamicIn = ctx.dynamic(x);
  const dynamicOut = ctx.dynamic(call.output);
  const target = call.params.shape.map((n, i) => {
    if (!dynamicOut[i]) return n;
    return dynamicIn[i] && x.shape[i] === n ? 0 : -1;
  });
  if (target.filter((n) => n === -1).length > 1) {
    throw new Error(
      `exportOnnx: reshape from [${x.shape.join(', ')}] to [${call.params.shape.join(', ')}] in ${ctx.where()} merges or splits ` +
        'several dynamic axes, which one ONNX Reshape cannot express; keep the dynamic axes in place or export without dynamicAxes',
    );
  }
  return target;
}

export const opRules: { readonly [K in OpName]: OpRule<K> | null } = {
  neg: unary('Neg'),
  exp: unary('Exp'),
  log: unary('Log'),
  sqrt: unary('Sqrt'),
  abs: unary('Abs'),
  sin: unary('Sin'),
  cos: unary('Cos'),
  tanh: unary('Tanh'),
  sigmoid: unary('Sigmoid'),
  relu: unary('Relu'),
  reciprocal: unary('Reciprocal'),
  square: ({ inputs, output }, ctx) => {
    const x = ctx.valueAs(first(inputs), output.dtype);
    return ctx.builder.node('Mul', [x, x]);
  },
  log1p: ({ inputs, output }, ctx) =>
    ctx.builder.node('Log', [
      ctx.builder.node('Add', [ctx.valueAs(first(inputs), output.dtype), ctx.builder.scalar(1, output.dtype)]),
    ]),
  expm1: withScalar('Sub', 1, 'Exp'),
  erf: unary('Erf'),
  sign: unary('Sign'),
  floor: unary('Floor'),
  // Both round halves to even, as PyTorch does.
  round: unary('Round'),
  isfinite: ({ inputs, output }, ctx) => {
    const x = ctx.value(first(inputs));
    const bad = ctx.builder.node('Or', [ctx.builder.node('IsInf', [x]), ctx.builder.node('IsNaN', [x])]);
    return ctx.builder.cast(ctx.builder.node('Not', [bad]), onnxType(output.dtype));
  },
  powScalar: ({ params, inputs, output }, ctx) =>
    ctx.builder.node('Pow', [
      ctx.valueAs(first(inputs), output.dtype),
      ctx.builder.scalar(params.exponent, output.dtype),
    ]),
  clamp: ({ params, inputs, output }, ctx) =>
    ctx.builder.node('Clip', [
      ctx.valueAs(first(inputs), output.dtype),
      ctx.builder.scalar(params.min, output.dtype),
      ctx.builder.scalar(params.max, output.dtype),
    ]),
  inRange: ({ params, inputs, output }, ctx) => {
    const x = first(inputs);
    const v = ctx.value(x);
    const above = ctx.builder.node('GreaterOrEqual', [v, ctx.builder.scalar(params.min, x.dtype)]);
    const below = ctx.builder.node('LessOrEqual', [v, ctx.builder.scalar(params.max, x.dtype)]);
    return ctx.builder.cast(ctx.builder.node('And', [above, below]), onnxType(output.dtype));
  },
  add: binary('Add'),
  sub: binary('Sub'),
  mul: binary('Mul'),
  div: binary('Div'),
  pow: binary('Pow'),
  maximum: binary('Max'),
  minimum: binary('Min'),
  eq: comparison('Equal'),
  ne: comparison('Equal', true),
  gt: comparison('Greater'),
  ge: comparison('GreaterOrEqual'),
  lt: comparison('Less'),
  le: comparison('LessOrEqual'),
  where: ({ inputs, output }, ctx) => {
    const [condition, a, b] = inputs as [Tensor, Tensor, Tensor];
    const mask = ctx.builder.cast(ctx.value(condition), DataType.BOOL);
    return ctx.builder.node('Where', [mask, ctx.valueAs(a, output.dtype), ctx.valueAs(b, output.dtype)]);
  },
  sum: reduction('ReduceSum'),
  max: reduction('ReduceMax'),
  min: reduction('ReduceMin'),
  argmax: argReduction('ArgMax'),
  argmin: argReduction('ArgMin'),
  matmul: binary('MatMul'),
  reshape: (call, ctx) =>
    ctx.builder.node('Reshape', [ctx.value(first(call.inputs)), ctx.builder.int64s(reshapeTarget(call, ctx), 'shape')]),
  permute: ({ params, inputs }, ctx) =>
    ctx.builder.node('Transpose', [ctx.value(first(inputs))], { perm: params.dims }),
  expand: ({ params, inputs, output }, ctx) => {
    const x = first(inputs);
    const dynamicIn = ctx.dynamic(x);
    const dynamicOut = ctx.dynamic(output);
    const lead = params.shape.length - x.ndim;
    // ONNX Expand broadcasts both ways, so a 1 keeps the input's (dynamic) size.
    const target = params.shape.map((n, i) => {
      if (!dynamicOut[i]) return n;
      if (i >= lead && dynamicIn[i - lead]) return 1;
      throw new Error(
        `exportOnnx: expand to [${params.shape.join(', ')}] in ${ctx.where()} makes dim ${i} follow a dynamic axis from a fixed ` +
          'size, which would bake the example size in; broadcast against the input instead (x.mul(0).add(t)) or export without dynamicAxes',
      );
    });
    return ctx.builder.node('Expand', [ctx.value(x), ctx.builder.int64s(target, 'shape')]);
  },
  slice: ({ params, inputs }, ctx) => {
    const x = first(inputs);
    let end = params.end;
    if (ctx.dynamic(x)[params.dim]) {
      if (end !== x.shape[params.dim]) {
        throw new Error(
          `exportOnnx: slice [${params.start}:${params.end}] of dynamic dim ${params.dim} (size ${x.shape[params.dim]}) in ${ctx.where()} ` +
            'ends before the end of the dim, which would bake the example size in; slice to the end or export without dynamicAxes',
        );
      }
      end = TO_END;
    }
    const b = ctx.builder;
    return b.node('Slice', [
      ctx.value(x),
      b.int64s([params.start], 'starts'),
      b.int64s([end], 'ends'),
      b.int64s([params.dim], 'axes'),
      b.int64s([params.step], 'steps'),
    ]);
  },
  unslice: null,
  clone: unary('Identity'),
  to: ({ params, inputs }, ctx) => ctx.builder.cast(ctx.value(first(inputs)), onnxType(params.dtype)),
  indexSelect: ({ params, inputs, output }, ctx) =>
    ctx.builder.node('Gather', [ctx.valueAs(first(inputs), output.dtype), indices(second(inputs), ctx)], {
      axis: params.dim,
    }),
  indexAdd: null,
  gather: ({ params, inputs, output }, ctx) =>
    ctx.builder.node('GatherElements', [ctx.valueAs(first(inputs), output.dtype), indices(second(inputs), ctx)], {
      axis: params.dim,
    }),
  scatterAdd: ({ params, inputs, output }, ctx) => {
    const [x, index, source] = inputs as [Tensor, Tensor, Tensor];
    if (index.shape.join() !== source.shape.join()) {
      throw new Error(
        `exportOnnx: scatterAdd in ${ctx.where()} has index [${index.shape.join(', ')}] smaller than source [${source.shape.join(', ')}], ` +
          'which ONNX ScatterElements does not allow; slice the source to the index shape first',
      );
    }
    return ctx.builder.node(
      'ScatterElements',
      [ctx.valueAs(x, output.dtype), indices(index, ctx), ctx.valueAs(source, output.dtype)],
      { axis: params.dim, reduction: 'add' },
    );
  },
  cat: ({ params, inputs, output }, ctx) =>
    ctx.builder.node(
      'Concat',
      inputs.map((t) => ctx.valueAs(t, output.dtype)),
      { axis: params.dim },
    ),
  asStrided: null,
  viewScatter: null,
};
