/**
 * @file The classifier: a multilayer perceptron built from nn's `Linear` and `ReLU` inside a
 * `Sequential`, so its state dict keys (`0.weight`, `2.bias`, ...) are PyTorch's for the same model.
 * Also recovers the layer sizes from a saved state dict, so `predict` needs only the weights file.
 */

import type { Tensor } from '@optimgrad/core';
import { formatShape } from '@optimgrad/core';
import { Linear, type Module, ReLU, Sequential } from '@optimgrad/nn';
import { UsageError } from '../errors';

/**
 * Builds Linear → ReLU → … → Linear for the given layer sizes (input first, classes last).
 * @example const model = buildMlp([784, 128, 64, 10]);
 */
export function buildMlp(sizes: readonly number[]): Sequential {
  const layers: Module[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Linear(sizes[i] as number, sizes[i + 1] as number));
    if (i + 2 < sizes.length) layers.push(new ReLU());
  }
  return new Sequential(...layers);
}

/**
 * Reads the layer sizes of an MLP from its state dict (`0.weight` [h1, in], `2.weight` [h2, h1], ...);
 * throws a `UsageError` naming the entry when the dict does not describe such a model.
 * @example mlpSizesFromStateDict(buildMlp([4, 3, 2]).stateDict()); // [4, 3, 2]
 */
export function mlpSizesFromStateDict(dict: Readonly<Record<string, Tensor>>, source: string): number[] {
  const sizes: number[] = [];
  const expected = new Set<string>();
  for (let layer = 0; ; layer++) {
    const weight = dict[`${2 * layer}.weight`];
    if (weight === undefined) break;
    const bias = dict[`${2 * layer}.bias`];
    expected.add(`${2 * layer}.weight`).add(`${2 * layer}.bias`);
    if (weight.ndim !== 2) {
      throw new UsageError(`${source}: ${2 * layer}.weight has shape ${formatShape(weight.shape)}; expected [out, in]`);
    }
    const [out, inFeatures] = weight.shape as [number, number];
    if (layer === 0) sizes.push(inFeatures);
    else if (inFeatures !== sizes[sizes.length - 1]) {
      throw new UsageError(
        `${source}: ${2 * layer}.weight has shape ${formatShape(weight.shape)} but the previous layer has ${sizes[sizes.length - 1]} outputs`,
      );
    }
    if (bias === undefined || bias.ndim !== 1 || bias.shape[0] !== out) {
      const got = bias === undefined ? 'is missing' : `has shape ${formatShape(bias.shape)}`;
      throw new UsageError(`${source}: ${2 * layer}.bias ${got}; expected [${out}]`);
    }
    sizes.push(out);
  }
  if (sizes.length < 2) {
    throw new UsageError(
      `${source}: no 0.weight entry; expected the weights of an MLP saved by "optimgrad-demo train"`,
    );
  }
  const unexpected = Object.keys(dict).filter((key) => !expected.has(key));
  if (unexpected.length > 0) {
    throw new UsageError(
      `${source}: unexpected entries ${unexpected.join(', ')}; expected only N.weight and N.bias of an MLP`,
    );
  }
  return sizes;
}
