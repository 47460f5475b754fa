/** @file The reference CPU backend: plain loops over contiguous typed arrays. */
import type { Backend } from '../backend';
import { binary, copy, where } from './binary';
import { gather, indexAdd, indexSelect, scatterAdd } from './indexing';
import { matmul } from './matmul';
import { adagradStep, adamStep, rmspropStep, sgdStep } from './optim';
import { reduce } from './reduce';
import { allocate, binaryCrossEntropy, firstInvalidIndex, vectorNorm } from './storage';
import { unary } from './unary';

export const cpuBackend: Backend = {
  name: 'cpu',
  unary,
  binary,
  where,
  copy,
  reduce,
  matmul,
  indexSelect,
  indexAdd,
  gather,
  scatterAdd,
  allocate,
  firstInvalidIndex,
  vectorNorm,
  binaryCrossEntropy,
  sgdStep,
  adamStep,
  rmspropStep,
  adagradStep,
};
