/**
 * Random audience condition leaves (every match type, ODP segments, unknown types) and
 * random condition trees, both for audience definitions and for rules' `audienceConditions`.
 */
import { ATTRIBUTE_CATALOG, type AttributeSpec, SEMVER_CONDITION_VALUES } from './attribute-catalog';
import type { ConditionOperator, ConditionTree, LeafCondition } from './datafile-types';
import type { Random } from './random';

/** Every kind of leaf the generator can emit; the coverage pass emits each at least once. */
export const LEAF_KINDS = [
  'exact-string',
  'exact-integer',
  'exact-float',
  'exact-boolean',
  'exists',
  'gt-integer',
  'gt-float',
  'ge-integer',
  'ge-float',
  'lt-integer',
  'lt-float',
  'le-integer',
  'le-float',
  'substring',
  'semver_eq',
  'semver_gt',
  'semver_ge',
  'semver_lt',
  'semver_le',
  'semver-prerelease',
  'semver-build',
  'missing-match',
  'unknown-match',
  'qualified',
  'qualified-no-match',
  'unknown-type',
] as const;

/** One kind of generated leaf condition. */
export type LeafKind = (typeof LEAF_KINDS)[number];

/** Leaves that only appear when quirks are on: condition values the SDK rejects. */
export const QUIRK_LEAF_KINDS = [
  'exact-unsafe-number',
  'exact-null',
  'numeric-string-value',
  'numeric-null-value',
  'substring-number-value',
  'semver-number-value',
] as const;

/** Leaves on names that collide with `Object.prototype` members. */
export const PROTOTYPE_LEAF_KINDS = ['prototype-exists', 'prototype-exact'] as const;

/** Any leaf kind, including the optional families. */
export type AnyLeafKind =
  | LeafKind
  | (typeof QUIRK_LEAF_KINDS)[number]
  | (typeof PROTOTYPE_LEAF_KINDS)[number];

/** The ODP dimension name used by `third_party_dimension` leaves. */
export const ODP_DIMENSION_NAME = 'odp.audiences';

const UNKNOWN_MATCHES = ['regex', 'EXACT', 'contains', 'semver_ne'] as const;
const UNKNOWN_TYPES = ['custom_dimension', 'browser_version', 'Custom_Attribute'] as const;
const NUMERIC_MATCHES = ['gt', 'ge', 'lt', 'le'] as const;
const SEMVER_MATCHES = ['semver_eq', 'semver_gt', 'semver_ge', 'semver_lt', 'semver_le'] as const;

function specsOf(kinds: readonly AttributeSpec['kind'][]): AttributeSpec[] {
  return ATTRIBUTE_CATALOG.filter((a) => kinds.includes(a.kind));
}

const STRING_SPECS = specsOf(['string']);
const SUBSTRING_SPECS = ATTRIBUTE_CATALOG.filter((a) => a.substrings !== undefined);
const NUMERIC_SPECS = specsOf(['integer', 'float', 'large']);
const INTEGER_SPECS = specsOf(['integer', 'large']);
const BOOLEAN_SPECS = specsOf(['boolean']);
const SEMVER_SPECS = specsOf(['semver']);

/** An integer condition value suited to the attribute. */
function integerValue(random: Random, spec: AttributeSpec): number {
  if (spec.kind === 'large') {
    return random.pick([2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1e15, -1e15, 4_294_967_296, 0]);
  }
  return spec.key === 'age' ? random.int(0, 99) : random.int(-5, 1000);
}

/** A non-integer condition value suited to the attribute. */
function floatValue(random: Random, spec: AttributeSpec): number {
  if (spec.kind === 'large')
    return random.pick([9_500_000_000_000.5, -1_500_000_000_000.25, 4_294_967_296.5]);
  const raw = spec.key === 'age' ? random.float(0, 99) : random.float(-10, 1000);
  const rounded = Math.round(raw * 100) / 100;
  return Number.isInteger(rounded) ? rounded + 0.25 : rounded;
}

function stringValue(random: Random, spec: AttributeSpec): string {
  return random.pick(spec.words ?? ['x']);
}

/**
 * One leaf condition of the given kind.
 * @param segments - ODP segment names to draw `qualified` values from.
 */
