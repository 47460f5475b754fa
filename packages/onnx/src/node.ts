/**
 * @file Node.js helper writing an ONNX file. Kept apart from `export.ts` so the main entry has no
 * `node:` imports and bundles for the browser.
 */
import { writeFileSync } from 'node:fs';
import type { Tensor } from '@optimgrad/core';
import type { Module } from '@optimgrad/nn';
import { type ExportOnnxOptions, exportOnnx } from './export';

/**
 * `exportOnnx` written to `path`; the file is written only once the whole model exported.
 * @example exportOnnxFile('model.onnx', model.eval(), randn([1, 784]), { dynamicAxes: { input: { 0: 'batch' } } });
 */
export function exportOnnxFile(
  path: string,
  model: Module,
  exampleInputs: Tensor | readonly Tensor[],
  options: ExportOnnxOptions = {},
): void {
  writeFileSync(path, exportOnnx(model, exampleInputs, options));
}
