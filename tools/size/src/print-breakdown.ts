/**
 * `pnpm --filter @flagkit/size breakdown [set-id ...]`: where the bytes of FlagKit's import sets
 * come from. Each set is bundled like `measureBundle` does, but from the packages' TypeScript
 * sources (the built files are one file per package), and the minified bytes each source file
 * contributes are listed, largest first, with a total per package. A guide for size work; the
 * sizes that count are the size test's and `pnpm bench`'s, which bundle the built packages.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { IMPORT_SETS } from './import-sets';
import { browserBundleOptions } from './measure-bundle';

const RESOLVE_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const REPO_ROOT = join(RESOLVE_DIR, '..', '..');
const PACKAGES = ['core', 'event-processor', 'odp', 'browser', 'edge'] as const;
const TOP_FILES = 25;

async function breakdown(entry: string): Promise<void> {
  const alias = Object.fromEntries(
    PACKAGES.map((name) => [`@flagkit/${name}`, join(REPO_ROOT, 'packages', name, 'src', 'index.ts')]),
  );
  const result = await build({
    ...browserBundleOptions(entry),
    metafile: true,
    alias,
    define: { __PACKAGE_VERSION__: JSON.stringify(coreVersion()) },
  });
  const code = result.outputFiles[0]!.contents;
  const output = Object.values(result.metafile.outputs)[0]!;
  const files = Object.entries(output.inputs)
    .map(([path, input]) => ({
      path: relative(REPO_ROOT, join(RESOLVE_DIR, path)),
      bytes: input.bytesInOutput,
    }))
    .filter((file) => file.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  const perPackage = new Map<string, number>();
  for (const file of files) {
    const owner = /^packages\/([^/]+)\//.exec(file.path)?.[1] ?? 'entry';
    perPackage.set(owner, (perPackage.get(owner) ?? 0) + file.bytes);
  }
  console.log(
    `  ${code.byteLength} B minified, ${gzipSync(code, { level: 9 }).byteLength} B gzip (from sources)`,
  );
  console.log(`  per package: ${[...perPackage].map(([name, bytes]) => `${name} ${bytes}`).join(', ')}`);
  for (const file of files.slice(0, TOP_FILES))
    console.log(`  ${String(file.bytes).padStart(7)}  ${file.path}`);
  if (files.length > TOP_FILES) console.log(`  … ${files.length - TOP_FILES} more files`);
}

function coreVersion(): string {
  const manifest = join(REPO_ROOT, 'packages', 'core', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

const wanted = process.argv.slice(2).filter((arg) => arg !== '--');
for (const set of IMPORT_SETS) {
  if (wanted.length > 0 && !wanted.includes(set.id)) continue;
  console.log(`${set.id}: ${set.title}`);
  await breakdown(set.flagkit);
}
