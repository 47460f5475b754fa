import { describe, expect, it } from 'vitest';
import * as nn from '../src/index';
import * as nodeEntry from '../src/safetensors-node';

describe('public API of @optimgrad/nn', () => {
  it('exports every name promised by the API contract', () => {
    const names = [
      // functional
      'relu',
      'leakyRelu',
      'sigmoid',
      'tanh',
      'gelu',
      'silu',
      'softplus',
      'elu',
      'softmax',
      'logSoftmax',
      'dropout',
      // losses
      'mseLoss',
      'l1Loss',
      'huberLoss',
      'smoothL1Loss',
      'bceLoss',
      'bceWithLogitsLoss',
      'crossEntropyLoss',
      'nllLoss',
      // modules and layers
      'Module',
      'Linear',
      'Sequential',
      'ReLU',
      'LeakyReLU',
      'Sigmoid',
      'Tanh',
      'GELU',
      'SiLU',
      'Softmax',
      'Flatten',
      'Dropout',
      'BatchNorm1d',
      'LayerNorm',
      'Conv1d',
      'MaxPool1d',
      'Conv2d',
      'MaxPool2d',
      'Embedding',
      'MLP',
      // init, individually and as a namespace
      'init',
      'xavierUniform_',
      'xavierNormal_',
      'kaimingUniform_',
      'kaimingNormal_',
      'zeros_',
      'ones_',
      'uniform_',
      'normal_',
      'constant_',
      'calculateGain',
      // weights and data
      'saveSafetensors',
      'loadSafetensors',
      'TensorDataset',
      'DataLoader',
    ];
    const missing = names.filter((name) => !(name in nn));
    expect(missing).toEqual([]);
    // File helpers live in the Node-only entry so the main entry bundles for the browser.
    expect(Object.keys(nodeEntry).sort()).toEqual(['loadSafetensorsFile', 'saveSafetensorsFile']);
    expect('saveSafetensorsFile' in nn).toBe(false);
    for (const name of ['xavierUniform_', 'xavierNormal_', 'kaimingUniform_', 'kaimingNormal_', 'zeros_', 'ones_']) {
      expect(name in nn.init, `init.${name}`).toBe(true);
    }
  });
});
