/**
 * The tsup build every published package shares: ESM + CJS + .d.ts with source maps, for ES2022.
 *
 * The JavaScript is minified for whitespace and syntax but keeps its identifiers: Node compiles
 * a module's whole text on import, and the unminified files cost the Node entry about 3 ms of its
 * cold start (issue 5's budget is 15 ms). Function and class names stay readable in stack traces,
 * and the source maps lead back to the TypeScript.
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
    minifyWhitespace: true,
    minifySyntax: true,
    define: { __PACKAGE_VERSION__: JSON.stringify(version) },
  };
}
