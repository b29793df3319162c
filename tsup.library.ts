/**
 * The tsup build every published package shares: ESM + CJS + .d.ts with source maps, for ES2022.
 *
 * Not minified, on purpose: esbuild's whitespace minification drops the `@__PURE__`
 * annotations (its own and ours) that let an application's bundler tree-shake module-level
 * values, which matters more than the ~1 ms of cold import it would save on Node.
 */
import { readFileSync } from 'node:fs';
import type { Options } from 'tsup';

/** The tsup options for the package in the current directory (`src/index.ts` → `dist/`). */
export function libraryConfig(): Options {
  const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };
  return {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    define: { __PACKAGE_VERSION__: JSON.stringify(version) },
  };
}
