/** @file The packaging tests' shared step: build the published packages they load when their dist is stale. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function newestFile(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestFile(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** A package's dist is fresh when its entry points exist and are newer than its sources and build configuration. */
function isBuilt(name: string): boolean {
  const dir = join(repo, 'packages', name);
  const outputs = ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts'].map((f) => join(dir, f));
  if (!outputs.every((f) => existsSync(f))) return false;
  const configs = [join(dir, 'package.json'), join(dir, 'tsup.config.ts'), join(repo, 'tsup.shared.ts')];
  const sources = Math.max(
    newestFile(join(dir, 'src')),
    ...configs.filter((f) => existsSync(f)).map((f) => statSync(f).mtimeMs),
  );
  return outputs.every((f) => statSync(f).mtimeMs >= sources);
}

/**
 * Builds those of `names` (`'core'`, `'optim'`, …) whose dist is missing or older than their sources.
 * @example ensureBuilt(['core', 'optim'])
 */
export function ensureBuilt(names: readonly string[]): void {
  const stale = names.filter((name) => !isBuilt(name));
  if (stale.length === 0) return;
  execFileSync('pnpm', [...stale.flatMap((name) => ['--filter', `@optimgrad/${name}`]), 'build'], {
    cwd: repo,
    stdio: 'pipe',
  });
}
