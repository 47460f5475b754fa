/**
 * @file Node.js file helpers for safetensors. Kept apart from `safetensors.ts` so that module stays
 * free of `node:` imports and bundles for the browser.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Tensor } from '@optimgrad/core';
import { loadSafetensors, saveSafetensors } from './safetensors';

/**
 * Writes tensors (and optional string metadata) to a `.safetensors` file.
 * @example saveSafetensorsFile('model.safetensors', model.stateDict());
 */
export function saveSafetensorsFile(
  path: string,
  tensors: Readonly<Record<string, Tensor>>,
  metadata?: Readonly<Record<string, string>> | null,
): void {
  writeFileSync(path, saveSafetensors(tensors, metadata));
}

/**
 * Reads the tensors of a `.safetensors` file by name.
 * @example model.loadStateDict(loadSafetensorsFile('model.safetensors'));
 */
export function loadSafetensorsFile(path: string): Record<string, Tensor> {
  return loadSafetensors(readFileSync(path));
}
