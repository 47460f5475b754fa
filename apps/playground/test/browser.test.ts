/**
 * @file The page end to end in a real browser: builds the page when `dist/` is missing, serves it on a
 * free local port, and drives Debian's Chromium (headless, through playwright-core) through every tab:
 * training moons, pausing, the Quick Start expression and a malformed one, a bounds box, and the weights
 * round trip. Screenshots of each tab go to `test-artifacts/`. CI installs Chromium, so there a missing
 * browser fails the run; elsewhere the suite is skipped and says why.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSafetensors } from '@optimgrad/nn';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StaticServer, serveStatic } from '../scripts/serve';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(executablePath);
if (!available && process.env.CI)
  throw new Error(`playground e2e: no Chromium at ${executablePath}; CI must install it`);
const suiteName = available
  ? 'the playground in headless Chromium'
  : `the playground in headless Chromium (skipped: ${executablePath} not found; apt-get install -y chromium, or set CHROMIUM_PATH)`;
if (!available) console.warn(suiteName);

const app = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = join(app, 'test-artifacts');
// The machine running the tests may be busy: waits are long, and nothing here is timed.
const WAIT = { timeout: 120_000 };

describe.skipIf(!available)(suiteName, () => {
  let server: StaticServer;
  let context: BrowserContext;
  let profile: string;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    // `pnpm test` runs after turbo's build; a direct vitest run builds the page itself when it is missing.
    if (!existsSync(join(app, 'dist', 'index.html'))) await build({ root: app, logLevel: 'warn' });
    server = await serveStatic(join(app, 'dist'), 0);
    mkdirSync(artifacts, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'optimgrad-playground-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1320, height: 1040 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(server.url);
  }, 600_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const number = async (selector: string) => Number(await page.locator(selector).getAttribute('data-value'));

  it('trains moons past 90% test accuracy within a few hundred steps, and pausing stops the steps', async () => {
    await page.locator('#run').click();
    await page.waitForFunction(
      () => Number(document.querySelector('#test-accuracy')?.getAttribute('data-value')) > 0.9,
      null,
      WAIT,
    );
    expect(await number('#step-count')).toBeLessThanOrEqual(600);
    await page.locator('#run').click();
    await expect.poll(() => page.locator('#run').textContent(), WAIT).toBe('Start');
    const paused = await number('#step-count');
    await page.waitForTimeout(1500);
    expect(await number('#step-count')).toBe(paused);
    expect(await number('#test-accuracy')).toBeGreaterThan(0.9);
    expect(await page.locator('#loss-chart svg').count()).toBe(1);
    expect(await page.locator('#grad-chart svg').count()).toBe(1);
    expect(await page.locator('#warnings li').count()).toBeGreaterThan(0);
    await page.locator('#step-once').click();
    await expect.poll(() => number('#step-count'), WAIT).toBe(paused + 1);
    await page.screenshot({ path: join(artifacts, 'train.png') });
  }, 300_000);

  it('downloads the weights as safetensors with PyTorch keys, and loads them back', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.locator('#save-weights').click()]);
    const path = join(artifacts, 'weights.safetensors');
    await download.saveAs(path);
    const { tensors, metadata } = parseSafetensors(readFileSync(path));
    expect(Object.keys(tensors).sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight', '4.bias', '4.weight']);
    expect(tensors['0.weight']?.shape).toEqual([8, 2]);
    expect(tensors['4.weight']?.shape).toEqual([2, 8]);
    expect(metadata).toMatchObject({ format: 'pt', activation: 'relu', sizes: '2,8,8,2' });
    await page.locator('#load-weights').setInputFiles(path);
    await expect.poll(() => page.locator('#train-message').textContent(), WAIT).toMatch(/^loaded weights\.safetensors/);
    expect(await number('#test-accuracy')).toBeGreaterThan(0.9);
  }, 300_000);

  it('bounds the trained network over a dragged box: interval and CROWN bounds contain the sampled range', async () => {
    await page.locator('#tab-bounds').click();
    const canvas = page.locator('#bounds-plane');
    const rect = await canvas.boundingBox();
    if (rect === null) throw new Error('the bounds canvas is not visible');
    await page.mouse.move(rect.x + rect.width * 0.3, rect.y + rect.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(rect.x + rect.width * 0.45, rect.y + rect.height * 0.5, { steps: 5 });
    await page.mouse.up();
    await page.locator('#bounds-table tbody tr').first().waitFor(WAIT);
    const rows = await page
      .locator('#bounds-table tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) =>
          Object.fromEntries(
            [...tr.querySelectorAll('td')].map((td) => [
              td.dataset.kind,
              { lower: Number(td.dataset.lower), upper: Number(td.dataset.upper) },
            ]),
          ),
        ),
      );
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const sampled = row.sampled as { lower: number; upper: number };
      expect(sampled.lower).toBeLessThanOrEqual(sampled.upper);
      for (const kind of ['interval', 'crown']) {
        const bound = row[kind] as { lower: number; upper: number };
        expect(bound.lower).toBeLessThanOrEqual(sampled.lower);
        expect(bound.upper).toBeGreaterThanOrEqual(sampled.upper);
      }
    }
    expect(await page.locator('#bounds-table').textContent()).not.toMatch(/misses the samples/);
    await page.screenshot({ path: join(artifacts, 'bounds.png') });
  }, 300_000);

  it('explains the Quick Start at x=2, y=3: gradients 7 and 2 and a rendered graph', async () => {
    await page.locator('#tab-explain').click();
    await page.locator('#expression').fill('x*y + x^2');
    await page.locator('input[data-variable="x"]').fill('2');
    await page.locator('input[data-variable="y"]').fill('3');
    const gradient = (name: string) =>
      page.locator(`#gradients li[data-variable="${name}"]`).getAttribute('data-value');
    await expect.poll(() => gradient('x'), WAIT).toBe('7');
    expect(await gradient('y')).toBe('2');
    expect(await page.locator('#explain-value').textContent()).toBe('10');
    await page.locator('#graph svg g.node').first().waitFor(WAIT);
    expect(await page.locator('#graph svg g.node').count()).toBeGreaterThanOrEqual(5);
    expect(await page.locator('#walkthrough').textContent()).toMatch(/\S/);
    expect(page.url()).toContain('tab=explain');
    await page.screenshot({ path: join(artifacts, 'explain.png') });
  }, 300_000);

  it('answers x*(y+ with an inline message pointing at the end, and no console error', async () => {
    await page.locator('#expression').fill('x*(y+');
    const error = page.locator('#expression-error');
    await error.waitFor({ state: 'visible', ...WAIT });
    expect(await error.textContent()).toMatch(/Unexpected end of expression/);
    expect(await error.locator('pre').textContent()).toBe('x*(y+\n     ^');
    expect(await page.locator('#expression').getAttribute('aria-invalid')).toBe('true');
    // The value inputs stay while the text does not parse.
    expect(await page.locator('input[data-variable="y"]').inputValue()).toBe('3');
    await page.screenshot({ path: join(artifacts, 'explain-error.png') });
    expect(consoleErrors).toEqual([]);
  }, 300_000);

  it('restores a shared link and fits a phone-sized screen', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${server.url}?tab=explain&expr=sin(x)*y&vars=x:0,y:5`);
    await expect
      .poll(() => phone.locator('#gradients li[data-variable="x"]').getAttribute('data-value'), WAIT)
      .toBe('5');
    expect(await phone.locator('#tab-explain').getAttribute('aria-selected')).toBe('true');
    for (const tab of ['explain', 'train', 'bounds']) {
      await phone.locator(`#tab-${tab}`).click();
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `horizontal overflow on the ${tab} tab`).toBeLessThanOrEqual(1);
    }
    await phone.screenshot({ path: join(artifacts, 'phone-bounds.png') });
    await phone.close();
  }, 300_000);
});
