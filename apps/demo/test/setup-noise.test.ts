/**
 * @file The README's set-up commands print nothing a new user cannot act on: pnpm's update notice and turbo's
 * telemetry and update notices are turned off in the repository's own configuration (not per machine), and the
 * browser test says why when it is skipped.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

describe('set-up without noise', () => {
  it('turns off pnpm’s update notice in .npmrc', () => {
    expect(read('.npmrc')).toMatch(/^update-notifier=false$/m);
  });

  it('runs every turbo script with telemetry off, and turbo’s update notice off', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    const turbo = Object.entries(scripts).filter(([, command]) => /\bturbo run\b/.test(command));
    expect(turbo.length).toBeGreaterThan(0);
    for (const [name, command] of turbo) {
      expect(command, name).toMatch(/^TURBO_TELEMETRY_DISABLED=1 turbo run /);
    }
    expect((JSON.parse(read('turbo.json')) as { noUpdateNotifier?: boolean }).noUpdateNotifier).toBe(true);
  });

  it('says in the README that the browser test needs Chromium and how to install it', () => {
    expect(read('README.md')).toContain('apt-get install -y chromium');
  });

  it('names the reason in a skipped browser test', () => {
    const test = read('packages/core/test/browser.test.ts');
    expect(test).toMatch(/skipped: \$\{executablePath\} not found/);
    expect(test).toMatch(/console\.warn\(/);
  });
});
