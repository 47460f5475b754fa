#!/usr/bin/env node
// The command's entry is a committed file, so pnpm links it when it installs the workspace, before the first
// build; the program itself is the built dist/cli.js.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error(
    'optimgrad-demo: the demo is not built yet; run `pnpm demo` (or `pnpm build`) from the repository root first',
  );
  process.exit(1);
}
await import(cli.href);
