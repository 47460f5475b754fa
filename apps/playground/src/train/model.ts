/**
 * @file The network, its optimizer and its weights file: nn's `MLP` (a `Sequential`, so the state-dict
 * keys are PyTorch's `0.weight`, `0.bias`, `2.weight`, …), optim's SGD/Adam/AdamW, and the layer sizes
 * read back from a safetensors file so loaded weights rebuild the same architecture.
 */
import { formatShape, type Tensor } from '@optimgrad/core';
import { Linear, MLP } from '@optimgrad/nn';
import { Adam, AdamW, SGD } from '@optimgrad/optim';
import type { Activation, TrainSettings } from '../state/settings';

/**
 * The MLP `2 → hidden… → classes` with the chosen activation between layers.
 * @example buildModel([2, 8, 8, 2], 'relu');
 */
export function buildModel(sizes: readonly number[], activation: Activation, dtype: 'float32' | 'float64' = 'float32') {
  return new MLP(sizes, { activation, dtype });
}

/**
 * The optimizer named in the settings; `l2` is SGD's and Adam's coupled weight decay and AdamW's decoupled one.
 * @example buildOptimizer(model.parameters(), { ...settings, optimizer: 'adam' });
 */
export function buildOptimizer(params: Tensor[], settings: Pick<TrainSettings, 'optimizer' | 'lr' | 'l2'>) {
  const { lr, l2: weightDecay } = settings;
  switch (settings.optimizer) {
    case 'sgd':
      return new SGD(params, { lr, momentum: 0.9, weightDecay });
    case 'adamw':
      return new AdamW(params, { lr, weightDecay });
    default:
      return new Adam(params, { lr, weightDecay });
  }
}

/**
 * The Linear layers of an MLP, in order (what `crownBounds` and the per-layer gradient chart walk).
 * @example linearLayers(model).length; // hidden layers + 1
 */
export function linearLayers(model: MLP): Linear[] {
  return model.children().filter((child): child is Linear => child instanceof Linear);
}

/**
 * The layer sizes `[in, h1, …, out]` of an MLP state dict (`0.weight` [h1, in], `2.weight` [h2, h1], …),
 * or an error naming the entry that does not fit.
 * @example mlpSizes(buildModel([2, 4, 2], 'relu').stateDict()); // [2, 4, 2]
 */
export function mlpSizes(dict: Readonly<Record<string, Tensor>>): number[] {
  const sizes: number[] = [];
  const keys = new Set<string>();
  for (let index = 0; dict[`${index}.weight`] !== undefined; index += 2) {
    const weight = dict[`${index}.weight`] as Tensor;
    const bias = dict[`${index}.bias`];
    keys.add(`${index}.weight`).add(`${index}.bias`);
    const previous = sizes[sizes.length - 1];
    if (weight.ndim !== 2 || (previous !== undefined && weight.shape[1] !== previous)) {
      const expected = previous === undefined ? '[out, in]' : `[out, ${previous}]`;
      throw new Error(`weights: ${index}.weight has shape ${formatShape(weight.shape)}; expected ${expected}`);
    }
    if (previous === undefined) sizes.push(weight.shape[1] as number);
    const out = weight.shape[0] as number;
    if (bias === undefined || bias.ndim !== 1 || bias.shape[0] !== out) {
      const got = bias === undefined ? 'is missing' : `has shape ${formatShape(bias.shape)}`;
      throw new Error(`weights: ${index}.bias ${got}; expected [${out}]`);
    }
    sizes.push(out);
  }
  if (sizes.length < 2) throw new Error('weights: no 0.weight entry; expected an MLP saved by this page or PyTorch');
  const unexpected = Object.keys(dict).filter((key) => !keys.has(key));
  if (unexpected.length > 0) {
    throw new Error(
      `weights: unexpected entries ${unexpected.join(', ')}; expected only N.weight and N.bias of an MLP`,
    );
  }
  return sizes;
}
