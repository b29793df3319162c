import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };

export default defineConfig({
  define: { __PACKAGE_VERSION__: JSON.stringify(version) },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Property tests run thousands of cases; on a loaded 2-core machine (turbo runs every
    // package's tests at once) 5 s is too tight for them.
    testTimeout: 30_000,
  },
});
