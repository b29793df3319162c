/**
 * Typed audiences (object condition trees covering every leaf kind) and legacy audiences
 * (JSON-string conditions), including legacy placeholders shadowed by typed audiences with
 * the same id and a legacy-only audience on `$opt_dummy_attribute`.
 */
import {
  type AnyLeafKind,
  buildTree,
  LEAF_KINDS,
  makeLeaf,
  PROTOTYPE_LEAF_KINDS,
  QUIRK_LEAF_KINDS,
} from './audience-conditions';
import type { ConditionTree, LeafCondition, LegacyAudience, TypedAudience } from './datafile-types';
import type { GenerationContext } from './generation-context';

/** The audiences of a datafile and the ids rules may target. */
export interface GeneratedAudiences {
  typedAudiences: TypedAudience[];
  audiences: LegacyAudience[];
  /** Ids with a usable definition (typed, or legacy-only). */
  targetableIds: string[];
}

/** The placeholder condition Optimizely writes into legacy copies of typed audiences. */
const DUMMY_CONDITIONS = JSON.stringify([
  'or',
  { match: 'exact', name: '$opt_dummy_attribute', type: 'custom_attribute', value: '$opt_dummy_value' },
]);

/** Leaf kinds drawn after the coverage pass, weighted toward the common ones. */
const COMMON_LEAF_WEIGHTS: readonly (readonly [number, AnyLeafKind])[] = [
  [8, 'exact-string'],
  [3, 'exact-integer'],
  [2, 'exact-float'],
  [4, 'exact-boolean'],
  [4, 'exists'],
  [3, 'gt-integer'],
  [2, 'gt-float'],
  [2, 'ge-integer'],
  [1, 'ge-float'],
  [3, 'lt-integer'],
  [2, 'lt-float'],
  [2, 'le-integer'],
  [1, 'le-float'],
  [4, 'substring'],
  [2, 'semver_eq'],
  [2, 'semver_gt'],
  [2, 'semver_ge'],
  [2, 'semver_lt'],
  [2, 'semver_le'],
  [1, 'semver-prerelease'],
  [1, 'semver-build'],
  [3, 'missing-match'],
  [1, 'unknown-match'],
  [5, 'qualified'],
  [1, 'qualified-no-match'],
  [1, 'unknown-type'],
];

/** Wraps a tree the way the Optimizely UI serialises audiences: `["and", ["or", ...]]`. */
function uiStyle(tree: ConditionTree<LeafCondition>): ConditionTree<LeafCondition> {
  return ['and', ['or', tree]];
}

/** Generates the audiences. `segments` are the ODP segment names `qualified` leaves use. */
export function generateAudiences(ctx: GenerationContext, segments: readonly string[]): GeneratedAudiences {
  const { random, options } = ctx;
  const treeOptions = { quirks: options.quirks };

  const coverage: AnyLeafKind[] = [...LEAF_KINDS];
  if (options.quirks) coverage.push(...QUIRK_LEAF_KINDS);
  if (options.prototypeKeyConditions) coverage.push(...PROTOTYPE_LEAF_KINDS);
  const queue = random.shuffle(coverage);
  const weights: (readonly [number, AnyLeafKind])[] = [...COMMON_LEAF_WEIGHTS];
  if (options.quirks) for (const kind of QUIRK_LEAF_KINDS) weights.push([0.3, kind]);
  if (options.prototypeKeyConditions) for (const kind of PROTOTYPE_LEAF_KINDS) weights.push([0.5, kind]);

  const typedCount = Math.max(options.typedAudiences, options.typedAudiences > 0 ? 1 : 0);
  const typedAudiences: TypedAudience[] = [];
  for (let i = 0; i < typedCount; i++) {
    const remaining = typedCount - i;
    // Spread the coverage leaves over the audiences so each gets a few.
    const fromQueue = Math.min(queue.length, Math.ceil(queue.length / remaining));
    const leafCount = Math.max(
      fromQueue,
      random.weighted([
        [4, 1],
        [4, 2],
        [2, 3],
        [1, 4],
      ]),
    );
    const leaves: LeafCondition[] = [];
    for (let k = 0; k < leafCount; k++) {
      const kind = queue.shift() ?? random.weighted(weights);
      leaves.push(makeLeaf(random, kind, segments));
    }
    const tree = buildTree(random, leaves, treeOptions);
    typedAudiences.push({
      id: ctx.ids.id(),
      name: `typed audience ${i}`,
      conditions: random.chance(0.6) ? uiStyle(tree) : tree,
    });
  }

  const audiences: LegacyAudience[] = [];
  // Legacy placeholders with the same id as a typed audience: the typed one must win.
  for (const typed of typedAudiences) {
    if (random.chance(0.35)) audiences.push({ id: typed.id, name: typed.name, conditions: DUMMY_CONDITIONS });
  }
  const legacyOnly: string[] = [];
  // A legacy-only audience on the dummy attribute: unknown for everyone without it.
  const dummyId = ctx.ids.id();
  audiences.push({ id: dummyId, name: 'legacy dummy audience', conditions: DUMMY_CONDITIONS });
  legacyOnly.push(dummyId);
  for (let i = 0; i < options.legacyAudiences; i++) {
    const leaves = Array.from({ length: random.int(1, 3) }, () =>
      makeLeaf(
        random,
        random.pick<AnyLeafKind>(['missing-match', 'missing-match', 'exact-string']),
        segments,
      ),
    );
    const id = ctx.ids.id();
    audiences.push({
      id,
      name: `legacy audience ${i}`,
      conditions: JSON.stringify(['and', ['or', ['or', ...leaves]]]),
    });
    legacyOnly.push(id);
  }

  return {
    typedAudiences,
    audiences: random.shuffle(audiences),
    targetableIds: [...typedAudiences.map((a) => a.id), ...legacyOnly],
  };
}
