import { defaultClientConditions, defineConfig } from 'vite';

// The optimgrad packages are bundled from their TypeScript sources (the `@optimgrad/source` export
// condition), so the page needs no prior build of them and always matches the checked-out code.
export default defineConfig({
  base: './',
  resolve: { conditions: ['@optimgrad/source', ...defaultClientConditions] },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
});
