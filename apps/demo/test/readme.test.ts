/**
 * @file Runs every TypeScript code block of the root README and of each package README, as a user would paste it,
 * and checks each `console.log(...); // → value` line against what it printed. Keeps the docs true.
 * A block that uses names from the blocks before it (a README telling one story) runs after them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const demoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(demoRoot, '../..');
const readmes = [
  'README.md',
  ...['core', 'nn', 'optim', 'clip', 'inspect', 'onnx'].map((p) => `packages/${p}/README.md`),
];
// Scratch files live inside the demo so '@optimgrad/*' resolve through its workspace dependencies.
const scratch = mkdtempSync(join(demoRoot, '.readme-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Block {
  readonly code: string;
  readonly line: number;
}

function tsBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const pattern = /^(`{3,})ts\n([\s\S]*?)^\1$/gm;
  for (let m = pattern.exec(markdown); m !== null; m = pattern.exec(markdown)) {
    blocks.push({ code: m[2] as string, line: markdown.slice(0, m.index).split('\n').length });
  }
  return blocks;
}

/** Joins two blocks into one program: imports merged per module at the top, then the bodies in order. */
function continueStory(before: string, block: string): string {
  const named = new Map<string, Set<string>>();
  const other: string[] = [];
  const bodies: string[] = [];
  for (const code of [before, block]) {
    const body: string[] = [];
    for (const line of code.split('\n')) {
      const m = /^import \{([^}]*)\} from '([^']+)';$/.exec(line);
      if (m) {
        const names = named.get(m[2] as string) ?? new Set<string>();
        for (const n of (m[1] as string).split(',')) if (n.trim()) names.add(n.trim());
        named.set(m[2] as string, names);
      } else if (line.startsWith('import ')) {
        if (!other.includes(line)) other.push(line);
      } else body.push(line);
    }
    bodies.push(body.join('\n'));
  }
  const imports = [...named].map(([from, names]) => `import { ${[...names].join(', ')} } from '${from}';`);
  return [...imports, ...other, ...bodies].join('\n');
}

/** The values after `// →` on console.log lines, in order. */
function expectations(code: string): string[] {
  return code
    .split('\n')
    .filter((l) => l.includes('console.log(') && l.includes('// →'))
    .map((l) => (l.split('// →')[1] as string).trim().split(/\s{2,}|\s\(/)[0] as string);
}

function run(file: string, code: string): { ok: boolean; output: string } {
  writeFileSync(file, code);
  try {
    const output = execFileSync(process.execPath, ['--conditions=@optimgrad/source', '--import', 'tsx', file], {
      cwd: demoRoot,
      encoding: 'utf8',
      timeout: 120_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { ok: true, output };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe.each(readmes)('%s', (readme) => {
  const markdown = readFileSync(join(repoRoot, readme), 'utf8');
  const blocks = tsBlocks(markdown).filter((b) => b.code.includes('@optimgrad/') || !/^import /m.test(b.code));
  let previous = '';
  it.each(blocks.map((b) => [b.line, b] as const))('runs the code block at line %i', (_line, block) => {
    const file = join(scratch, `${readme.replaceAll('/', '-')}-${block.line}.ts`);
    let code = block.code;
    let result = run(file, code);
    if (!result.ok && /ReferenceError: \w+ is not defined/.test(result.output) && previous !== '') {
      code = continueStory(previous, block.code);
      result = run(file, code);
    }
    previous = code;
    expect(result.ok, `${relative(repoRoot, file)} failed:\n${result.output}`).toBe(true);
    const printed = result.output.split('\n');
    // Every expected value must appear as a printed line, in order.
    let at = 0;
    for (const value of expectations(code)) {
      while (at < printed.length && printed[at]?.trim() !== value) at++;
      expect(at, `${relative(repoRoot, file)} should print "${value}"; it printed:\n${result.output}`).toBeLessThan(
        printed.length,
      );
      at++;
    }
  });
});
