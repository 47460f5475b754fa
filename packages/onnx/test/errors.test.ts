import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualSeed, randn, type Tensor } from '@optimgrad/core';
import { BatchNorm1d, Dropout, dropout, Linear, Module, ReLU, Sequential } from '@optimgrad/nn';
import { describe, expect, it } from 'vitest';
import { decodeModel, exportOnnx } from '../src/index';
import { exportOnnxFile } from '../src/node';

const mlp = (): Sequential => new Sequential(new Linear(4, 3), new ReLU(), new Dropout(0.5), new Linear(3, 2));

describe('exportOnnx errors', () => {
  it('refuses dropout in training mode, naming the module, and writes no file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onnx-'));
    const path = join(dir, 'model.onnx');
    expect(() => exportOnnxFile(path, mlp(), randn([2, 4]))).toThrow(
      "exportOnnx: module '2' (Dropout) is in training mode, where dropout is random; call model.eval() before exporting",
    );
    expect(existsSync(path)).toBe(false);
    exportOnnxFile(path, mlp().eval(), randn([2, 4]));
    expect(readFileSync(path).length).toBeGreaterThan(100);
  });

  it('refuses batch norm on batch statistics', () => {
    const model = new Sequential(new Linear(4, 3), new BatchNorm1d(3));
    expect(() => exportOnnx(model, randn([2, 4]))).toThrow("module '1' (BatchNorm1d) is in training mode");
    const untracked = new Sequential(new BatchNorm1d(4, { trackRunningStats: false })).eval();
    expect(() => exportOnnx(untracked, randn([2, 4]))).toThrow('trackRunningStats: false');
  });

  it('refuses an input that is not a Tensor, naming its position', () => {
    const model = mlp().eval();
    expect(() => exportOnnx(model, [randn([2, 4]), [1, 2] as unknown as Tensor])).toThrow(
      'exportOnnx: example input 1 is an array, not a Tensor',
    );
    expect(() => exportOnnx(model, 3 as unknown as Tensor)).toThrow('example input 0 is number, not a Tensor');
  });

  it('checks names, opset and dynamic axes', () => {
    const model = mlp().eval();
    const x = randn([2, 4]);
    expect(() => exportOnnx(model, x, { inputNames: ['a', 'b'] })).toThrow('inputNames has 2 names for 1 inputs');
    expect(() => exportOnnx(model, x, { opset: 13 })).toThrow('opset must be an integer from 17 to 21, got 13');
    expect(() => exportOnnx(model, x, { dynamicAxes: { images: { 0: 'batch' } } })).toThrow(
      "dynamicAxes names 'images', which is not an input or output (input, output)",
    );
    expect(() => exportOnnx(model, x, { dynamicAxes: { input: { 2: 'batch' } } })).toThrow('keys must be dims 0 to 1');
  });

  it('refuses a constant made from the batch size when the batch axis is dynamic', () => {
    class Centre extends Module {
      override forward(x: Tensor): Tensor {
        // mean over the batch divides by a number taken from the example's batch size
        return x.sub(x.mean(0, true));
      }
    }
    expect(() => exportOnnx(new Centre(), randn([3, 2]), { dynamicAxes: { input: { 0: 'batch' } } })).toThrow(
      'a constant of shape [] made inside forward (used in the model (Centre)) changes from one run to the next',
    );
    // With fixed sizes the same model exports.
    expect(exportOnnx(new Centre(), randn([3, 2])).length).toBeGreaterThan(0);
  });

  it('refuses functional dropout in training mode, and leaves the seeded generator as it was', () => {
    class Noisy extends Module {
      override forward(x: Tensor): Tensor {
        return dropout(x.relu(), 0.5, this.training);
      }
    }
    const x = randn([4, 3]).abs().add(1);
    expect(() => exportOnnx(new Noisy(), x)).toThrow('it is random (dropout or noise in training mode');
    // The traces drew random masks, but the generator continues as if they had not.
    manualSeed(7);
    const expected = randn([3]).toArray();
    manualSeed(7);
    expect(() => exportOnnx(new Noisy(), x)).toThrow('random');
    expect(randn([3]).toArray()).toEqual(expected);
    expect(exportOnnx(new Noisy().eval(), x).length).toBeGreaterThan(0);
  });

  it('refuses a value read from the input outside the graph, which would be frozen', () => {
    class Detached extends Module {
      override forward(x: Tensor): Tensor {
        return x.sub(x.detach().reshape(-1).narrow(0, 0, 1));
      }
    }
    expect(() => exportOnnx(new Detached(), randn([2, 3]))).toThrow(
      'exportOnnx: a constant of shape [1] made inside forward (used in the model (Detached)) changes from one run to the next: it is random (dropout or noise in training mode: call model.eval() or pass training = false), read from the input outside the graph (detach(), .data, item(): compute it with tensor ops instead)',
    );
  });

  it('refuses a forward pass that does not return a Tensor', () => {
    class Pair extends Module {
      override forward(x: Tensor): Tensor {
        return [x, x] as unknown as Tensor;
      }
    }
    expect(() => exportOnnx(new Pair(), randn([2]))).toThrow("the model's forward returned an array, not a Tensor");
  });

  it('writes the opset, the producer and symbolic dims', () => {
    const bytes = exportOnnx(mlp().eval(), randn([2, 4]), {
      inputNames: ['features'],
      outputNames: ['logits'],
      dynamicAxes: { features: { 0: 'n' } },
      opset: 18,
    });
    const model = decodeModel(bytes) as {
      opset_import: { version: number }[];
      producer_name: string;
      graph: { input: unknown[]; output: unknown[] };
    };
    expect(model.opset_import[0]?.version).toBe(18);
    expect(model.producer_name).toBe('optimgrad');
    expect(JSON.stringify(model.graph.input)).toContain('"name":"features"');
    expect(JSON.stringify(model.graph.input)).toContain('"dim_param":"n"');
    expect(JSON.stringify(model.graph.output)).toContain('"name":"logits"');
    expect(JSON.stringify(model.graph.output)).toContain('"dim_param":"n"');
  });
});
