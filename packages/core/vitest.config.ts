import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared';

export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      setupFiles: ['./test/setup.ts'],
      // The memory test measures heap after global.gc(); forks (the default pool) pass this to node.
      execArgv: ['--expose-gc'],
    },
  }),
);
