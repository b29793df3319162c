/**
 * `generateUsers`: seeded users for a datafile: ids (ASCII, unicode, whitelisted, empty, long),
 * attributes aimed at the datafile's conditions plus hostile values and keys, and ODP segments.
 */
import { attributeValue, randomPrimitive } from './attribute-values';
import { type DatafileIndex, type DatafileSource, indexDatafile } from './datafile-index';
import { Random } from './random';

/** One generated user. */
export interface GeneratedUser {
  userId: string;
  /**
   * Own enumerable data properties only; may include `__proto__` and `constructor` as own keys
   * (so never spread or `Object.assign` it into a literal if you need to keep them). No value is
   * `undefined`.
   */
  attributes: Record<string, unknown>;
  /** A subset of the datafile's `qualified` segment names, sometimes with an unknown one. */
  segments: string[];
}

/** Options of {@link generateUsers}. Only `seed` and `count` are required. */
export interface GenerateUsersOptions {
  /** Selects the users: the same datafile and options always give deep-equal users. */
  seed: number;
  /** How many users. */
  count: number;
  /** Probability each known attribute is present. Default 0.7. */
  attributeShare?: number;
  /** Probability of a `$opt_bucketing_id` attribute (a quarter of them not strings). Default 0.1. */
  bucketingIdShare?: number;
  /** Probability of each of the keys `__proto__` and `constructor`. Default 0.05. */
  prototypeKeyShare?: number;
  /** Probability of a `$opt_experiment_bucket_map` attribute (sticky bucketing). Default 0.03. */
  bucketMapShare?: number;
  /** Probability each segment is qualified. Default 0.35. */
  segmentShare?: number;
}

const UNICODE_IDS = [
  'ユーザー',
  'пользователь',
  'مستخدم',
  'उपयोगकर्ता',
  '用户',
  'üser',
  '👤',
  'e\u0301',
  '𝔘𝔰𝔢𝔯',
];
const ODD_IDS = [' leading', 'trailing ', 'tab\there', 'null', 'NaN', '0', '-1', '$opt_user', '{}'];

function hex(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += random.int(0, 15).toString(16);
  return out;
}

function userIdFor(random: Random, index: DatafileIndex, i: number): string {
  return random.weighted<() => string>([
    [index.whitelistedUserIds.length > 0 ? 10 : 0, () => random.pick(index.whitelistedUserIds)],
    [40, () => `user_${i}`],
    [12, () => `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-${hex(random, 4)}-${hex(random, 12)}`],
    [8, () => String(random.int(0, 99_999_999))],
    [12, () => `${random.pick(UNICODE_IDS)}${i}`],
    [4, () => `user${i}@example.com`],
    [1, () => ''],
    [2, () => `long_${'x'.repeat(random.int(100, 300))}_${i}`],
    [3, () => random.pick(ODD_IDS)],
  ])();
}

/** Defines `key` as an own, enumerable data property, even for `__proto__`. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function bucketMap(random: Random, index: DatafileIndex): Record<string, { variation_id: string }> {
  const map: Record<string, { variation_id: string }> = {};
  const candidates = index.experiments.filter((e) => e.variationIds.length > 0);
  if (candidates.length === 0) return map;
  for (const experiment of random.sample(candidates, random.int(1, 2))) {
    const variationId = random.weighted<() => string>([
      [8, () => random.pick(experiment.variationIds)],
      [1, () => random.pick(random.pick(candidates).variationIds)],
      [1, () => '999999999'],
    ])();
    map[experiment.id] = { variation_id: variationId };
  }
  return map;
}

/**
 * Generates users for `datafile`.
 *
 * @example
 * const users = generateUsers(datafile, { seed: 7, count: 1000 });
 */
export function generateUsers(datafile: DatafileSource, options: GenerateUsersOptions): GeneratedUser[] {
  const random = new Random(options.seed);
  const index = indexDatafile(datafile);
  const attributeShare = options.attributeShare ?? 0.7;
  const bucketingIdShare = options.bucketingIdShare ?? 0.1;
  const prototypeKeyShare = options.prototypeKeyShare ?? 0.05;
  const bucketMapShare = options.bucketMapShare ?? 0.03;
  const segmentShare = options.segmentShare ?? 0.35;
  const names = index.attributeNames.filter((n) => n !== '__proto__' && n !== 'constructor');

  const users: GeneratedUser[] = [];
  for (let i = 0; i < options.count; i++) {
    const userId = userIdFor(random, index, i);
    const attributes: Record<string, unknown> = {};
    for (const name of names) {
      if (random.chance(attributeShare))
        put(attributes, name, attributeValue(random, index.leavesByName.get(name) ?? []));
    }
    if (random.chance(bucketingIdShare)) {
      put(
        attributes,
        '$opt_bucketing_id',
        random.chance(0.75)
          ? random.pick([`bucket_${random.int(0, 999)}`, `${userId}_alt`, '', random.pick(UNICODE_IDS)])
          : random.pick<unknown>([12345, true, null, 0]),
      );
    }
    for (const key of ['__proto__', 'constructor']) {
      // Primitive, non-null values only: an object or null under `__proto__` would become the
      // prototype of the SDK's attribute copies.
      if (random.chance(prototypeKeyShare)) {
        put(attributes, key, random.chance(0.5) ? random.pick(['x', 'proto']) : randomPrimitive(random));
      }
    }
    if (random.chance(0.1))
      put(attributes, random.pick(['unknown_attr', 'untracked_ü']), randomPrimitive(random));
    if (random.chance(bucketMapShare))
      put(attributes, '$opt_experiment_bucket_map', bucketMap(random, index));

    const segments = random.shuffle(random.subset(index.segments, segmentShare));
    if (random.chance(0.1)) segments.push('not_a_real_segment');
    users.push({ userId, attributes, segments });
  }
  return users;
}
