import { collectQualifiedSegments, compileAudience, compileRuleAudience } from '../audience/compile-audience';
import type { ConditionEvaluator } from '../audience/evaluation-user';
import type { TrafficRange } from '../bucketing/find-bucket';
import type { Datafile, DatafileExperiment, DatafileHoldout, DatafileVariation } from '../datafile/datafile';
import { DatafileError } from '../errors/datafile-error';
import type { Logger } from '../ports/logger';
import type {
  Attribute,
  EventDefinition,
  Experiment,
  FeatureFlag,
  FeatureVariable,
  Group,
  Holdout,
  OdpIntegration,
  ProjectConfig,
  Rollout,
  Variation,
} from './project-config';
import { validateDatafile } from './validate-datafile';

// Internal, writable versions of the public read-only shapes: the builder fills them in passes
// (as the reference does), then hands them out read-only.
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableVariation = Mutable<Variation>;
type MutableExperiment = Mutable<Experiment> & {
  variations: MutableVariation[];
  trafficAllocation: TrafficRange[];
  variationsByKey: Map<string, Variation>;
  localHoldouts: Holdout[];
};

const RUNNING = 'Running';
// Most rules whitelist nobody: they share one empty map rather than each holding its own.
const NO_FORCED_VARIATIONS: ReadonlyMap<string, string> = new Map();

function variationsOf(raw: readonly DatafileVariation[]): MutableVariation[] {
  return raw.map((v) => ({
    id: v.id,
    key: v.key,
    featureEnabled: v.featureEnabled === true,
    variableValues: null,
  }));
}

function keyMap<T extends { key: string }>(items: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) map.set(item.key, item);
  return map;
}

/** The fields experiments, rules and holdouts share: variations, traffic and the compiled audience. */
function bucketedFields(
  raw: DatafileExperiment | DatafileHoldout,
  audiencesById: ReadonlyMap<string, ConditionEvaluator>,
) {
  const variations = variationsOf(raw.variations);
  return {
    variations,
    variationsByKey: keyMap<Variation>(variations),
    trafficAllocation: raw.trafficAllocation.map((t) => ({ entityId: t.entityId, endOfRange: t.endOfRange })),
    audience: compileRuleAudience(raw.audienceConditions ?? undefined, raw.audienceIds ?? [], audiencesById),
    audienceConditions: raw.audienceConditions ?? raw.audienceIds ?? [],
    group: null,
  };
}

// The reference enumerates plain objects keyed by ids and flag keys, so integer-like keys come
// first in ascending order. We reproduce that order wherever it decides an outcome.
function objectKeyOrder<T>(entries: Iterable<[string, T]>): T[] {
  const byKey: Record<string, T> = Object.create(null);
  for (const [key, value] of entries) byKey[key] = value;
  return Object.values(byKey);
}

/** Options for {@link createProjectConfig}. */
export interface ProjectConfigOptions {
  readonly logger?: Logger;
}

const silentLogger: Logger = { isEnabled: () => false, log: () => {} };

/**
 * Parses and indexes a datafile. Accepts the JSON text or an already-parsed object, which is
 * never modified. Throws a {@link DatafileError} naming the bad field when the datafile is invalid.
 */
export function createProjectConfig(
  input: string | object,
  options: ProjectConfigOptions = {},
): ProjectConfig {
  const logger = options.logger ?? silentLogger;
  let parsed: unknown;
  let datafileText: string;
  if (typeof input === 'string') {
    datafileText = input;
    try {
      parsed = JSON.parse(input);
    } catch (cause) {
      throw new DatafileError('', 'the datafile is not valid JSON', { cause });
    }
  } else if (typeof input === 'object' && input !== null) {
    parsed = input;
    datafileText = JSON.stringify(input);
  } else {
    throw new DatafileError(
      '',
      `expected a JSON string or an object, got ${input === null ? 'null' : typeof input}`,
    );
  }
  const df = validateDatafile(parsed);
  return buildProjectConfig(df, datafileText, logger);
}

