/**
 * @file Runs every TypeScript code block of the root README and of each package README, as a user would paste it,
 * and checks each `console.log(...); // → value` line against what it printed. Keeps the docs true.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const demoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(demoRoot, '../..');
const readmes = ['README.md', ...['core', 'nn', 'optim', 'clip', 'inspect'].map((p) => `packages/${p}/README.md`)];
// Scratch files live inside the demo so '@optimgrad/*' resolve through its workspace dependencies.
const scratch = mkdtempSync(join(demoRoot, '.readme-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Block {
  readonly code: string;
  readonly line: number;
}

function tsBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const pattern = /^```ts\n([\s\S]*?)^```/gm;
  for (let m = pattern.exec(markdown); m !== null; m = pattern.exec(markdown)) {
    blocks.push({ code: m[1] as string, line: markdown.slice(0, m.index).split('\n').length });
  }
  return blocks;
}

/** The values after `// →` on console.log lines, in order. */
function expectations(code: string): string[] {
  return code
    .split('\n')
    .filter((l) => l.includes('console.log(') && l.includes('// →'))
    .map((l) => (l.split('// →')[1] as string).trim().split(/\s{2,}|\s\(/)[0] as string);
}

describe.each(readmes)('%s', (readme) => {
  const markdown = readFileSync(join(repoRoot, readme), 'utf8');
  const blocks = tsBlocks(markdown).filter((b) => b.code.includes('@optimgrad/'));
  it.each(blocks.map((b) => [b.line, b] as const))('runs the code block at line %i', (_line, block) => {
    const file = join(scratch, `${readme.replaceAll('/', '-')}-${block.line}.ts`);
    writeFileSync(file, block.code);
    const output = execFileSync(process.execPath, ['--conditions=@optimgrad/source', '--import', 'tsx', file], {
      cwd: demoRoot,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const printed = output.split('\n');
    const expected = expectations(block.code);
    // Every expected value must appear as a printed line, in order.
    let at = 0;
    for (const value of expected) {
      while (at < printed.length && printed[at]?.trim() !== value) at++;
      expect(at, `${relative(repoRoot, file)} should print "${value}"; it printed:\n${output}`).toBeLessThan(
        printed.length,
      );
      at++;
    }
  });
});
