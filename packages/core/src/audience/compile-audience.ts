import type { ConditionTree, LeafCondition } from '../datafile/datafile';
import type { Logger } from '../ports/logger';
import { compileConditionTree } from './compile-condition-tree';
import { compileCustomAttributeCondition } from './custom-attribute-condition';
import type { ConditionEvaluator } from './evaluation-user';

const ALWAYS_NULL: ConditionEvaluator = () => null;
const ALWAYS_FALSE: ConditionEvaluator = () => false;

function describeLeaf(leaf: unknown): string {
  try {
    return JSON.stringify(leaf) ?? String(leaf);
  } catch {
    return '<unserializable condition>';
  }
}

/** `third_party_dimension`: is the user in the ODP segment named by `value`? Never unknown. */
function compileSegmentCondition(leaf: LeafCondition, logger: Logger): ConditionEvaluator {
  if (leaf.match !== undefined && leaf.match !== 'qualified') {
    return () => {
      if (logger.isEnabled('warn')) {
        logger.log(
          'warn',
          `Audience condition ${describeLeaf(leaf)} evaluated to UNKNOWN because it uses an unknown match type "${String(leaf.match)}"; a newer SDK version may support it.`,
        );
      }
      return null;
    };
  }
  const segment = leaf.value;
  // Segments are strings, and the reference looks a non-string value up with `indexOf`, which
  // never finds it; so such a condition is simply false (no String() coercion).
  if (typeof segment !== 'string') return ALWAYS_FALSE;
  return (user) => user.isQualifiedFor(segment);
}

function compileAudienceLeaf(leaf: unknown, logger: Logger): ConditionEvaluator {
  const type = typeof leaf === 'object' && leaf !== null ? (leaf as LeafCondition).type : undefined;
  if (type === 'custom_attribute') return compileCustomAttributeCondition(leaf as LeafCondition, logger);
  if (type === 'third_party_dimension') return compileSegmentCondition(leaf as LeafCondition, logger);
  // Unknown type or not a condition at all: unknown for every user, so say it once, now.
  if (logger.isEnabled('warn')) {
    logger.log(
      'warn',
      `Audience condition ${describeLeaf(leaf)} has an unknown condition type and will always evaluate to UNKNOWN. A newer SDK version may support it.`,
    );
  }
  return ALWAYS_NULL;
}

/**
 * Compiles an audience's condition tree (already parsed from JSON for legacy `audiences`).
 * `custom_attribute` leaves use {@link compileCustomAttributeCondition}; `third_party_dimension`
 * leaves check an ODP segment (match `qualified` or absent, else unknown); anything else is
 * unknown (`null`), with one warning at compile time.
 *
 * @param conditions - The audience's `conditions` tree.
 * @param logger - Receives compile-time warnings and per-evaluation reasons.
 */
export function compileAudience(conditions: unknown, logger: Logger): ConditionEvaluator {
  return compileConditionTree<unknown>(conditions, (leaf) => compileAudienceLeaf(leaf, logger));
}

/**
 * Compiles which users a rule (experiment, rollout rule or holdout) targets. Leaves are audience
 * ids, resolved against `audiences` now; an unknown id is unknown (`null`) for everyone.
 *
 * Like the reference (`audienceConditions || audienceIds`), a falsy `audienceConditions` (absent,
 * or `null` in a hand-written datafile) falls back to `audienceIds`, an implicit `or`; an empty
 * `audienceConditions` array does not fall back.
 *
 * @param audienceConditions - The rule's `audienceConditions`, if any.
 * @param audienceIds - The rule's `audienceIds`.
 * @param audiences - Compiled audiences by id.
 * @returns An evaluator whose `null` the caller must treat as "not in the audience", or `null`
 *   when the rule has no audience at all, meaning everyone qualifies.
 */
export function compileRuleAudience(
  audienceConditions: ConditionTree<string> | undefined,
  audienceIds: readonly string[],
  audiences: ReadonlyMap<string, ConditionEvaluator>,
): ConditionEvaluator | null {
  const conditions: unknown = audienceConditions || audienceIds;
  if (!conditions || (Array.isArray(conditions) && conditions.length === 0)) return null;
  return compileConditionTree<unknown>(conditions, (id) => {
    // The reference indexes a plain object, so a numeric id finds the same audience as its string.
    const key = typeof id === 'string' ? id : typeof id === 'number' ? String(id) : undefined;
    return (key === undefined ? undefined : audiences.get(key)) ?? ALWAYS_NULL;
  });
}

/**
 * Adds the value of every `match: "qualified"` leaf in `conditions` to `into`: the ODP segments
 * worth fetching for this datafile (`segmentsToCheck`). Like the reference it does not look at the
 * leaf's `type`; unlike it, non-string values are skipped rather than collected.
 *
 * @param conditions - An audience's condition tree.
 * @param into - The set to add segment names to.
 */
export function collectQualifiedSegments(conditions: unknown, into: Set<string>): void {
  if (Array.isArray(conditions)) {
    for (const child of conditions as readonly unknown[]) collectQualifiedSegments(child, into);
  } else if (typeof conditions === 'object' && conditions !== null) {
    const leaf = conditions as LeafCondition;
    if (leaf.match === 'qualified' && typeof leaf.value === 'string') into.add(leaf.value);
  }
}
