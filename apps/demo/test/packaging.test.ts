import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repo } from './built-packages';

let scratch = '';
let project = '';

const EXAMPLE_BODY = `
const w = tensor([0], { requiresGrad: true });
const optimizer = new SGD([w], { lr: 0.1 });
for (let step = 0; step < 100; step++) {
  optimizer.zeroGrad();
  w.sub(3).pow(2).sum().backward();
  optimizer.step();
}
console.log(JSON.stringify({ w: w.item(), grad: w.grad.item() }));
`;

function pack(packageDir: string): string {
  const before = new Set(readdirSync(scratch));
  execFileSync('pnpm', ['pack', '--pack-destination', scratch], { cwd: join(repo, packageDir), stdio: 'pipe' });
  const created = readdirSync(scratch).filter((name) => name.endsWith('.tgz') && !before.has(name));
  if (created.length !== 1) throw new Error(`pnpm pack in ${packageDir} produced ${created.length} tarballs`);
  return join(scratch, created[0] as string);
}

beforeAll(() => {
  ensureBuilt(['core', 'optim']);
  scratch = mkdtempSync(join(tmpdir(), 'optimgrad-pack-'));
  const core = pack('packages/core');
  const optim = pack('packages/optim');
  project = join(scratch, 'project');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', core, optim], {
    cwd: project,
    stdio: 'pipe',
  });
  writeFileSync(
    join(project, 'example.mjs'),
    `import { tensor } from '@optimgrad/core';\nimport { SGD } from '@optimgrad/optim';\n${EXAMPLE_BODY}`,
  );
  writeFileSync(
    join(project, 'example.cjs'),
    `const { tensor } = require('@optimgrad/core');\nconst { SGD } = require('@optimgrad/optim');\n${EXAMPLE_BODY}`,
  );
}, 600_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('installing only @optimgrad/core and @optimgrad/optim from packed tarballs', () => {
  it('installs exactly the two packages, with the workspace range rewritten', () => {
    expect(readdirSync(join(project, 'node_modules', '@optimgrad')).sort()).toEqual(['core', 'optim']);
    const optim = JSON.parse(readFileSync(join(project, 'node_modules/@optimgrad/optim/package.json'), 'utf8')) as {
      peerDependencies?: Record<string, string>;
    };
    expect(optim.peerDependencies?.['@optimgrad/core']).toMatch(/^\^\d+\.\d+\.\d+/);
    expect(existsSync(join(project, 'node_modules/@optimgrad/core/dist/index.js'))).toBe(true);
  });

  for (const file of ['example.mjs', 'example.cjs']) {
    it(`runs a small training loop as ${file.endsWith('.mjs') ? 'ESM' : 'CommonJS'}`, () => {
      const output = execFileSync(process.execPath, [file], { cwd: project, encoding: 'utf8' });
      const result = JSON.parse(output) as { w: number; grad: number };
      expect(result.w).toBeCloseTo(3, 4);
      expect(Math.abs(result.grad)).toBeLessThan(1e-3);
    });
  }
});