export function makeLeaf(random: Random, kind: AnyLeafKind, segments: readonly string[]): LeafCondition {
  const custom = (name: string, match: string | undefined, value: LeafCondition['value']): LeafCondition =>
    match === undefined
      ? { type: 'custom_attribute', name, value }
      : { type: 'custom_attribute', name, match, value };
  switch (kind) {
    case 'exact-string': {
      const spec = random.pick(STRING_SPECS);
      return custom(spec.key, 'exact', stringValue(random, spec));
    }
    case 'exact-integer': {
      const spec = random.pick(INTEGER_SPECS);
      return custom(spec.key, 'exact', integerValue(random, spec));
    }
    case 'exact-float': {
      const spec = random.pick(NUMERIC_SPECS);
      return custom(spec.key, 'exact', floatValue(random, spec));
    }
    case 'exact-boolean':
      return custom(random.pick(BOOLEAN_SPECS).key, 'exact', random.chance(0.5));
    case 'exists':
      return { type: 'custom_attribute', name: random.pick(ATTRIBUTE_CATALOG).key, match: 'exists' };
    case 'gt-integer':
    case 'ge-integer':
    case 'lt-integer':
    case 'le-integer': {
      const spec = random.pick(NUMERIC_SPECS);
      return custom(spec.key, kind.slice(0, 2), integerValue(random, spec));
    }
    case 'gt-float':
    case 'ge-float':
    case 'lt-float':
    case 'le-float': {
      const spec = random.pick(NUMERIC_SPECS);
      return custom(spec.key, kind.slice(0, 2), floatValue(random, spec));
    }
    case 'substring': {
      const spec = random.pick(SUBSTRING_SPECS);
      return custom(spec.key, 'substring', random.pick(spec.substrings ?? ['x']));
    }
    case 'semver_eq':
    case 'semver_gt':
    case 'semver_ge':
    case 'semver_lt':
    case 'semver_le':
      return custom(random.pick(SEMVER_SPECS).key, kind, random.pick(SEMVER_CONDITION_VALUES));
    case 'semver-prerelease':
      return custom(
        random.pick(SEMVER_SPECS).key,
        random.pick(SEMVER_MATCHES),
        random.pick(SEMVER_CONDITION_VALUES.filter((v) => /^[^+]*-/.test(v))),
      );
    case 'semver-build':
      return custom(
        random.pick(SEMVER_SPECS).key,
        random.pick(SEMVER_MATCHES),
        random.pick(SEMVER_CONDITION_VALUES.filter((v) => /^[^-]*\+/.test(v))),
      );
    case 'missing-match': {
      const spec = random.pick([...STRING_SPECS, ...INTEGER_SPECS, ...BOOLEAN_SPECS]);
      const value =
        spec.kind === 'string'
          ? stringValue(random, spec)
          : spec.kind === 'boolean'
            ? random.chance(0.5)
            : integerValue(random, spec);
      return custom(spec.key, undefined, value);
    }
    case 'unknown-match': {
      const spec = random.pick(STRING_SPECS);
      return custom(spec.key, random.pick(UNKNOWN_MATCHES), stringValue(random, spec));
    }
    case 'qualified':
      return {
        type: 'third_party_dimension',
        name: ODP_DIMENSION_NAME,
        match: 'qualified',
        value: random.pick(segments),
      };
    case 'qualified-no-match':
      return { type: 'third_party_dimension', name: ODP_DIMENSION_NAME, value: random.pick(segments) };
    case 'unknown-type':
      return { type: random.pick(UNKNOWN_TYPES), name: 'country', match: 'exact', value: 'US' };
    case 'exact-unsafe-number':
      return custom(
        random.pick(INTEGER_SPECS).key,
        'exact',
        random.pick([2 ** 53 + 2, -(2 ** 53) - 2, 1e300]),
      );
    case 'exact-null':
      return custom(random.pick(STRING_SPECS).key, 'exact', null);
    case 'numeric-string-value':
      return custom(random.pick(NUMERIC_SPECS).key, random.pick(NUMERIC_MATCHES), random.pick(['10', '2.5']));
    case 'numeric-null-value':
      return custom(random.pick(NUMERIC_SPECS).key, random.pick(NUMERIC_MATCHES), null);
    case 'substring-number-value':
      return custom(random.pick(SUBSTRING_SPECS).key, 'substring', 42);
    case 'semver-number-value':
      return custom(random.pick(SEMVER_SPECS).key, random.pick(SEMVER_MATCHES), 2);
    case 'prototype-exists':
      return { type: 'custom_attribute', name: random.pick(['constructor', '__proto__']), match: 'exists' };
    case 'prototype-exact':
      return custom(random.pick(['constructor', '__proto__']), 'exact', random.pick(['x', 'proto']));
  }
}

/** Options shared by the tree builders. */
export interface TreeOptions {
  /** Emit shapes the official SDK handles surprisingly (empty operators, leaf-first arrays). */
  readonly quirks: boolean;
}

/**
 * A random condition tree over `items` (leaves or audience ids), using each item once.
 * Operators nest up to three levels; `not` wraps a single child.
 */
