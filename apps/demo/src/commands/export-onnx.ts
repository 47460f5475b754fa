/**
 * @file `export --weights FILE --onnx OUT`: writes a model saved by `train` as an ONNX file with a dynamic
 * batch axis (input `pixels` [batch, 784], output `logits` [batch, 10]), for ONNX Runtime in Node, browsers
 * and servers. The export is traced in eval mode and written only when it succeeds.
 */
import { dirname, resolve } from 'node:path';
import { zeros } from '@optimgrad/core';
import { decodeModel, exportOnnx } from '@optimgrad/onnx';
import { UsageError } from '../errors';
import type { Print } from '../terminal/output';
import { writeReportFile } from '../terminal/output';
import { loadModel } from '../training/weights';

/** Options of the export command. */
export interface ExportOptions {
  readonly weights: string;
  readonly onnx: string;
}

/** The names of the exported graph's input and output. */
export const ONNX_INPUT = 'pixels';
export const ONNX_OUTPUT = 'logits';

/**
 * Runs `export` and returns the path written and the ONNX ops in graph order.
 * @example runExport({ weights: 'report/model.safetensors', onnx: 'model.onnx' }, console.log);
 */
export function runExport(options: ExportOptions, print: Print): { path: string; ops: string[] } {
  if (!options.onnx.endsWith('.onnx')) {
    throw new UsageError(`--onnx: expected a file name ending in .onnx, got ${options.onnx}; e.g. --onnx model.onnx`);
  }
  const { model, sizes } = loadModel(options.weights);
  model.eval();
  const bytes = exportOnnx(model, zeros([1, sizes[0] as number]), {
    inputNames: [ONNX_INPUT],
    outputNames: [ONNX_OUTPUT],
    dynamicAxes: { [ONNX_INPUT]: { 0: 'batch' } },
  });
  const target = resolve(options.onnx);
  const path = writeReportFile(dirname(target), target.slice(dirname(target).length + 1), bytes);
  const graph = decodeModel(bytes).graph as { node: { op_type: string }[] };
  const ops = graph.node.map((n) => n.op_type).filter((op) => op !== 'Identity');
  print(`model ${sizes.join(' → ')} from ${options.weights}`);
  print(`wrote ${path} (${bytes.length} bytes, ONNX opset 17): ${ops.join(' → ')}`);
  print(
    `input '${ONNX_INPUT}' float32 [batch, ${sizes[0]}], output '${ONNX_OUTPUT}' float32 [batch, ${sizes[sizes.length - 1]}]`,
  );
  print('run it with ONNX Runtime (npm i onnxruntime-node, or onnxruntime-web in a browser):');
  print(`  const session = await ort.InferenceSession.create('${options.onnx}');`);
  print(
    `  const { ${ONNX_OUTPUT} } = await session.run({ ${ONNX_INPUT}: new ort.Tensor('float32', pixels, [n, ${sizes[0]}]) });`,
  );
  return { path, ops };
}
