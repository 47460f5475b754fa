/** @file @optimgrad/nn: layers, activations, losses and initialisers built on @optimgrad/core. */
export type { ForwardHook, ForwardPreHook, LoadStateDictOptions, LoadStateDictResult } from './module';
export { Module } from './module';