export function buildTree<T extends string | LeafCondition>(
  random: Random,
  items: readonly T[],
  options: TreeOptions,
  depth = 0,
): ConditionTree<T> {
  if (items.length === 0) return [random.pick<ConditionOperator>(['and', 'or'])];
  if (items.length === 1) {
    const only = items[0] as T;
    return random.weighted<ConditionTree<T>>([
      [depth === 0 ? 2 : 5, only],
      [2, ['not', only]],
      [3, ['or', only]],
      [2, ['and', only]],
    ]);
  }
  if (options.quirks && depth === 0 && random.chance(0.04)) {
    // An array whose head is an item rather than an operator: an implicit `or`.
    return items.slice();
  }
  const op = random.pick<ConditionOperator>(['and', 'or', 'or']);
  const shuffled = random.shuffle(items);
  const parts = depth >= 2 ? shuffled.length : random.int(1, Math.min(3, shuffled.length));
  const chunks: T[][] = Array.from({ length: parts }, () => []);
  for (let i = 0; i < shuffled.length; i++) {
    const bucket = i < parts ? i : random.int(0, parts - 1);
    chunks[bucket]?.push(shuffled[i] as T);
  }
  const children: ConditionTree<T>[] = chunks.map((chunk) =>
    chunk.length === 1 && random.chance(0.5) ? (chunk[0] as T) : buildTree(random, chunk, options, depth + 1),
  );
  if (options.quirks && random.chance(0.05)) {
    children.splice(random.int(0, children.length), 0, [
      random.pick<ConditionOperator>(['and', 'or', 'not']),
    ]);
  }
  const tree: ConditionTree<T> = [op, ...children];
  return random.chance(0.15) ? ['not', tree] : tree;
}

/** A rule's (or holdout's) audience targeting. */
export interface RuleTargeting {
  audienceIds: string[];
  audienceConditions?: ConditionTree<string>;
}

/**
 * Random targeting for a rule: no audiences, an `audienceIds` list only (implicit `or`),
 * or an `audienceConditions` tree, sometimes referring to an unknown audience id.
 * @param audienceIds - ids of defined audiences.
 * @param unknownId - returns an id no audience has.
 * @param targetedShare - probability the rule targets any audience.
 */
export function makeRuleTargeting(
  random: Random,
  audienceIds: readonly string[],
  unknownId: () => string,
  options: TreeOptions & { readonly targetedShare: number },
): RuleTargeting {
  if (audienceIds.length === 0 || !random.chance(options.targetedShare)) {
    return random.chance(0.5) ? { audienceIds: [], audienceConditions: [] } : { audienceIds: [] };
  }
  const ids = random.sample(
    audienceIds,
    random.weighted([
      [5, 1],
      [3, 2],
      [2, 3],
    ]),
  );
  const unknown = random.chance(0.08) ? unknownId() : undefined;
  const shape = random.weighted<'ids' | 'implicit-or' | 'tree' | 'empty-tree' | 'bare-id'>([
    [20, 'ids'],
    [8, 'implicit-or'],
    [60, 'tree'],
    [options.quirks ? 3 : 0, 'empty-tree'],
    [options.quirks ? 1 : 0, 'bare-id'],
  ]);
  const withUnknown = unknown === undefined ? ids : [...ids, unknown];
  switch (shape) {
    case 'ids':
      return { audienceIds: withUnknown };
    case 'implicit-or':
      return { audienceIds: withUnknown, audienceConditions: withUnknown.slice() };
    case 'empty-tree':
      // An empty tree takes precedence over audienceIds: everyone qualifies.
      return { audienceIds: withUnknown, audienceConditions: [] };
    case 'bare-id':
      // A single audience id, not in a list. Decides fine; the official getOptimizelyConfig() throws.
      return { audienceIds: ids.slice(0, 1), audienceConditions: ids[0] as string };
    case 'tree': {
      // With quirks the unknown id may land directly under `not`, where the official
      // getOptimizelyConfig() throws; without, it is only ever a sibling at the top level.
      const tree = buildTree(random, options.quirks ? withUnknown : ids, options);
      let conditions: ConditionTree<string> = typeof tree === 'string' ? ['or', tree] : tree;
      if (unknown !== undefined && !options.quirks) {
        conditions = [random.pick<ConditionOperator>(['and', 'or']), conditions, unknown];
      }
      // audienceIds mirrors the ids in the tree; it is ignored when audienceConditions exists.
      return {
        audienceIds: random.chance(0.9) ? withUnknown : random.sample(audienceIds, 1),
        audienceConditions: conditions,
      };
    }
  }
}
