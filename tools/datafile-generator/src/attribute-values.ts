/**
 * Attribute values for generated users. Most are aimed at the conditions that use the
 * attribute (the value itself, a neighbour, a near-miss), the rest are hostile: wrong types,
 * `null`, `NaN`, infinities, numbers past 2^53, malformed versions, objects.
 */
import type { LeafCondition } from './datafile-types';
import type { Random } from './random';

const SPECIAL_NUMBERS: readonly number[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  -0,
  0.1 + 0.2,
  1e21,
];

const RANDOM_STRINGS: readonly string[] = [
  '',
  'US',
  'pro',
  'chrome',
  'ÜNÏ',
  '🙂',
  '1.2.3',
  'true',
  '42',
  ' ',
];

const MALFORMED_VERSIONS: readonly string[] = [
  'v1.2.3',
  '1.2.3.4',
  '1..2',
  ' 1.2.3',
  '1.2.3 ',
  '1.x',
  '',
  '1.2.3-',
  '-beta',
  '+build',
  '.1.2',
  '1.2.',
  'a.b.c',
  '01.002.3',
];

/** A random primitive of a random type. */
export function randomPrimitive(random: Random): string | number | boolean {
  return random.weighted<() => string | number | boolean>([
    [4, () => random.pick(RANDOM_STRINGS)],
    [3, () => random.int(-100, 1000)],
    [2, () => Math.round(random.float(-100, 100) * 1000) / 1000],
    [2, () => random.chance(0.5)],
  ])();
}

/** Versions around `version`: equal, bumped, truncated, extended, pre-release, build, malformed. */
function versionNear(random: Random, version: string): string {
  const match = /^(\d+(?:\.\d+){0,2})(.*)$/.exec(version);
  if (!match) return random.pick(MALFORMED_VERSIONS);
  const parts = (match[1] as string).split('.').map(Number);
  const suffix = match[2] as string;
  const bump = (delta: number): string => {
    const copy = parts.slice();
    const at = random.int(0, copy.length - 1);
    copy[at] = Math.max(0, (copy[at] ?? 0) + delta);
    return copy.join('.');
  };
  return random.weighted<() => string>([
    [5, () => version],
    [3, () => match[1] as string],
    [3, () => bump(1)],
    [3, () => bump(-1)],
    [2, () => parts.slice(0, Math.max(1, parts.length - 1)).join('.')],
    [2, () => `${parts.join('.')}.${random.int(0, 9)}`.split('.').slice(0, 3).join('.')],
    [2, () => `${parts.join('.')}-${random.pick(['alpha', 'beta', 'beta.2', 'rc.1', '0'])}`],
    [2, () => `${parts.join('.')}+${random.pick(['build.1', '20240101', 'sha.abc'])}`],
    [1, () => `${parts.join('.')}-beta+build.3`],
    [suffix ? 2 : 0, () => `${parts.join('.')}${suffix}x`],
    [2, () => random.pick(MALFORMED_VERSIONS)],
  ])();
}

/** A value aimed at one condition: often satisfying it, often just missing it. */
function valueNear(random: Random, leaf: LeafCondition): unknown {
  const match = leaf.match ?? 'exact';
  const target = leaf.value;
  switch (match) {
    case 'exact':
      if (typeof target === 'string') {
        return random.weighted<() => unknown>([
          [12, () => target],
          [1, () => target.toUpperCase()],
          [1, () => `${target} `],
          [2, () => random.pick(RANDOM_STRINGS)],
        ])();
      }
      if (typeof target === 'number') {
        return random.weighted<() => unknown>([
          [10, () => target],
          [2, () => target + 1],
          [1, () => String(target)],
          [1, () => target + 0.5],
        ])();
      }
      if (typeof target === 'boolean') return random.chance(0.8) ? target : !target;
      return randomPrimitive(random);
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      if (typeof target === 'number' && Number.isFinite(target)) {
        return random.weighted<() => number>([
          [4, () => target],
          [3, () => target + 1],
          [3, () => target - 1],
          [2, () => target + 0.5],
          [2, () => target - 0.5],
          [3, () => target + random.int(-50, 50)],
          [1, () => Math.round(target)],
        ])();
      }
      return random.int(-10, 1000);
    case 'substring':
      if (typeof target === 'string') {
        return random.weighted<() => string>([
          [4, () => `x${target}y`],
          [3, () => target],
          [2, () => target.slice(1)],
          [2, () => 'unrelated'],
          [1, () => `${target}🙂`],
        ])();
      }
      return random.pick(RANDOM_STRINGS);
    case 'semver_eq':
    case 'semver_gt':
    case 'semver_ge':
    case 'semver_lt':
    case 'semver_le':
      return typeof target === 'string' ? versionNear(random, target) : random.pick(MALFORMED_VERSIONS);
    default:
      return randomPrimitive(random);
  }
}

/** The same kind of value the conditions expect, with the type deliberately wrong. */
function wrongType(random: Random, leaves: readonly LeafCondition[]): unknown {
  const sample = leaves.length > 0 ? random.pick(leaves).value : undefined;
  if (typeof sample === 'number') return random.pick([String(sample), true, `${sample}abc`]);
  if (typeof sample === 'boolean') return random.pick([String(sample), sample ? 1 : 0]);
  if (typeof sample === 'string') return random.pick([random.int(0, 10), false, [sample]]);
  return random.pick<unknown>([{}, [], '1', 1]);
}

/**
 * A value for an attribute that `leaves` test. Never `undefined`.
 * @param leaves - `custom_attribute` conditions on this attribute (may be empty).
 */
export function attributeValue(random: Random, leaves: readonly LeafCondition[]): unknown {
  const semver = leaves.some((l) => typeof l.match === 'string' && l.match.startsWith('semver'));
  return random.weighted<() => unknown>([
    [leaves.length > 0 ? 62 : 0, () => valueNear(random, random.pick(leaves))],
    [8, () => wrongType(random, leaves)],
    [5, () => null],
    [7, () => random.pick(SPECIAL_NUMBERS)],
    [10, () => randomPrimitive(random)],
    [semver ? 6 : 0, () => random.pick(MALFORMED_VERSIONS)],
    [2, () => random.pick<unknown>([{}, { nested: true }, [1, 2]])],
  ])();
}
