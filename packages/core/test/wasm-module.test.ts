/**
 * @file The WebAssembly module as shipped: the committed generated file matches the assembly sources,
 * compiler version and flags it was built from; SIMD is detected; `setBackend('wasm')` selects the
 * backend and keeps the cpu one where SIMD is missing; and the module loads synchronously inside a
 * Node worker thread (the bundle evaluated there as a plain script).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { wasmSourceHash } from '../scripts/wasm-source-hash';
import { wasmSourceHash as committedHash } from '../src/backend/wasm/module.generated';
import { getBackend, isWasmSimdSupported, setBackend, tensor } from '../src/index';

describe('the generated WebAssembly module', () => {
  it('is up to date with assembly/ (run `pnpm build:wasm` in packages/core and commit the result)', () => {
    expect(committedHash).toBe(wasmSourceHash());
  });
});

describe('selecting the wasm backend', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('detects WebAssembly SIMD in this Node', () => {
    expect(isWasmSimdSupported()).toBe(true);
  });

  it("is chosen by setBackend('wasm') and undone by setBackend('cpu'), each returning the previous backend", () => {
    const original = getBackend();
    try {
      setBackend('wasm');
      expect(getBackend().name).toBe('wasm');
      expect(
        tensor([[1, 2]])
          .matmul(tensor([[3], [4]]))
          .item(),
      ).toBe(11);
      expect(setBackend('cpu').name).toBe('wasm');
      expect(getBackend().name).toBe('cpu');
    } finally {
      setBackend(original);
    }
  });

  it('keeps the cpu backend where WebAssembly SIMD is missing', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', { validate: () => false });
    const fresh = await import('../src/index');
    expect(fresh.isWasmSimdSupported()).toBe(false);
    fresh.setBackend('wasm');
    expect(fresh.getBackend().name).toBe('cpu');
    expect(() => fresh.createWasmBackend()).toThrow(/no WebAssembly SIMD/);
  });

  it('is the default backend in Node, and initWasm() resolves to its name', async () => {
    vi.resetModules();
    const fresh = await import('../src/index');
    expect(fresh.getBackend().name).toBe('wasm');
    expect(await fresh.initWasm()).toBe('wasm');
  });

  it('starts on the cpu backend on a browser main thread until initWasm() compiles asynchronously', async () => {
    vi.resetModules();
    vi.stubGlobal('document', {});
    const fresh = await import('../src/index');
    expect(fresh.getBackend().name).toBe('cpu');
    const x = fresh.tensor([1, 2, 3]);
    expect(x.exp().sum().item()).toBeCloseTo(Math.E + Math.E ** 2 + Math.E ** 3, 4);
    expect(await fresh.initWasm()).toBe('wasm');
    expect(fresh.getBackend().name).toBe('wasm');
    expect(x.exp().sum().item()).toBeCloseTo(Math.E + Math.E ** 2 + Math.E ** 3, 4);
  });

  it('defaults to the cpu backend where SIMD is missing, and initWasm() leaves it', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', { validate: () => false });
    const fresh = await import('../src/index');
    expect(fresh.getBackend().name).toBe('cpu');
    expect(await fresh.initWasm()).toBe('cpu');
    expect(fresh.getBackend().name).toBe('cpu');
  });

  it('keeps the cpu backend where WebAssembly itself is missing', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    const fresh = await import('../src/index');
    expect(fresh.isWasmSimdSupported()).toBe(false);
    fresh.setBackend('wasm');
    expect(fresh.getBackend().name).toBe('cpu');
  });
});

describe('in a worker thread', () => {
  it('loads synchronously and computes on the wasm backend', async () => {
    const entry = resolve(dirname(fileURLToPath(import.meta.url)), '../src/index.ts');
    const bundled = await build({
      entryPoints: [entry],
      bundle: true,
      format: 'iife',
      globalName: 'optimgrad',
      platform: 'neutral',
      target: 'es2022',
      write: false,
    });
    const script = `${bundled.outputFiles[0]?.text ?? ''}
      const { parentPort } = require('node:worker_threads');
      optimgrad.setBackend('wasm');
      const a = optimgrad.tensor([[1, 2, 3], [4, 5, 6]]);
      const b = optimgrad.tensor([[1, 0], [0, 1], [1, 1]]);
      parentPort.postMessage({ backend: optimgrad.getBackend().name, product: a.matmul(b).exp().log().toArray() });`;
    const worker = new Worker(script, { eval: true });
    const result = await new Promise((settle, fail) => {
      worker.once('message', settle);
      worker.once('error', fail);
    });
    await worker.terminate();
    expect(result).toEqual({ backend: 'wasm', product: [expect.any(Array), expect.any(Array)] });
    const { product } = result as { product: number[][] };
    expect(product).toBeAllClose(
      [
        [4, 5],
        [10, 11],
      ],
      { rtol: 1e-6 },
    );
  });
});
