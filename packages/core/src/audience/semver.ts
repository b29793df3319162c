/**
 * Optimizely's "semantic version" comparison for the `semver_*` match types.
 *
 * This is deliberately NOT semver.org precedence; it reproduces `compareVersion` from
 * @optimizely/optimizely-sdk 6.6.1 quirk for quirk, because audiences must evaluate the same in
 * every SDK:
 * - the condition is a prefix: only the condition's parts are compared, so condition "2.1"
 *   equals user "2.1.9" and condition "2" equals user "2.9.1";
 * - everything after the first `-` (pre-release) or `+` (build), whichever comes first, is ONE
 *   extra part compared as a plain string ("beta.10" < "beta.9"), and an empty suffix is dropped
 *   while the version still counts as a pre-release/build ("1.2-" is valid);
 * - numeric parts compare as `parseInt` values, so leading zeros are fine ("1.02" = "1.2") and a
 *   numeric user part against the condition's suffix uses `parseInt(suffix)`, which may be NaN
 *   (no decision, keep going), a leading-digits prefix ("10abc" → 10) or even hex ("0x1f");
 * - a leading `v`, whitespace anywhere, empty parts or more than three dotted parts are invalid.
 *
 * Parsing works on index ranges in module-level scratch arrays, so a comparison allocates nothing
 * except in the rare `parseInt` fallback for long or non-decimal parts.
 */

import { charCodeAt } from '../util/char-code-at';

const MAX_PARTS = 4; // three dotted numbers plus the suffix
const SAFE_DIGITS = 15; // any 15-digit decimal is exact in a double

const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

const FLAG_PRERELEASE = 8;
const FLAG_BUILD = 16;
const COUNT_MASK = 7;

// `\s` exactly as the reference tests it (Unicode spaces and line terminators included).
const WHITESPACE = /\s/;

const conditionStarts = new Int32Array(MAX_PARTS);
const conditionEnds = new Int32Array(MAX_PARTS);
const userStarts = new Int32Array(MAX_PARTS);
const userEnds = new Int32Array(MAX_PARTS);

/** `WHITESPACE.test(s)`, answered without the regex when `s` is printable ASCII (the usual case). */
function hasWhitespace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const code = charCodeAt(s, i);
    // Every `\s` character is a control or space character (<= 0x20) or beyond ASCII.
    if (code <= 0x20 || code >= 0x7f) return WHITESPACE.test(s);
  }
  return false;
}

/**
 * Splits `version` into part ranges. Returns -1 if invalid, otherwise the part count in the low
 * bits plus `FLAG_PRERELEASE`/`FLAG_BUILD`.
 */
function parseVersion(version: string, starts: Int32Array, ends: Int32Array): number {
  if (hasWhitespace(version)) return -1;
  const dash = String.prototype.indexOf.call(version, '-');
  const plus = String.prototype.indexOf.call(version, '+');
  let flags = 0;
  let prefixEnd = version.length;
  if (dash >= 0 && (plus < 0 || dash < plus)) {
    flags = FLAG_PRERELEASE;
    prefixEnd = dash;
  } else if (plus >= 0) {
    flags = FLAG_BUILD;
    prefixEnd = plus;
  }

  let count = 0;
  let partStart = 0;
  for (let i = 0; i <= prefixEnd; i++) {
    const code = i === prefixEnd ? DOT : charCodeAt(version, i);
    if (code === DOT) {
      // More than two dots, or an empty part (which also rules out "", "1..2" and "v1").
      if (count === 3 || i === partStart) return -1;
      starts[count] = partStart;
      ends[count] = i;
      count++;
      partStart = i + 1;
    } else if (code < DIGIT_0 || code > DIGIT_9) {
      return -1;
    }
  }
  // A non-empty suffix is one extra part; an empty one is dropped but the flag stays.
  if (flags !== 0 && prefixEnd + 1 < version.length) {
    starts[count] = prefixEnd + 1;
    ends[count] = version.length;
    count++;
  }
  return count | flags;
}

function isAllDigits(s: string, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) {
    const code = charCodeAt(s, i);
    if (code < DIGIT_0 || code > DIGIT_9) return false;
  }
  return true;
}

/** `parseInt(s.slice(start, end))`, without the slice for the common short all-digit case. */
function parseIntRange(s: string, start: number, end: number): number {
  if (end - start <= SAFE_DIGITS && isAllDigits(s, start, end)) {
    let value = 0;
    for (let i = start; i < end; i++) value = value * 10 + (charCodeAt(s, i) - DIGIT_0);
    return value;
  }
  // Rare: huge numbers (parseInt's rounding), or a suffix like "10abc" or "0x1f".
  // No radix on purpose: the reference calls parseInt without one, so "0x" means hex.
  // biome-ignore lint/correctness/useParseIntRadix: reproducing the reference's parseInt.
  return Number.parseInt(s.slice(start, end));
}

/** Sign of `a[as, ae)` vs `b[bs, be)` by UTF-16 code units, like `<`/`>` on strings. */
function compareRanges(a: string, as: number, ae: number, b: string, bs: number, be: number): number {
  const aLength = ae - as;
  const bLength = be - bs;
  const common = Math.min(aLength, bLength);
  for (let i = 0; i < common; i++) {
    const diff = charCodeAt(a, as + i) - charCodeAt(b, bs + i);
    if (diff !== 0) return diff < 0 ? -1 : 1;
  }
  return aLength === bLength ? 0 : aLength < bLength ? -1 : 1;
}

/**
 * Compares a user's version with a condition's version the way Optimizely does (see the file
 * comment for the quirks).
 *
 * @param conditionVersion - The version in the audience condition.
 * @param userVersion - The version in the user's attribute.
 * @returns The sign of the user's version relative to the condition's: -1, 0 or 1; or `null` if
 *   either version is invalid.
 */
export function compareSemver(conditionVersion: string, userVersion: string): number | null {
  const user = parseVersion(userVersion, userStarts, userEnds);
  if (user < 0) return null;
  const condition = parseVersion(conditionVersion, conditionStarts, conditionEnds);
  if (condition < 0) return null;

  const userCount = user & COUNT_MASK;
  const userIsPrerelease = (user & FLAG_PRERELEASE) !== 0;
  const conditionCount = condition & COUNT_MASK;
  const conditionIsPrerelease = (condition & FLAG_PRERELEASE) !== 0;
  const conditionHasSuffix = (condition & (FLAG_PRERELEASE | FLAG_BUILD)) !== 0;

  for (let i = 0; i < conditionCount; i++) {
    if (userCount <= i) return conditionHasSuffix ? 1 : -1;
    const us = userStarts[i]!;
    const ue = userEnds[i]!;
    const cs = conditionStarts[i]!;
    const ce = conditionEnds[i]!;
    if (!isAllDigits(userVersion, us, ue)) {
      const order = compareRanges(userVersion, us, ue, conditionVersion, cs, ce);
      if (order < 0) return conditionIsPrerelease && !userIsPrerelease ? 1 : -1;
      if (order > 0) return !conditionIsPrerelease && userIsPrerelease ? -1 : 1;
    } else {
      const userPart = parseIntRange(userVersion, us, ue);
      const conditionPart = parseIntRange(conditionVersion, cs, ce);
      // A NaN condition part (non-numeric suffix) decides nothing, as in the reference.
      if (userPart > conditionPart) return 1;
      if (userPart < conditionPart) return -1;
    }
  }
  return userIsPrerelease && !conditionIsPrerelease ? -1 : 0;
}
