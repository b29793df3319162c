import { bucketValue } from '../bucketing/bucket-value';
import { constantBucketIndex, findBucketIndex, type TrafficRange } from '../bucketing/find-bucket';
import type { HashSuffix } from '../bucketing/murmurhash3';
import type {
  BucketedEntity,
  CompiledBucketedEntity,
  CompiledExperiment,
  Experiment,
  FeatureFlag,
  Holdout,
  ProjectConfig,
  Variation,
} from '../config/project-config';
import type { CmabAnswers } from './cmab-answers';
import type { DecisionTrace } from './decision-trace';
import type { DecisionUser } from './decision-user';
import { type AppliedHoldout, type FlagDecision, flagDecision } from './flag-decision';
import type { ForcedVariations } from './forced-variations';
import type { GlobalHoldoutMemo } from './global-holdout-memo';
import type { UserProfileTracker } from './user-profile-tracker';

/**
 * Result of evaluating one experiment rule: the chosen variation key, a local holdout's decision,
 * or null to try the next rule. (A bare key rather than a wrapper object: no allocation per rule.)
 */
type RuleOutcome = string | FlagDecision | null;

/**
 * The experiment `experimentsById` has for a rule's id: the reference reports that one for a
 * delivery rule (a later rule with the same id wins). Compiled rules know if it is themselves.
 */
function byId(config: ProjectConfig, rule: Experiment): Experiment {
  if ((rule as Partial<CompiledExperiment>).ownsId === true) return rule;
  return config.experimentsById.get(rule.id) ?? rule;
}

/**
 * The traffic range a bucketing id falls in, or -1; hashes only when the allocation's answer
 * depends on the bucket (the bucket value itself is not logged here).
 */
function quietBucketIndex(
  ranges: readonly TrafficRange[],
  bucketingId: string,
  id: string,
  preparedId: HashSuffix | undefined,
): number {
  const constant = constantBucketIndex(ranges);
  return constant === undefined
    ? findBucketIndex(ranges, bucketValue(bucketingId, id, preparedId))
    : constant;
}

// The two constant answers are shared and never changed (FlagDecision is read-only). They are not
// frozen: a frozen object has a shape of its own, which would make the decision reads
// polymorphic again.

/** What a flag decides when it stopped at a CMAB rule (`CmabAnswers.stop` says why). */
const CMAB_STOPPED = flagDecision(null, null, 'feature-test');

/** What a flag decides when no delivery rule took the user. */
const NO_DECISION_ROLLOUT = flagDecision(null, null, 'rollout');

/**
 * Decides flags and experiments in Optimizely's order: flag forced decision → global holdouts →
 * experiment rules → delivery rules. Stateless apart from the client's forced-variation map; the
 * per-call state (profile tracker, reasons) is passed in.
 */
export class DecisionService {
  constructor(private readonly forcedVariations: ForcedVariations) {}

