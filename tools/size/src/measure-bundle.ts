import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';

/** Sizes of one bundle, in bytes. */
export interface BundleSize {
  readonly minified: number;
  readonly gzip: number;
  readonly brotli: number;
}

// Entries resolve packages from this package's node_modules.
const RESOLVE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * The esbuild options of an application's browser bundle of `entry` (resolved from this
 * package): ESM, minified, browser conditions, every dependency included, nothing written.
 */
export function browserBundleOptions(entry: string) {
  return {
    stdin: { contents: entry, resolveDir: RESOLVE_DIR, loader: 'js', sourcefile: 'entry.js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  } as const satisfies BuildOptions;
}

/**
 * Bundles `entry` as an application would ship it to browsers: esbuild, ESM, minified, browser
 * conditions, every dependency included; then gzip -9 and brotli at maximum quality.
 */
export async function measureBundle(entry: string): Promise<BundleSize> {
  const result = await build(browserBundleOptions(entry));
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error('esbuild produced no output');
  return {
    minified: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    brotli: brotliCompressSync(code, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
    }).byteLength,
  };
}
