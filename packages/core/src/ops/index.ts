/** @file The table of primitive ops: what the engine applies, inspect explains and the tests enumerate. */
import * as binary from './binary';
import { matmul } from './matmul';
import * as movement from './movement';
import * as reduce from './reduce';
import * as unary from './unary';
import { asStrided, viewScatter } from './view-update';

export const ops = {
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
} as const;

/** The key of every primitive op in `ops`. */
export type OpName = keyof typeof ops;

export type { BackwardContext, ComputeOp, Op, ViewGeometry, ViewOp } from './op';
export { defineOp } from './op';
