/**
 * @file The engine in a real browser: bundles the sources for the web with esbuild and runs the Quick Start,
 * a second derivative and a small training loop in headless Chromium (Debian's `chromium`, driven by
 * playwright-core), and the WebAssembly backend inside a Web Worker. CI installs Chromium; elsewhere the test is skipped when no browser is installed.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(executablePath);
if (!available && process.env.CI) throw new Error(`browser test: no Chromium at ${executablePath}; CI must install it`);

const entry = resolve(dirname(fileURLToPath(import.meta.url)), '../src/index.ts');

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