  /**
   * Decides one flag. Without `cmab` (synchronous decide) CMAB rules are skipped. With it, a CMAB
   * rule the user reaches takes its prediction from there; when that is missing or failed, the
   * flag stops at that rule (`cmab.stop` says which) and the answer is no decision.
   */
  decideFlag(
    config: ProjectConfig,
    flag: FeatureFlag,
    user: DecisionUser,
    profile: UserProfileTracker | null,
    trace: DecisionTrace,
    holdoutMemo: GlobalHoldoutMemo | null = null,
    cmab: CmabAnswers | null = null,
  ): FlagDecision {
    const userId = user.userId;
    if (cmab !== null) cmab.beginFlag();

    const forcedKey = user.forcedVariationKey(flag.key);
    if (forcedKey !== undefined) {
      const variation = flag.variationsByKey.get(forcedKey) ?? null;
      if (variation) {
        if (trace.active) {
          trace.add(
            'info',
            `Variation (${forcedKey}) is mapped to flag (${flag.key}) and user (${userId}) in the forced decision map.`,
          );
        }
        return flagDecision(null, variation, 'feature-test');
      }
      if (trace.active) {
        trace.add(
          'info',
          `Invalid variation is mapped to flag (${flag.key}) and user (${userId}) in the forced decision map.`,
        );
      }
    }

    let appliedHoldout: AppliedHoldout | undefined;
    const holdouts = config.globalHoldouts;
    for (let i = 0; i < holdouts.length; i++) {
      const holdout = holdouts[i]!;
      // Within one decideAll a global holdout answers the same for every flag; the caller passes
      // a memo when no reasons are being collected.
      let variation = holdoutMemo === null ? undefined : holdoutMemo[i];
      if (variation === undefined) {
        variation = this.holdoutVariation(config, holdout, user, trace);
        if (holdoutMemo !== null) holdoutMemo[i] = variation;
      }
      if (variation) {
        if (holdout.excludeTargetedDeliveries) {
          if (trace.active) {
            trace.add(
              'info',
              `Holdout "${holdout.key}" has excludeTargetedDeliveries enabled, continuing to rollout evaluation.`,
            );
          }
          appliedHoldout = { holdout, variation };
          break;
        }
        return flagDecision(holdout, variation, 'holdout');
      }
    }

    if (!appliedHoldout) {
      const fromExperiments = this.experimentRules(config, flag, user, profile, trace, cmab);
      if (fromExperiments) return fromExperiments;
      if (cmab !== null && cmab.stop !== null) return CMAB_STOPPED;
    }

    const fromRollout = this.rolloutRules(config, flag, user, trace);
    if (trace.active) {
      trace.add(
        'debug',
        fromRollout.variation
          ? `User ${userId} is in rollout of feature ${flag.key}.`
          : `User ${userId} is not in rollout of feature ${flag.key}.`,
      );
    }
    return appliedHoldout
      ? flagDecision(fromRollout.experiment, fromRollout.variation, fromRollout.source, appliedHoldout)
      : fromRollout;
  }

  /**
   * The legacy per-experiment resolution (`getVariation`, `activate`): status, forced variation,
   * whitelist, sticky bucketing, audience, bucket. Returns the variation key or null.
   */
  resolveExperiment(
    config: ProjectConfig,
    experiment: Experiment,
    user: DecisionUser,
    profile: UserProfileTracker | null,
    trace: DecisionTrace,
    cmab: CmabAnswers | null = null,
  ): string | null {
    const userId = user.userId;
    if (!experiment.isRunning) {
      if (trace.active) trace.add('info', `Experiment ${experiment.key} is not running.`);
      return null;
    }

    const forcedVariationId = this.forcedVariations.get(userId, experiment.id);
    if (forcedVariationId) {
      const forced = config.variationsById.get(forcedVariationId);
      if (forced) {
        if (trace.active) {
          trace.add(
            'debug',
            `Variation ${forced.key} is mapped to experiment ${experiment.key} and user ${userId} in the forced variation map.`,
          );
        }
        return forced.key;
      }
    }

    if (experiment.forcedVariations.size > 0) {
      const whitelistedKey = experiment.forcedVariations.get(userId);
      if (whitelistedKey !== undefined) {
        if (experiment.variationsByKey.has(whitelistedKey)) {
          if (trace.active) trace.add('info', `User ${userId} is forced in variation ${whitelistedKey}.`);
          return whitelistedKey;
        }
        trace.add(
          'error',
          `Variation key ${whitelistedKey} is not in datafile. Not activating user ${userId}.`,
        );
      }
    }

    if (profile) {
      const storedId = profile.variationIdFor(experiment.id);
      if (storedId !== undefined) {
        const stored = config.variationsById.get(storedId);
        if (stored) {
          if (trace.active) {
            trace.add(
              'info',
              `Returning previously activated variation "${stored.key}" of experiment "${experiment.key}" for user "${userId}" from user profile.`,
            );
          }
          return stored.key;
        }
        trace.log(
          'info',
          `User ${userId} was previously bucketed into variation with ID ${storedId} for experiment ${experiment.key}, but no matching variation was found.`,
        );
      }
    }

    if (!this.inAudience(experiment, user, 'experiment', experiment.key, trace)) {
      if (trace.active)
        trace.add('info', `User ${userId} does not meet conditions to be in experiment ${experiment.key}.`);
      return null;
    }

    let variation: Variation | undefined;
    if (experiment.cmab) {
      if (cmab === null) {
        if (trace.active) trace.add('info', 'CMAB is not supported in sync mode.');
      } else {
        variation =
          this.cmabVariation(config, experiment, experiment.cmab.trafficAllocation, user, trace, cmab) ??
          undefined;
        if (cmab.stop !== null) return null;
      }
    } else {
      variation = this.bucket(config, experiment, user, trace) ?? undefined;
    }
    if (!variation) {
      if (trace.active)
        trace.add('debug', `User ${userId} is in no variation of experiment ${experiment.key}.`);
      return null;
    }
    if (trace.active)
      trace.add('info', `User ${userId} is in variation ${variation.key} of experiment ${experiment.key}.`);
    if (profile && !experiment.cmab) profile.record(experiment.id, variation.id);
    return variation.key;
  }