function buildProjectConfig(df: Datafile, datafileText: string, logger: Logger): ProjectConfig {
  // Audiences: legacy string conditions parsed once; typed audiences override by id.
  const audienceConditions = new Map<string, unknown>();
  (df.audiences ?? []).forEach((audience, i) => {
    let conditions: unknown = audience.conditions;
    if (typeof conditions === 'string') {
      try {
        conditions = JSON.parse(conditions);
      } catch (cause) {
        throw new DatafileError(`audiences[${i}].conditions`, 'the condition string is not valid JSON', {
          cause,
        });
      }
    }
    audienceConditions.set(audience.id, conditions);
  });
  for (const audience of df.typedAudiences ?? []) audienceConditions.set(audience.id, audience.conditions);
  const audiencesById = new Map<string, ConditionEvaluator>();
  for (const [id, conditions] of audienceConditions)
    audiencesById.set(id, compileAudience(conditions, logger));

  const attributes: Attribute[] = (df.attributes ?? []).map((a) => ({ id: a.id, key: a.key }));
  const attributesByKey = keyMap(attributes);
  const attributesById = new Map(attributes.map((a) => [a.id, a] as const));
  const eventsByKey = keyMap<EventDefinition>(
    (df.events ?? []).map((e) => ({ id: e.id, key: e.key, experimentIds: [...(e.experimentIds ?? [])] })),
  );

  // Experiments: top-level, then those of groups, then rollout rules (the reference's order).
  const groupsById = new Map<string, Group>();
  const rawExperiments: { raw: DatafileExperiment; groupId?: string; isRollout: boolean }[] = [];
  for (const raw of df.experiments ?? []) rawExperiments.push({ raw, isRollout: false });
  for (const group of df.groups ?? []) {
    groupsById.set(group.id, {
      id: group.id,
      policy: group.policy,
      trafficAllocation: group.trafficAllocation.map((t) => ({
        entityId: t.entityId,
        endOfRange: t.endOfRange,
      })),
    });
    for (const raw of group.experiments ?? [])
      rawExperiments.push({ raw, groupId: group.id, isRollout: false });
  }
  const rolloutRaw = new Map<string, DatafileExperiment[]>();
  for (const rollout of df.rollouts ?? []) {
    rolloutRaw.set(rollout.id, [...(rollout.experiments ?? [])]);
    for (const raw of rollout.experiments ?? []) rawExperiments.push({ raw, isRollout: true });
  }

  const experimentsByKey = new Map<string, MutableExperiment>();
  const experimentsById = new Map<string, MutableExperiment>();
  const variationsById = new Map<string, MutableVariation>();
  const variableUsage = new Map<string, Map<string, string>>();
  const experimentObjects = new Map<DatafileExperiment, MutableExperiment>();
  for (const { raw, groupId, isRollout } of rawExperiments) {
    const experiment: MutableExperiment = {
      kind: 'experiment',
      id: raw.id,
      key: raw.key,
      status: raw.status,
      isRunning: false,
      layerId: raw.layerId ?? '',
      ...bucketedFields(raw, audiencesById),
      isRollout,
      type: raw.type ?? undefined,
      forcedVariations:
        raw.forcedVariations && Object.keys(raw.forcedVariations).length > 0
          ? new Map(Object.entries(raw.forcedVariations))
          : NO_FORCED_VARIATIONS,
      cmab: raw.cmab
        ? { trafficAllocation: raw.cmab.trafficAllocation, attributeIds: [...(raw.cmab.attributeIds ?? [])] }
        : null,
      localHoldouts: [],
      groupId,
      isFeatureExperiment: false,
    };
    experimentObjects.set(raw, experiment);
    experimentsByKey.set(raw.key, experiment);
    experimentsById.set(raw.id, experiment);
    raw.variations.forEach((rawVariation, i) => {
      variationsById.set(rawVariation.id, experiment.variations[i]!);
      if (rawVariation.variables) {
        variableUsage.set(
          rawVariation.id,
          new Map(rawVariation.variables.map((u) => [u.id, u.value] as const)),
        );
      }
    });
  }

  const rolloutsById = new Map<string, Rollout>();
  for (const [id, raws] of rolloutRaw)
    rolloutsById.set(id, { id, rules: raws.map((r) => experimentObjects.get(r)!) });

  // Flags: resolve rules, inject the Everyone Else variation into feature-rollout (fr) rules.
  const flagEntries: [string, FeatureFlag][] = [];
  (df.featureFlags ?? []).forEach((rawFlag, flagIndex) => {
    const variables: FeatureVariable[] = (rawFlag.variables ?? []).map((v) => ({
      id: v.id,
      key: v.key,
      type: v.type === 'string' && v.subType === 'json' ? 'json' : v.type,
      defaultValue: v.defaultValue,
    }));
    const rollout = rawFlag.rolloutId ? rolloutsById.get(rawFlag.rolloutId) : undefined;
    const rolloutRules = rollout?.rules ?? [];
    const lastRule = rolloutRules[rolloutRules.length - 1];
    const everyoneElse = lastRule?.variations[0];
    const experimentRules: Experiment[] = [];
    const flagVariations: [string, Variation][] = [];
    (rawFlag.experimentIds ?? []).forEach((experimentId, i) => {
      const experiment = experimentsById.get(experimentId);
      if (!experiment) {
        throw new DatafileError(
          `featureFlags[${flagIndex}].experimentIds[${i}]`,
          `no experiment has id "${experimentId}"`,
        );
      }
      experiment.isFeatureExperiment = true;
      if (experiment.type === 'fr' && everyoneElse) {
        experiment.variations.push(everyoneElse as MutableVariation);
        experiment.trafficAllocation.push({ entityId: everyoneElse.id, endOfRange: 10000 });
        experiment.variationsByKey.set(everyoneElse.key, everyoneElse);
      }
      experimentRules.push(experiment);
      for (const v of experiment.variations) flagVariations.push([v.id, v]);
    });
    for (const rule of rolloutRules) for (const v of rule.variations) flagVariations.push([v.id, v]);
    const variationsByKey = new Map<string, Variation>();
    for (const v of objectKeyOrder(flagVariations))
      if (!variationsByKey.has(v.key)) variationsByKey.set(v.key, v);
    flagEntries.push([
      rawFlag.key,
      {
        id: rawFlag.id,
        key: rawFlag.key,
        rolloutId: rawFlag.rolloutId ?? '',
        experimentIds: [...(rawFlag.experimentIds ?? [])],
        experimentRules,
        rolloutRules,
        rolloutState: !rawFlag.rolloutId
          ? 'none'
          : !rollout
            ? 'missing'
            : rolloutRules.length === 0
              ? 'empty'
              : 'ok',
        variables,
        variablesByKey: keyMap(variables),
        variationsByKey,
      },
    ]);
  });
  const flags = objectKeyOrder(flagEntries);
  const flagsByKey = new Map(flags.map((f) => [f.key, f] as const));

  // Holdouts: `holdouts` are global; `localHoldouts` need a non-empty includedRules.
  const holdoutsById = new Map<string, Holdout>();
  const makeHoldout = (raw: DatafileHoldout, isGlobal: boolean): Holdout => {
    const fields = bucketedFields(raw, audiencesById);
    raw.variations.forEach((v, i) => {
      variationsById.set(v.id, fields.variations[i]!);
    });
    const holdout: Holdout = {
      kind: 'holdout',
      id: raw.id,
      key: raw.key,
      status: raw.status,
      isRunning: raw.status === RUNNING,
      layerId: '',
      ...fields,
      isGlobal,
      includedRules: isGlobal ? [] : [...(raw.includedRules ?? [])],
      excludeTargetedDeliveries: isGlobal && raw.excludeTargetedDeliveries === true,
    };
    holdoutsById.set(holdout.id, holdout);
    return holdout;
  };
  const globalHoldouts = (df.holdouts ?? []).map((raw) => makeHoldout(raw, true));
  const localHoldoutsByRule = new Map<string, Holdout[]>();
  for (const raw of df.localHoldouts ?? []) {
    if (!Array.isArray(raw.includedRules) || raw.includedRules.length === 0) {
      if (logger.isEnabled('error')) {
        logger.log('error', `Local holdout "${raw.key}" has no includedRules; it is ignored.`);
      }
      continue;
    }
    const holdout = makeHoldout(raw, false);
    for (const ruleId of raw.includedRules) {
      const list = localHoldoutsByRule.get(ruleId);
      if (list) list.push(holdout);
      else localHoldoutsByRule.set(ruleId, [holdout]);
    }
  }

  // The bucketer finds an entity's group through the experiment id map, as the reference does;
  // only a `random` policy makes the group bucket first.
  const mutexGroupOf = (entityId: string): Group | null => {
    const groupId = experimentsById.get(entityId)?.groupId;
    const group = groupId === undefined ? undefined : groupsById.get(groupId);
    return group?.policy === 'random' ? group : null;
  };

  // Final pass: facts that depend on the complete maps.
  for (const variation of variationsById.values())
    variation.variableValues = variableUsage.get(variation.id) ?? null;
  for (const experiment of experimentObjects.values()) {
    for (const v of experiment.variations)
      (v as MutableVariation).variableValues = variableUsage.get(v.id) ?? null;
    experiment.isRunning = experimentsByKey.get(experiment.key)?.status === RUNNING;
    experiment.localHoldouts = localHoldoutsByRule.get(experiment.id) ?? [];
    experiment.group = mutexGroupOf(experiment.id);
  }
  for (const holdout of holdoutsById.values()) {
    for (const v of holdout.variations)
      (v as MutableVariation).variableValues = variableUsage.get(v.id) ?? null;
    (holdout as Mutable<Holdout>).group = mutexGroupOf(holdout.id);
  }

  // The parsed datafile is only needed for getOptimizelyConfig: keep the text and re-parse on
  // demand, so the decision structures are all a loaded config holds on to.
  let parsedAgain: Datafile | undefined;
  return {
    get datafile(): Datafile {
      parsedAgain ??= JSON.parse(datafileText) as Datafile;
      return parsedAgain;
    },
    datafileText,
    version: df.version,
    accountId: df.accountId,
    projectId: df.projectId,
    revision: df.revision,
    sdkKey: df.sdkKey ?? '',
    environmentKey: df.environmentKey ?? '',
    anonymizeIP: df.anonymizeIP === true,
    botFiltering: typeof df.botFiltering === 'boolean' ? df.botFiltering : undefined,
    sendFlagDecisions: df.sendFlagDecisions === true,
    region: df.region || 'US',
    flags,
    flagsByKey,
    experimentsByKey,
    experimentsById,
    variationsById,
    groupsById,
    rolloutsById,
    attributesByKey,
    attributesById,
    eventsByKey,
    audiencesById,
    globalHoldouts,
    holdoutsById,
    odp: odpIntegration(df, audienceConditions),
  };
}

function odpIntegration(df: Datafile, audienceConditions: ReadonlyMap<string, unknown>): OdpIntegration {
  const segments = new Set<string>();
  for (const conditions of objectKeyOrder(audienceConditions)) collectQualifiedSegments(conditions, segments);
  let integrated = false;
  let apiHost = '';
  let apiKey = '';
  let pixelUrl = '';
  for (const integration of df.integrations ?? []) {
    if (integration.key !== 'odp') continue;
    integrated = true;
    apiKey = apiKey || integration.publicKey || '';
    apiHost = apiHost || integration.host || '';
    pixelUrl = pixelUrl || integration.pixelUrl || '';
  }
  return { integrated, apiHost, apiKey, pixelUrl, segmentsToCheck: [...segments] };
}
