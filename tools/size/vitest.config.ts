import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Generous: turbo runs every package's tests at once on a 2-core machine.
    testTimeout: 30_000,
  },
});
