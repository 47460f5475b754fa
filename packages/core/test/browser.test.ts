/**
 * @file The engine in a real browser: bundles the sources for the web with esbuild and runs the Quick Start,
 * a second derivative and a small training loop in headless Chromium (Debian's `chromium`, driven by
 * playwright-core), the WebAssembly backend inside a Web Worker, and SGD steps of a small MLP (core, nn and
 * optim bundled together) on the wasm backend, after `initWasm()` on the main thread and by default in a
 * Worker, with the losses Node computes. CI installs Chromium; elsewhere the test is skipped when no browser
 * is installed.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as nn from '../../nn/src/index';
import * as optim from '../../optim/src/index';
import * as core from '../src/index';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(executablePath);
if (!available && process.env.CI) throw new Error(`browser test: no Chromium at ${executablePath}; CI must install it`);

const entry = resolve(dirname(fileURLToPath(import.meta.url)), '../src/index.ts');

interface Libraries {
  readonly core: typeof core;
  readonly nn: typeof nn;
  readonly optim: typeof optim;
}

/**
 * Five SGD steps (momentum) of a 8 → 16 → ReLU → 3 MLP with cross-entropy on seeded data; returns the
 * backend it ran on and the losses. Runs as-is in Node, on the page and in a Worker (it reads only `lib`).
 */
function trainSteps(lib: Libraries): { backend: string; losses: number[] } {
  lib.core.manualSeed(3);
  const model = new lib.nn.Sequential(new lib.nn.Linear(8, 16), new lib.nn.ReLU(), new lib.nn.Linear(16, 3));
  const x = lib.core.randn([32, 8]);
  const y = lib.core.randint(0, 3, [32]);
  const optimizer = new lib.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  const losses: number[] = [];
  for (let step = 0; step < 5; step++) {
    optimizer.zeroGrad();
    const loss = lib.nn.crossEntropyLoss(model.forward(x), y);
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
  }
  return { backend: lib.core.getBackend().name, losses };
}

// The name says why when skipped, so a run without a browser does not look like a pass.
const suiteName = available
  ? 'in headless Chromium'
  : `in headless Chromium (skipped: ${executablePath} not found; apt-get install -y chromium, or set CHROMIUM_PATH)`;

// The default reporter lists a skipped file without its test names, so the reason is also printed.
if (!available) console.warn(`browser test ${suiteName.slice('in headless Chromium ('.length, -1)}`);

