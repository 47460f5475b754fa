/**
 * @file The three models moved to and from PyTorch (scripts/fixtures/models.py builds the same ones in
 * torch.nn, with the same state-dict keys): an MLP, a small CNN with BatchNorm2d, and a sequence model
 * with Embedding and LayerNorm. Also the optimgrad-initialised weights the PyTorch side loads.
 */
import { manualSeed, type Tensor } from '@optimgrad/core';
import {
  BatchNorm2d,
  Conv2d,
  Embedding,
  Flatten,
  LayerNorm,
  Linear,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
  saveSafetensors,
  Tanh,
} from '../src/index';

/** Token ids [batch, positions] → embedding → LayerNorm → tanh → linear head, averaged over positions. */
export class SequenceModel extends Module {
  constructor() {
    super();
    this.registerModule('embed', new Embedding(10, 6));
    this.registerModule('norm', new LayerNorm(6));
    this.registerModule('head', new Linear(6, 3));
  }

  override forward(ids: Tensor): Tensor {
    const h = this.getModule('norm').call(this.getModule('embed').call(ids)).tanh();
    return this.getModule('head').call(h).mean(1);
  }
}

export const models = {
  mlp: () => new Sequential(new Linear(4, 8), new Tanh(), new Linear(8, 3)),
  cnn: () =>
    new Sequential(
      new Conv2d(1, 4, 3, { padding: 1 }),
      new BatchNorm2d(4),
      new ReLU(),
      new MaxPool2d(2),
      new Flatten(),
      new Linear(4 * 3 * 3, 3),
    ),
  sequence: () => new SequenceModel(),
} as const;

export type ModelName = keyof typeof models;

/** The seed of each model's optimgrad initialisation, so the committed weight files can be rebuilt exactly. */
const seeds: Record<ModelName, number> = { mlp: 1, cnn: 2, sequence: 3 };

/** The safetensors bytes of each model's optimgrad-initialised state dict (committed as optimgrad-<name>.safetensors). */
export function optimgradWeights(name: ModelName): Uint8Array {
  manualSeed(seeds[name]);
  return saveSafetensors(models[name]().stateDict(), { format: 'pt' });
}
