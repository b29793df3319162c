import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareSemver } from './semver';

// [condition, user, expected sign of user relative to condition]. Every row was checked against
// compareVersion from @optimizely/optimizely-sdk 6.6.1.
const table: readonly (readonly [string, string, number | null])[] = [
  // Plain numeric comparisons.
  ['1.2.3', '1.2.3', 0],
  ['1.2.3', '1.2.4', 1],
  ['1.2.3', '1.2.2', -1],
  ['1.2.3', '1.3.0', 1],
  ['1.2.3', '2.0.0', 1],
  ['1.2.3', '0.9.9', -1],
  ['1.10', '1.9', -1],
  // The condition is a prefix: only its parts are compared.
  ['2.1', '2.1.9', 0],
  ['2.1', '2.1.0', 0],
  ['2', '2.9.1', 0],
  ['2', '3', 1],
  ['2', '1.9', -1],
  // A user with fewer parts is less than a plain condition...
  ['2.1.9', '2.1', -1],
  ['2.1.0', '2.1', -1],
  // ...but greater than a pre-release or build condition.
  ['1.2-beta', '1.2', 1],
  ['1.2.3-', '1.2', 1],
  // Leading zeros are fine: parts compare as integers.
  ['1.2', '1.02', 0],
  ['01.2', '1.2', 0],
  ['1.02', '1.2', 0],
  // Pre-releases.
  ['3.0.0', '3.0.0-beta', -1],
  ['3.0.0-beta', '3.0.0', 1],
  ['3.0.0-beta', '3.0.0-beta', 0],
  ['3.0.0-beta', '3.0.0-alpha', -1],
  ['3.0.0-alpha', '3.0.0-beta', 1],
  ['1.2', '1.2-beta', -1],
  ['1.2', '1.2.3-beta.1.2', -1],
  // The suffix is one string compared lexicographically, so beta.10 < beta.9.
  ['1.2.3-beta.9', '1.2.3-beta.10', -1],
  ['1.2.3-beta.10', '1.2.3-beta.9', 1],
  ['1.2.3-rc', '1.2.3-rc.1', 1],
  // Build metadata: '+' before any '-' is a build, and it is compared like a suffix.
  ['3.0.0+build', '3.0.0', 1],
  ['3.0.0', '3.0.0+build', 0],
  ['3.0.0+1', '3.0.0+2', 1],
  ['3.0.0+build', '3.0.0-beta', -1],
  ['1.2.3-beta+build', '1.2.3-beta+build', 0],
  ['1.2.3-beta', '1.2.3-beta+build', 1],
  ['1.2.3+build-1', '1.2.3+build-1', 0],
  // An empty suffix is dropped, yet the version still counts as a pre-release.
  ['1.2-', '1.2', 0],
  ['1.2', '1.2-', -1],
  ['1.2-', '1.2.0', 0],
  // A numeric user part against the condition's suffix uses parseInt(suffix).
  ['1.2-beta', '1.2.3', 0],
  ['1.2-10abc', '1.2.9', -1],
  ['1.2-10abc', '1.2.11', 1],
  ['1.2-0x1f', '1.2.30', -1],
  ['1.2-0x1f', '1.2.32', 1],
  // Numbers beyond 2^53 compare as rounded doubles, like parseInt.
  ['9007199254740992', '9007199254740993', 0],
  // Invalid versions on either side.
  ['', '', null],
  ['1.2.3', '', null],
  ['', '1.2.3', null],
  ['1..2', '1.2', null],
  ['1.2', '1..2', null],
  ['1.2.3.4', '1.2.3', null],
  ['1.2.3', '1.2.3.4', null],
  ['1.2', '1.2.3.4-beta', null],
  ['1.2.3-10abc', '1.2.3.4', null],
  ['v1.2', '1.2', null],
  ['1.2', 'v1.2', null],
  [' 1.2', '1.2', null],
  ['1.2', '1.2 ', null],
  ['1.2', '1.\t2', null],
  ['1.2', '1.2\u00a0', null],
  ['1.2', '.1.2', null],
  ['1.2', '1.2.', null],
  ['1.2', '-1.2', null],
  ['1.2', '+1', null],
  ['1.2', '1.x', null],
  ['1.2', 'a', null],
];

describe('compareSemver', () => {
  it.each(table)('compares condition %j with user %j as %j', (condition, user, expected) => {
    expect(compareSemver(condition, user)).toBe(expected);
  });

  it('treats a version as equal to itself whenever it is valid', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 999 }).map(String), { minLength: 1, maxLength: 3 }),
        fc.constantFrom('', '-', '+'),
        fc.string({ unit: fc.constantFrom('a', 'z', '0', '9', '.', '-', '+'), maxLength: 6 }),
        (parts, marker, suffix) => {
          const version = parts.join('.') + (marker === '' ? '' : marker + suffix);
          expect(compareSemver(version, version)).toBe(0);
        },
      ),
    );
  });

  it('orders plain three-part versions numerically, and is antisymmetric', () => {
    const version = fc.tuple(fc.nat({ max: 20 }), fc.nat({ max: 20 }), fc.nat({ max: 20 }));
    fc.assert(
      fc.property(version, version, (a, b) => {
        const expected = Math.sign(b[0] - a[0] || b[1] - a[1] || b[2] - a[2]);
        expect(compareSemver(a.join('.'), b.join('.'))).toBe(expected);
        // `0 - expected`, not `-expected`: equal versions compare as 0, and -0 is not 0 to toBe.
        expect(compareSemver(b.join('.'), a.join('.'))).toBe(0 - expected);
      }),
    );
  });

  it('treats every \\s character of the BMP as whitespace, and no other, even in a suffix', () => {
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      const version = `1.2-a${char}b`;
      expect(compareSemver(version, version)).toBe(/\s/.test(char) ? null : 0);
    }
  });

  it('returns null whenever either version contains whitespace', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u2028', '\ufeff'),
        fc.nat({ max: 3 }),
        (space, at) => {
          const bad = '1.2.3'.slice(0, at) + space + '1.2.3'.slice(at);
          expect(compareSemver(bad, '1.2.3')).toBeNull();
          expect(compareSemver('1.2.3', bad)).toBeNull();
        },
      ),
    );
  });
});
