/** @file How every published package builds: ESM + CJS + declarations from its entry points. */
import { defineConfig } from 'tsup';

export function packageConfig(entry: readonly string[] = ['src/index.ts']) {
  return defineConfig({
    entry: [...entry],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
  });
}
