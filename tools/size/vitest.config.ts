import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Bundling both SDKs for every import set takes a few seconds on 2 cores.
    testTimeout: 60_000,
  },
});
