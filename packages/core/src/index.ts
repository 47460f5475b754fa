/** @file @optimgrad/core: tensors and reverse-mode automatic differentiation. */

export { apply } from './apply';
export { AnomalyError, detectAnomaly, isAnomalyEnabled, setDetectAnomaly } from './autograd/anomaly';
export { sumToShape } from './autograd/backward';
export type {
  FunctionalOptions,
  HessianOf,
  JacobianOf,
  Structured,
  TensorFunction,
  TensorOrTensors,
} from './autograd/functional';
export { hessian, hvp, jacobian, jvp, vhp, vjp } from './autograd/functional';
export type { GradOptions } from './autograd/grad';
export { grad } from './autograd/grad';
export { GradFn } from './autograd/grad-fn';
export {
  enableGrad,
  isGradEnabled,
  isRecordingAllOps,
  noGrad,
  recordAllOps,
  setGradEnabled,
} from './autograd/grad-mode';
export type { GradcheckOptions } from './autograd/gradcheck';
export { gradcheck, gradgradcheck } from './autograd/gradcheck';
export { topologicalOrder } from './autograd/graph';
export { incrementVersion } from './autograd/version';
export type {
  AdagradStepOptions,
  AdamStepOptions,
  Backend,
  BinaryKind,
  FusedParams,
  MatrixStrides,
  ReduceKind,
  RmspropStepOptions,
  SgdStepOptions,
  StorageAndFusedKernels,
  StridedView,
  UnaryKind,
} from './backend/backend';
export { checkedBackend, createCheckedBackend } from './backend/checked';
export { erf as erfScalar } from './backend/cpu/erf';
export { cpuBackend } from './backend/cpu/index';
export type { BackendName } from './backend/index';
export { getBackend, initWasm, setBackend } from './backend/index';
export { createWasmBackend, isWasmSimdSupported } from './backend/wasm/index';
export { getNumThreads, setNumThreads } from './backend/wasm/threads';
export { isTensor } from './brand';
export type { CreationOptions } from './creation';
export {
  arange,
  eye,
  full,
  fullLike,
  linspace,
  ones,
  onesLike,
  rand,
  randint,
  randn,
  randperm,
  tensor,
  zeros,
  zerosLike,
} from './creation';
export type { DType, TypedArray } from './dtype';
export type { FormatNumberOptions } from './formatting';
export { formatNumber, formatShape } from './formatting';
export { where } from './ops/composite';
export type {
  AnyOpCall,
  BackwardContext,
  ComputeOp,
  Op,
  OpCall,
  OpIdentity,
  OpName,
  OpParams,
  OpTable,
  ViewGeometry,
  ViewOp,
} from './ops/index';
export { defineOp, isTableCall, ops } from './ops/index';
export { cat, stack } from './ops/join';
export { getRngState, manualSeed, randomNormal, randomUniform, setRngState } from './random';
export type { Shape } from './shape';
export { broadcastShapes, sizeOf } from './shape';
export type { BackwardCallOptions, GradHook, RemovableHandle } from './tensor';
export { Tensor } from './tensor';
export type { NestedArray, TensorData, TensorOptions } from './tensor-data';
