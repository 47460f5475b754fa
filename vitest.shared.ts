/** @file Vitest settings shared by every package: read sources through the `@optimgrad/source` condition. */
import { defineConfig } from 'vitest/config';

export const sharedConfig = defineConfig({
  resolve: { conditions: ['@optimgrad/source'] },
  ssr: { resolve: { conditions: ['@optimgrad/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
