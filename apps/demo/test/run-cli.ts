/** @file Test helper: builds the demo when `dist/cli.js` is missing or older than the sources it bundles, and runs it. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const cliPath = join(root, 'dist', 'cli.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds `dist/cli.js` with tsup unless it is newer than every source file (the demo's and the bundled packages'). */
export function ensureBuilt(): void {
  const packages = join(root, '..', '..', 'packages');
  const sources = [join(root, 'src'), ...readdirSync(packages).map((name) => join(packages, name, 'src'))];
  const newest = Math.max(...sources.filter((dir) => existsSync(dir)).map(newestSource));
  if (existsSync(cliPath) && statSync(cliPath).mtimeMs >= newest) return;
  execFileSync('npx', ['tsup'], { cwd: root, stdio: 'pipe' });
}

/** What a run of the CLI printed and returned. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI with the given arguments (stdout is a pipe, so progress prints plain lines). */
export function runCli(args: readonly string[], cwd = root): CliRun {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', timeout: 240_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
