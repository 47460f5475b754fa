import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  // The @optimgrad packages are bundled from their sources, so the demo runs without building them first.
  noExternal: [/^@optimgrad\//],
  esbuildOptions(options) {
    options.conditions = ['@optimgrad/source'];
  },
});
