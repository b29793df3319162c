import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // The end-to-end test drives real Chromium on a loaded 2-core machine.
    testTimeout: 40_000,
    hookTimeout: 30_000,
  },
});