describe.skipIf(!available)(suiteName, () => {
  let browser: Browser;
  let bundle: string;

  beforeAll(async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      format: 'iife',
      globalName: 'optimgrad',
      platform: 'browser',
      target: 'es2022',
      write: false,
    });
    bundle = result.outputFiles[0]?.text ?? '';
    browser = await chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** core, nn and optim in one bundle exposing `optimgradLibs = { core, nn, optim }`. */
  async function bundleLibraries(): Promise<string> {
    const here = dirname(fileURLToPath(import.meta.url));
    const result = await build({
      stdin: {
        contents: `export * as core from '../src/index.ts';
          export * as nn from '../../nn/src/index.ts';
          export * as optim from '../../optim/src/index.ts';`,
        resolveDir: here,
        loader: 'ts',
      },
      bundle: true,
      format: 'iife',
      globalName: 'optimgradLibs',
      platform: 'browser',
      target: 'es2022',
      conditions: ['@optimgrad/source'],
      write: false,
    });
    return result.outputFiles[0]?.text ?? '';
  }

  it('trains a small MLP on the wasm backend after initWasm() on the main thread and by default in a Worker, as in Node', async () => {
    const libraries = await bundleLibraries();
    const previous = core.setBackend('wasm');
    let node: { backend: string; losses: number[] };
    try {
      node = trainSteps({ core, nn, optim });
    } finally {
      core.setBackend(previous);
    }
    expect(node.backend).toBe('wasm');
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>optimgrad</title>');
    await page.addScriptTag({ content: libraries });
    const train = String(trainSteps);
    const main = await page.evaluate(async (source) => {
      const lib = (globalThis as unknown as { optimgradLibs: Libraries }).optimgradLibs;
      const before = lib.core.getBackend().name;
      const initialised = await lib.core.initWasm();
      const run = new Function('lib', `return (${source})(lib);`) as (l: Libraries) => {
        backend: string;
        losses: number[];
      };
      return { before, initialised, ...run(lib) };
    }, train);
    expect(main.before).toBe('cpu');
    expect(main.initialised).toBe('wasm');
    expect(main.backend).toBe('wasm');
    expect(main.losses).toBeAllClose(node.losses, { rtol: 1e-6 });
    expect(main.losses[4]).toBeLessThan(main.losses[0] as number);
    const worker = await page.evaluate(
      async ({ bundle: code, source }) => {
        const script = `${code}
          postMessage((${source})(optimgradLibs));`;
        const g = globalThis as unknown as {
          Blob: new (parts: string[]) => object;
          URL: { createObjectURL(blob: object): string };
          Worker: new (
            url: string,
          ) => { onmessage: (event: { data: unknown }) => void; onerror: (event: { message: string }) => void };
        };
        const w = new g.Worker(g.URL.createObjectURL(new g.Blob([script])));
        return await new Promise<{ backend: string; losses: number[] }>((settle, fail) => {
          w.onmessage = (event) => settle(event.data as { backend: string; losses: number[] });
          w.onerror = (event) => fail(new Error(event.message));
        });
      },
      { bundle: libraries, source: train },
    );
    expect(worker.backend).toBe('wasm');
    expect(worker.losses).toBeAllClose(node.losses, { rtol: 1e-6 });
    await page.close();
  }, 120_000);

  it('bundles for the browser without Node built-ins and computes the Quick Start gradients', async () => {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>optimgrad</title>');
    await page.addScriptTag({ content: bundle });
    const result = await page.evaluate(() => {
      const { tensor, grad, manualSeed, randn } = (
        globalThis as unknown as { optimgrad: typeof import('../src/index') }
      ).optimgrad;
      const x = tensor([2.0], { requiresGrad: true });
      const y = tensor([3.0], { requiresGrad: true });
      const z = x.mul(y).add(x.pow(2));
      z.backward();
      const t = tensor(2, { dtype: 'float64', requiresGrad: true });
      const [dt] = grad(t.pow(3), [t], { createGraph: true });
      const [d2t] = grad(dt as never, [t]);
      // A least-squares fit by gradient descent: the loss must fall by orders of magnitude.
      manualSeed(0);
      const inputs = randn([32, 3]);
      const target = inputs.matmul(tensor([[1], [-2], [0.5]]));
      const w = tensor([[0], [0], [0]], { requiresGrad: true });
      let first = 0;
      let last = 0;
      for (let step = 0; step < 200; step++) {
        w.grad = null;
        const loss = inputs.matmul(w).sub(target).square().mean();
        loss.backward();
        if (step === 0) first = loss.item();
        last = loss.item();
        const g = w.grad as unknown as { data: Float32Array };
        const data = w.data as Float32Array;
        for (let i = 0; i < 3; i++) data[i] = (data[i] as number) - 0.1 * (g.data[i] as number);
      }
      return {
        dx: x.grad?.item(),
        dy: y.grad?.item(),
        dt: dt?.item(),
        d2t: d2t?.item(),
        first,
        last,
        agent: (globalThis as unknown as { navigator: { userAgent: string } }).navigator.userAgent,
      };
    });
    expect(result.agent).toContain('Chrome');
    expect(result.dx).toBe(7);
    expect(result.dy).toBe(2);
    expect(result.dt).toBe(12);
    expect(result.d2t).toBe(12);
    expect(result.last).toBeLessThan(result.first * 1e-4);
    await page.close();
  }, 60_000);

  it('runs the wasm backend in a Web Worker, loading the module synchronously', async () => {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>optimgrad</title>');
    const result = await page.evaluate(async (source) => {
      const script = `${source}
        optimgrad.setBackend('wasm');
        const a = optimgrad.tensor([[1, 2, 3], [4, 5, 6]]);
        const b = optimgrad.tensor([[1, 0], [0, 1], [1, 1]]);
        postMessage({ backend: optimgrad.getBackend().name, product: a.matmul(b).sigmoid().toArray() });`;
      const g = globalThis as unknown as {
        Blob: new (parts: string[]) => object;
        URL: { createObjectURL(blob: object): string };
        Worker: new (
          url: string,
        ) => { onmessage: (event: { data: unknown }) => void; onerror: (event: { message: string }) => void };
      };
      const worker = new g.Worker(g.URL.createObjectURL(new g.Blob([script])));
      return await new Promise((settle, fail) => {
        worker.onmessage = (event) => settle(event.data);
        worker.onerror = (event) => fail(new Error(event.message));
      });
    }, bundle);
    const { backend, product } = result as { backend: string; product: number[][] };
    expect(backend).toBe('wasm');
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    expect(product).toBeAllClose(
      [
        [sigmoid(4), sigmoid(5)],
        [sigmoid(10), sigmoid(11)],
      ],
      { rtol: 1e-6 },
    );
    await page.close();
  }, 60_000);
});
