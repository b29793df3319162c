/**
 * `pnpm --filter @flagkit/size floor`: how much of each budgeted FlagKit set is messages, property
 * names and logic. Each set is bundled as the size test does (from the built packages), then
 * gzipped three ways: as built; with every string literal of 20 or more characters and the text
 * of every template literal removed; and that, with every property name mangled as well. The
 * last two bundles do not work: they only bound what shortening messages or names could save.
 */
import { gzipSync } from 'node:zlib';
import { parse } from 'acorn';
import { build, transform } from 'esbuild';
import { IMPORT_SETS } from './import-sets';
import { browserBundleOptions } from './measure-bundle';

const LONG_STRING = 22; // 20 characters plus the quotes
// Names the mangler must keep for the code to parse the same way (built-in methods it calls).
const BUILTIN_NAMES =
  /^(length|push|prototype|constructor|then|get|set|has|delete|size|keys|values|call|apply)$/;

function gzip(code: string): number {
  return gzipSync(Buffer.from(code), { level: 9 }).byteLength;
}

/** `code` with long string literals emptied and template literal text removed. */
function withoutMessages(code: string): string {
  const cuts: { start: number; end: number; replacement: string }[] = [];
  parse(code, {
    ecmaVersion: 'latest',
    sourceType: 'module',
    onToken(token) {
      if (token.type.label === 'string' && token.end - token.start >= LONG_STRING)
        cuts.push({ start: token.start, end: token.end, replacement: '""' });
      else if (token.type.label === 'template')
        cuts.push({ start: token.start, end: token.end, replacement: '' });
    },
  });
  let out = '';
  let last = 0;
  for (const cut of cuts) {
    out += code.slice(last, cut.start) + cut.replacement;
    last = cut.end;
  }
  return out + code.slice(last);
}

function kB(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

async function main(): Promise<void> {
  console.log('set              | as built | no messages | and no property names | budget');
  for (const set of IMPORT_SETS) {
    if (set.gzipBudget === undefined) continue;
    const result = await build(browserBundleOptions(set.flagkit));
    const code = new TextDecoder().decode(result.outputFiles[0]!.contents);
    const stripped = withoutMessages(code);
    const mangled = await transform(stripped, {
      minify: true,
      mangleProps: /./,
      reserveProps: BUILTIN_NAMES,
    });
    console.log(
      `${set.id.padEnd(16)} | ${kB(gzip(code)).padStart(8)} | ${kB(gzip(stripped)).padStart(11)} | ${kB(gzip(mangled.code)).padStart(21)} | ${kB(set.gzipBudget)}`,
    );
  }
}

await main();
