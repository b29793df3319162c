import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Each file drives two SDKs over thousands of users; allow for slow CI machines.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
