import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };

export default defineConfig({
  define: { __PACKAGE_VERSION__: JSON.stringify(version) },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Every test file starts its own redis-server; two cores, so run files one after another.
    fileParallelism: false,
    testTimeout: 10_000,
    hookTimeout: 10_000,
  },
});
