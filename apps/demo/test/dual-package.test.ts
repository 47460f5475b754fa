/**
 * @file The dual-package hazard: one program can load the ESM build of @optimgrad/core (through `import`)
 * and, through the CommonJS builds of optim, nn and clip, the CommonJS build of core. Their Tensor classes
 * differ, so a tensor made by one build must be recognised by the other through the `isTensor` brand.
 * The script runs in plain Node on the built `dist/` files, as an installed package would.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repo } from './built-packages';

const packages = ['core', 'optim', 'nn', 'clip'];
let scratch = '';

// The CommonJS builds `require('@optimgrad/core')`, which resolves to core's CommonJS build: the tensor
// below comes from the other (ESM) build.
const SCRIPT = (dist: (name: string, file: string) => string) => `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const core = await import(${JSON.stringify(pathToFileURL(dist('core', 'index.js')).href)});
const { SGD } = require(${JSON.stringify(dist('optim', 'index.cjs'))});
const { Linear } = require(${JSON.stringify(dist('nn', 'index.cjs'))});
const { clipGradNorm } = require(${JSON.stringify(dist('clip', 'index.cjs'))});
const cjsCore = require(${JSON.stringify(dist('core', 'index.cjs'))});

const w = core.tensor([0], { requiresGrad: true });
const out = { distinctClasses: core.Tensor !== cjsCore.Tensor };
const optimizer = new SGD([w], { lr: 0.1 });
for (let step = 0; step < 100; step++) {
  optimizer.zeroGrad();
  w.sub(3).pow(2).sum().backward();
  optimizer.step();
}
out.w = w.item();

const big = core.tensor([3, 4], { requiresGrad: true });
big.mul(big).sum().div(2).backward();
out.norm = Number(clipGradNorm([big], 1));
out.clipped = Array.from(big.grad.data);

const layer = new Linear(2, 1);
layer.loadStateDict({ weight: core.tensor([[1, 2]]), bias: core.tensor([0.5]) });
out.forward = layer.forward(cjsCore.tensor([[1, 1]])).item();
out.isTensor = typeof cjsCore.isTensor === 'function' && cjsCore.isTensor(w);
console.log(JSON.stringify(out));
`;

beforeAll(() => {
  ensureBuilt(packages);
  scratch = mkdtempSync(join(tmpdir(), 'optimgrad-dual-'));
}, 600_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('a tensor from the ESM build of core, given to the CommonJS builds of optim, nn and clip', () => {
  it('is accepted: an SGD step, gradient clipping and a module state load all work', () => {
    const script = join(scratch, 'dual.mjs');
    writeFileSync(
      script,
      SCRIPT((name, file) => join(repo, 'packages', name, 'dist', file)),
    );
    const result = JSON.parse(execFileSync(process.execPath, [script], { encoding: 'utf8' })) as {
      distinctClasses: boolean;
      isTensor: boolean;
      w: number;
      norm: number;
      clipped: number[];
      forward: number;
    };
    // Two Tensor classes are loaded, so this test exercises the hazard rather than one shared build.
    expect(result.distinctClasses).toBe(true);
    expect(result.isTensor).toBe(true);
    expect(result.w).toBeCloseTo(3, 4);
    expect(result.norm).toBeCloseTo(5, 5);
    expect(result.clipped[0]).toBeCloseTo(0.6, 5);
    expect(result.clipped[1]).toBeCloseTo(0.8, 5);
    expect(result.forward).toBeCloseTo(3.5, 5);
  });
});
