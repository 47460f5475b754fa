/**
 * @file Saving and loading the trained MLP as safetensors (nn's `saveSafetensors`/`loadSafetensors`),
 * with file-level errors (missing file, corrupt file, shapes that are not an MLP) turned into one
 * clear line for the user.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Tensor } from '@optimgrad/core';
import { loadSafetensors, type Module, type Sequential, saveSafetensors } from '@optimgrad/nn';
import { UsageError } from '../errors';
import { writeReportFile } from '../terminal/output';
import { buildMlp, mlpSizesFromStateDict } from './build-model';

/**
 * Writes the model's state dict to `dir/model.safetensors` and returns the path.
 * @example saveModel(model, 'report', { dataset: 'digits' });
 */
export function saveModel(model: Module, dir: string, metadata: Record<string, string>): string {
  return writeReportFile(dir, 'model.safetensors', saveSafetensors(model.stateDict(), metadata));
}

/**
 * Reads an MLP saved by `saveModel`, rebuilding its layer sizes from the weight shapes.
 * @example const { model, sizes } = loadModel('report/model.safetensors');
 */
export function loadModel(path: string): { model: Sequential; sizes: number[] } {
  if (!existsSync(path)) {
    throw new UsageError(
      `--weights: file not found: ${path}; run "optimgrad-demo train --out DIR" first and pass DIR/model.safetensors`,
    );
  }
  let dict: Record<string, Tensor>;
  try {
    dict = loadSafetensors(new Uint8Array(readFileSync(path)));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`--weights: cannot read ${path} as safetensors: ${reason}`);
  }
  const sizes = mlpSizesFromStateDict(dict, `--weights ${path}`);
  const model = buildMlp(sizes);
  try {
    model.loadStateDict(dict);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`--weights: ${path} does not fit the model: ${reason}`);
  }
  model.eval();
  return { model, sizes };
}