  private experimentRules(
    config: ProjectConfig,
    flag: FeatureFlag,
    user: DecisionUser,
    profile: UserProfileTracker | null,
    trace: DecisionTrace,
    cmab: CmabAnswers | null,
  ): FlagDecision | null {
    const rules = flag.experimentRules;
    if (rules.length === 0) {
      if (trace.active) trace.add('debug', `Feature ${flag.key} is not attached to any experiments.`);
      return null;
    }
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      const outcome = this.experimentRule(config, flag, rule, user, profile, trace, cmab);
      if (outcome === null) {
        if (cmab !== null && cmab.stop !== null) return null;
        continue;
      }
      if (typeof outcome !== 'string') return outcome;
      const variation = rule.variationsByKey.get(outcome) ?? flag.variationsByKey.get(outcome);
      // A key the flag does not know (a sticky profile naming another experiment's variation)
      // ends the experiment rules without a decision: delivery rules decide, as in the reference.
      if (!variation) return null;
      const cmabUuid = cmab === null ? undefined : cmab.cmabUuid;
      return flagDecision(rule, variation, 'feature-test', undefined, cmabUuid);
    }
    return null;
  }

  private experimentRule(
    config: ProjectConfig,
    flag: FeatureFlag,
    rule: Experiment,
    user: DecisionUser,
    profile: UserProfileTracker | null,
    trace: DecisionTrace,
    cmab: CmabAnswers | null,
  ): RuleOutcome {
    const forced = this.ruleForcedVariation(flag, rule, user, trace);
    if (forced) return forced.key;

    const holdout = this.localHoldout(config, rule, user, trace);
    if (holdout) return holdout;

    return this.resolveExperiment(config, rule, user, profile, trace, cmab);
  }

  private rolloutRules(
    config: ProjectConfig,
    flag: FeatureFlag,
    user: DecisionUser,
    trace: DecisionTrace,
  ): FlagDecision {
    if (flag.rolloutState !== 'ok') {
      if (flag.rolloutState === 'none') {
        if (trace.active) trace.add('debug', `There is no rollout of feature ${flag.key}.`);
      } else if (flag.rolloutState === 'missing') {
        trace.add('error', `Invalid rollout ID ${flag.rolloutId} attached to feature ${flag.key}`);
      } else {
        trace.add('error', `Rollout of feature ${flag.rolloutId} has no experiments`);
      }
      return NO_DECISION_ROLLOUT;
    }
    const rules = flag.rolloutRules;
    const last = rules.length - 1;
    const userId = user.userId;
    let index = 0;
    while (index <= last) {
      const rule = rules[index]!;
      const forced = this.ruleForcedVariation(flag, rule, user, trace);
      if (forced) return flagDecision(byId(config, rule), forced, 'rollout');

      const holdout = this.localHoldout(config, rule, user, trace);
      if (holdout) return holdout;

      const everyoneElse = index === last;
      // Only logs name the rule; do not build the name for a quiet decision.
      const loggingKey = !trace.active ? '' : everyoneElse ? 'Everyone Else' : String(index + 1);
      let skipToEveryoneElse = false;
      if (this.inAudience(rule, user, 'rule', loggingKey, trace)) {
        if (trace.active)
          trace.add('debug', `User ${userId} meets conditions for targeting rule ${loggingKey}.`);
        const variation = this.bucket(config, rule, user, trace);
        if (variation) {
          if (trace.active) trace.add('debug', `User ${userId} bucketed into targeting rule ${loggingKey}.`);
          return flagDecision(byId(config, rule), variation, 'rollout');
        }
        if (!everyoneElse) {
          if (trace.active) {
            trace.add(
              'debug',
              `User ${userId} not bucketed into targeting rule ${loggingKey} due to traffic allocation. Trying everyone rule.`,
            );
          }
          skipToEveryoneElse = true;
        }
      } else if (trace.active) {
        trace.add('debug', `User ${userId} does not meet conditions for targeting rule ${loggingKey}.`);
      }
      index = skipToEveryoneElse ? last : index + 1;
    }
    return NO_DECISION_ROLLOUT;
  }

  private ruleForcedVariation(
    flag: FeatureFlag,
    rule: Experiment,
    user: DecisionUser,
    trace: DecisionTrace,
  ): Variation | null {
    const forcedKey = user.forcedVariationKey(flag.key, rule.key);
    if (forcedKey === undefined) return null;
    const variation = flag.variationsByKey.get(forcedKey) ?? null;
    if (trace.active) {
      trace.add(
        'info',
        variation
          ? `Variation (${forcedKey}) is mapped to flag (${flag.key}), rule (${rule.key}) and user (${user.userId}) in the forced decision map.`
          : `Invalid variation is mapped to flag (${flag.key}), rule (${rule.key}) and user (${user.userId}) in the forced decision map.`,
      );
    }
    return variation;
  }

  private localHoldout(
    config: ProjectConfig,
    rule: Experiment,
    user: DecisionUser,
    trace: DecisionTrace,
  ): FlagDecision | null {
    const holdouts = rule.localHoldouts;
    for (let i = 0; i < holdouts.length; i++) {
      const holdout = holdouts[i]!;
      const variation = this.holdoutVariation(config, holdout, user, trace);
      if (variation) return flagDecision(holdout, variation, 'holdout');
    }
    return null;
  }

  private holdoutVariation(
    config: ProjectConfig,
    holdout: Holdout,
    user: DecisionUser,
    trace: DecisionTrace,
  ): Variation | null {
    const userId = user.userId;
    if (!holdout.isRunning) {
      if (trace.active) trace.add('info', `Holdout ${holdout.key} is not running.`);
      return null;
    }
    if (!this.inAudience(holdout, user, 'experiment', holdout.key, trace)) {
      if (trace.active)
        trace.add('info', `User ${userId} does not meet conditions for holdout ${holdout.key}.`);
      return null;
    }
    if (trace.active) trace.add('info', `User ${userId} meets conditions for holdout ${holdout.key}.`);
    const variation = this.bucket(config, holdout, user, trace);
    if (variation) {
      if (trace.active)
        trace.add('info', `User ${userId} is in variation ${variation.key} of holdout ${holdout.key}.`);
      return variation;
    }
    if (trace.active) trace.add('info', `User ${userId} is in no holdout variation.`);
    return null;
  }

  private inAudience(
    entity: BucketedEntity,
    user: DecisionUser,
    kind: 'experiment' | 'rule',
    loggingKey: string,
    trace: DecisionTrace,
  ): boolean {
    if (trace.active) {
      trace.add(
        'debug',
        `Evaluating audiences for ${kind} "${loggingKey}": ${JSON.stringify(entity.audienceConditions)}.`,
      );
    }
    const result = entity.audience === null ? true : entity.audience(user) === true;
    if (trace.active) {
      trace.add(
        'info',
        `Audiences for ${kind} ${loggingKey} collectively evaluated to ${result ? 'TRUE' : 'FALSE'}.`,
      );
    }
    return result;
  }

  /**
   * Buckets the user into an entity: through its mutex group first, then its traffic allocation.
   * Returns the variation of the range the user falls in, or null.
   */
  private bucket(
    config: ProjectConfig,
    entity: BucketedEntity,
    user: DecisionUser,
    trace: DecisionTrace,
  ): Variation | null {
    const bucketingId = this.bucketingId(user, trace);
    if (entity.group && !this.inGroupSlot(entity, entity.group, user, bucketingId, trace)) return null;
    // Compiled entities carry their id prepared for hashing and each range's variation.
    const compiled = entity as Partial<CompiledBucketedEntity>;
    let index: number;
    if (trace.active) {
      const value = bucketValue(bucketingId, entity.id, compiled.preparedId);
      trace.add('debug', `Assigned bucket ${value} to user with bucketing ID ${user.userId}.`);
      index = findBucketIndex(entity.trafficAllocation, value);
    } else {
      index = quietBucketIndex(entity.trafficAllocation, bucketingId, entity.id, compiled.preparedId);
    }
    if (index === -1) return null;
    // Others have their variations looked up by id.
    const rangeVariations = compiled.rangeVariations;
    const variation = rangeVariations
      ? rangeVariations[index]!
      : (config.variationsById.get(entity.trafficAllocation[index]!.entityId) ?? null);
    if (variation === null && entity.trafficAllocation[index]!.entityId !== '')
      trace.add('warn', 'Bucketed into an invalid variation ID. Returning null.');
    return variation;
  }

  /** Whether the entity's mutex group buckets the user into this very entity. */
  private inGroupSlot(
    entity: BucketedEntity,
    group: NonNullable<BucketedEntity['group']>,
    user: DecisionUser,
    bucketingId: string,
    trace: DecisionTrace,
  ): boolean {
    const groupRanges = group.trafficAllocation;
    const preparedGroupId = (entity as Partial<CompiledBucketedEntity>).preparedGroupId;
    const groupIndex = quietBucketIndex(groupRanges, bucketingId, group.id, preparedGroupId);
    const chosen = groupIndex === -1 ? null : groupRanges[groupIndex]!.entityId;
    if (chosen === null) {
      if (trace.active)
        trace.add('info', `User ${user.userId} is not in any experiment of group ${group.id}.`);
      return false;
    }
    if (chosen !== entity.id) {
      if (trace.active)
        trace.add('info', `User ${user.userId} is not in experiment ${entity.key} of group ${group.id}.`);
      return false;
    }
    if (trace.active)
      trace.add('info', `User ${user.userId} is in experiment ${entity.key} of group ${group.id}.`);
    return true;
  }

  /**
   * A CMAB rule's variation for the user (async decide): the user must fall within the rule's
   * CMAB traffic (its group first, then one range of `trafficAllocation` ending at the CMAB share),
   * and then the prediction in `cmab` names the variation. A missing or failed prediction sets
   * `cmab.stop`.
   */
  private cmabVariation(
    config: ProjectConfig,
    experiment: Experiment,
    trafficAllocation: number,
    user: DecisionUser,
    trace: DecisionTrace,
    cmab: CmabAnswers,
  ): Variation | null {
    // The reference reports how the user was bucketed only when they fall outside the traffic.
    const bucketing = trace.active ? trace.fork() : trace;
    const bucketingId = this.bucketingId(user, bucketing);
    const inGroup =
      experiment.group === null ||
      this.inGroupSlot(experiment, experiment.group, user, bucketingId, bucketing);
    let inTraffic = false;
    if (inGroup) {
      const value = bucketValue(
        bucketingId,
        experiment.id,
        (experiment as Partial<CompiledBucketedEntity>).preparedId,
      );
      if (bucketing.active)
        bucketing.add('debug', `Assigned bucket ${value} to user with bucketing ID ${user.userId}.`);
      inTraffic = value < trafficAllocation;
    }
    if (!inTraffic) {
      if (bucketing !== trace) trace.adopt(bucketing);
      return null;
    }
    const answer = cmab.get(experiment.id);
    if (answer === undefined) {
      cmab.missing.add(experiment.id);
      cmab.stop = 'pending';
      return null;
    }
    if (answer === 'failed') {
      cmab.stop = 'failed';
      trace.add('error', `Failed to fetch CMAB data for experiment ${experiment.key}.`);
      return null;
    }
    const variation = config.variationsById.get(answer.variationId) ?? null;
    // A prediction naming no variation of the datafile sends the flag on, without its UUID.
    cmab.cmabUuid = variation === null ? undefined : answer.cmabUuid;
    return variation;
  }

  private bucketingId(user: DecisionUser, trace: DecisionTrace): string {
    const value = user.bucketingIdAttribute;
    if (value === undefined) return user.userId;
    if (typeof value === 'string') return value;
    trace.log('warn', 'BucketingID attribute is not a string. Defaulted to userId');
    return user.userId;
  }
}
