import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charCodeAt } from './char-code-at';

const SRC = join(fileURLToPath(new URL('.', import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('charCodeAt', () => {
  it('is String.prototype.charCodeAt, for strings built in any way', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.nat(40), (a, b, i) => {
        for (const s of [a + b, `${a}${b}`.slice(0), JSON.parse(JSON.stringify(a + b)) as string]) {
          expect(charCodeAt(s, i)).toBe(s.charCodeAt(i)); // NaN past the end, like the method
        }
      }),
    );
  });

  it('is what core reads string characters with (a direct s.charCodeAt is a megamorphic lookup)', () => {
    const direct = sourceFiles(SRC).filter((file) => /\.charCodeAt\(/.test(readFileSync(file, 'utf8')));
    expect(direct.map((file) => file.slice(SRC.length + 1))).toEqual(['util/char-code-at.ts']);
  });
});
