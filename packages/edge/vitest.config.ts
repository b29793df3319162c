import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };

export default defineConfig({
  define: { __PACKAGE_VERSION__: JSON.stringify(version) },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Generous: turbo runs every package's tests at once on a 2-core machine.
    testTimeout: 30_000,
  },
});
