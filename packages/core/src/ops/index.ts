/** @file The table of primitive ops: what the engine applies, inspect explains and the tests enumerate. */
import * as binary from './binary';
import { matmul } from './matmul';
import * as movement from './movement';
import type { Op, OpIdentity } from './op';
import * as reduce from './reduce';
import * as unary from './unary';
import { asStrided, viewScatter } from './view-update';

/**
 * The table, checked by the compiler: each key must be its op's `id`, so an op's identity is one name used
 * everywhere (rule tables, specs, kernels) and a copy-paste slip in the table does not compile.
 */
function opTable<const T extends { readonly [K in keyof T]: Op<never, K & string> & OpIdentity<K & string> }>(
  table: T,
): T {
  return table;
}

export const ops = opTable({
  neg: unary.neg,
  exp: unary.exp,
  log: unary.log,
  sqrt: unary.sqrt,
  abs: unary.abs,
  sin: unary.sin,
  cos: unary.cos,
  tanh: unary.tanh,
  sigmoid: unary.sigmoid,
  relu: unary.relu,
  reciprocal: unary.reciprocal,
  square: unary.square,
  log1p: unary.log1p,
  expm1: unary.expm1,
  erf: unary.erf,
  sign: unary.sign,
  floor: unary.floor,
  round: unary.round,
  isfinite: unary.isfinite,
  powScalar: unary.powScalar,
  clamp: unary.clamp,
  inRange: unary.inRange,
  add: binary.add,
  sub: binary.sub,
  mul: binary.mul,
  div: binary.div,
  pow: binary.pow,
  maximum: binary.maximum,
  minimum: binary.minimum,
  eq: binary.eq,
  ne: binary.ne,
  gt: binary.gt,
  ge: binary.ge,
  lt: binary.lt,
  le: binary.le,
  where: binary.where,
  sum: reduce.sum,
  max: reduce.max,
  min: reduce.min,
  argmax: reduce.argmax,
  argmin: reduce.argmin,
  matmul,
  reshape: movement.reshape,
  permute: movement.permute,
  expand: movement.expand,
  slice: movement.slice,
  unslice: movement.unslice,
  clone: movement.clone,
  to: movement.to,
  indexSelect: movement.indexSelect,
  indexAdd: movement.indexAdd,
  gather: movement.gather,
  scatterAdd: movement.scatterAdd,
  cat: movement.cat,
  asStrided,
  viewScatter,
});

/** The key (and `id`) of every primitive op in `ops`. */
export type OpName = keyof typeof ops;

/** The parameter type of op `K` (`undefined` for ops without parameters); a union of names gives the union. */
export type OpParams<K extends OpName> = K extends OpName
  ? (typeof ops)[K] extends Op<infer P, K>
    ? P
    : never
  : never;

/**
 * The table seen as one mapped type: indexing it with a generic `K` gives `Op<OpParams<K>, K>`, so code that
 * runs "op K with params of K" type-checks without casts (`const table: OpTable = ops; apply(table[k], …)`).
 */
export type OpTable = { readonly [K in OpName]: Op<OpParams<K>, K> & OpIdentity<K> };

/** A call of op `K` of the table with that op's parameters: what typed rule tables receive. */
export interface OpCall<K extends OpName> {
  readonly op: (typeof ops)[K];
  readonly params: OpParams<K>;
}

/** A call of any op of the table, discriminated by `op.id`. */
export type AnyOpCall = { [K in OpName]: OpCall<K> }[OpName];

const byId: Readonly<Record<string, unknown>> = ops;

/**
 * True when `node` (a `GradFn`) ran an op of the table, which narrows it to that op with its parameter type;
 * false for ops defined outside the table.
 * @example if (isTableCall(t.gradFn)) intervalRules[t.gradFn.op.id]
 */
export function isTableCall(node: {
  readonly op: { readonly id?: string };
  readonly params: unknown;
}): node is AnyOpCall {
  const id = node.op.id;
  return id !== undefined && Object.hasOwn(byId, id) && byId[id] === node.op;
}

export type { BackwardContext, ComputeOp, Op, OpIdentity, ViewGeometry, ViewOp } from './op';
export { defineOp } from './op';
