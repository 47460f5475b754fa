/** @file @optimgrad/nn: layers, activations, losses and initialisers built on @optimgrad/core. */

export type { DataLoaderOptions, Dataset } from './data';
export { DataLoader, TensorDataset } from './data';
export type { GeluOptions, SoftplusOptions } from './functional/activations';
export {
  elu,
  gelu,
  leakyRelu,
  logSoftmax,
  relu,
  sigmoid,
  silu,
  softmax,
  softplus,
  tanh,
} from './functional/activations';
export type { ConvOptions, SpatialSize } from './functional/conv';
export { conv1d, conv2d } from './functional/conv';
export { dropout } from './functional/dropout';
export type {
  BceOptions,
  BceWithLogitsOptions,
  CrossEntropyOptions,
  HuberOptions,
  NllOptions,
  Reduction,
  ReductionOptions,
  SmoothL1Options,
} from './functional/losses';
export {
  bceLoss,
  bceWithLogitsLoss,
  crossEntropyLoss,
  huberLoss,
  l1Loss,
  mseLoss,
  nllLoss,
  smoothL1Loss,
} from './functional/losses';
export type { AvgPoolOptions, MaxPoolOptions } from './functional/pool';
export { avgPool1d, avgPool2d, maxPool1d, maxPool2d } from './functional/pool';
export type { KaimingOptions, Nonlinearity } from './init';
export * as init from './init';
export {
  calculateFanInAndFanOut,
  calculateGain,
  constant_,
  kaimingNormal_,
  kaimingUniform_,
  normal_,
  ones_,
  uniform_,
  xavierNormal_,
  xavierUniform_,
  zeros_,
} from './init';
export { GELU, LeakyReLU, ReLU, Sigmoid, SiLU, Softmax, Tanh } from './layers/activations';
export type { BatchNormOptions } from './layers/batch-norm';
export { BatchNorm1d, BatchNorm2d } from './layers/batch-norm';
export type { ConvLayerOptions } from './layers/conv';
export { Conv1d, Conv2d } from './layers/conv';
export { Dropout } from './layers/dropout';
export type { EmbeddingOptions } from './layers/embedding';
export { Embedding } from './layers/embedding';
export { Flatten } from './layers/flatten';
export { Identity } from './layers/identity';
export type { LayerNormOptions } from './layers/layer-norm';
export { LayerNorm } from './layers/layer-norm';
export type { LinearOptions } from './layers/linear';
export { Linear } from './layers/linear';
export {
  BCELoss,
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  HuberLoss,
  L1Loss,
  MSELoss,
  NLLLoss,
  SmoothL1Loss,
} from './layers/losses';
export type { MLPActivation, MLPOptions } from './layers/mlp';
export { MLP } from './layers/mlp';
export { ModuleList } from './layers/module-list';
export { AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d } from './layers/pool';
export { Sequential } from './layers/sequential';
export type { ForwardHook, ForwardPreHook, LoadStateDictOptions, LoadStateDictResult } from './module';
export { Module } from './module';
export type { SafetensorsContents, SafetensorsDType } from './safetensors';
export { loadSafetensors, parseSafetensors, SAFETENSORS_DTYPES, saveSafetensors } from './safetensors';
