/**
 * @file Picks the dataset named by `--dataset`: the real digits, or a seeded synthetic one.
 */
import { UsageError } from '../errors';
import { DATASETS, type Dataset } from './dataset';
import { loadDigits } from './digits';
import { syntheticDataset } from './synthetic';

/**
 * Loads a dataset by name; `limit` caps the number of samples. Throws a `UsageError` for an unknown name.
 * @example const data = loadDataset('moons', { limit: 400 });
 */
export function loadDataset(name: string, options: { limit?: number } = {}): Dataset {
  switch (name) {
    case 'digits':
      return loadDigits(options);
    case 'moons':
    case 'spiral':
    case 'xor':
      return syntheticDataset(name, options.limit ?? 1000);
    default:
      throw new UsageError(`--dataset: unknown dataset "${name}"; use one of ${DATASETS.join(', ')}`);
  }
}
