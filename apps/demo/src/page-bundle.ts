// Bundles the page's script with esbuild over the built @flagkit/browser, as an app would ship it.
// The paths are relative to this module, which sits one level under apps/demo both as source
// (src/) and as built output (dist/).

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const PAGE_DIR = fileURLToPath(new URL('../src/page/', import.meta.url));

/** The page's files: the HTML shell, its stylesheet and the bundled script. */
export interface PageAssets {
  readonly html: string;
  readonly css: string;
  readonly script: string;
}

export async function buildPageAssets(): Promise<PageAssets> {
  const [html, css, result] = await Promise.all([
    readFile(`${PAGE_DIR}index.html`, 'utf8'),
    readFile(`${PAGE_DIR}styles.css`, 'utf8'),
    build({
      entryPoints: [`${PAGE_DIR}main.ts`],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"production"' },
    }),
  ]);
  const script = result.outputFiles[0]?.text;
  if (script === undefined) throw new Error('esbuild produced no page script');
  return { html, css, script };
}
