import { collectQualifiedSegments, compileAudience, compileRuleAudience } from '../audience/compile-audience';
import type { ConditionEvaluator } from '../audience/evaluation-user';
import type { TrafficRange } from '../bucketing/find-bucket';
import { type HashSuffix, prepareHashSuffix } from '../bucketing/murmurhash3';
import type {
  Datafile,
  DatafileExperiment,
  DatafileHoldout,
  DatafileVariableValue,
} from '../datafile/datafile';
import { DatafileError } from '../errors/datafile-error';
import type { Logger } from '../ports/logger';
import { ArrayMap } from '../util/array-map';
import { copyJson } from '../util/copy-json';
import { fitted } from '../util/fitted';
import { objectKeyOrder } from '../util/object-key-order';
import { LazyMap } from './lazy-map';
import type {
  Attribute,
  CompiledBucketedEntity,
  CompiledExperiment,
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
import {
  checkFlagRules,
  type ExperimentEntry,
  type FlagEntry,
  indexRules,
  type RolloutEntry,
  type RuleIndex,
} from './rule-index';
import { validateDatafile } from './validate-datafile';

// Internal, writable versions of the public read-only shapes.
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableVariation = Mutable<Variation>;

const RUNNING = 'Running';
// Most rules whitelist nobody: they share one empty map rather than each holding its own.
const NO_FORCED_VARIATIONS: ReadonlyMap<string, string> = new Map();
const NO_HOLDOUTS: readonly Holdout[] = [];

// Shared accessors of the ArrayMaps below (shared, so each map stays a few words).
const keyOfVariation = (variation: Variation) => variation.key;
const itself = (variation: Variation) => variation;
const keyOfVariable = (variable: FeatureVariable) => variable.key;
const sameVariable = (variable: FeatureVariable) => variable;
const idOfUsage = (usage: DatafileVariableValue) => usage.id;
const valueOfUsage = (usage: DatafileVariableValue) => usage.value;

function keyMap<T extends { key: string }>(items: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) map.set(item.key, item);
  return map;
}

/** Options for {@link createProjectConfig}. */
export interface ProjectConfigOptions {
  readonly logger?: Logger;
}

const silentLogger: Logger = { isEnabled: () => false, log: () => {} };

/**
 * Parses, validates and indexes a datafile. Accepts the JSON text or an already-parsed object,
 * which is never modified (nor read again later). Throws a {@link DatafileError} naming the bad
 * field when the datafile is invalid.
 *
 * Everything that can make a datafile invalid is checked here, but rules, audiences and
 * variations are compiled on first use: loading costs little more than `JSON.parse`.
 */
export function createProjectConfig(
  input: string | object,
  options: ProjectConfigOptions = {},
): ProjectConfig {
  const logger = options.logger ?? silentLogger;
  let datafileText: string;
  let parsed: unknown;
  if (typeof input === 'string') {
    datafileText = input;
    try {
      parsed = JSON.parse(input);
    } catch (cause) {
      throw new DatafileError('', 'the datafile is not valid JSON', { cause });
    }
  } else if (typeof input === 'object' && input !== null) {
    datafileText = JSON.stringify(input);
    // Our own copy: entities compiled later must not see the caller's later changes.
    parsed = copyJson(input);
  } else {
    throw new DatafileError(
      '',
      `expected a JSON string or an object, got ${input === null ? 'null' : typeof input}`,
    );
  }
  return new IndexedProjectConfig(validateDatafile(parsed), datafileText, logger);
}

/**
 * A validated datafile, indexed at load for what must be checked eagerly, compiled entity by
 * entity on first use. Getters and {@link LazyMap}s keep the public {@link ProjectConfig} shape.
 */
class IndexedProjectConfig implements ProjectConfig {
  readonly version: string;
  readonly accountId: string;
  readonly projectId: string;
  readonly revision: string;
  readonly sdkKey: string;
  readonly environmentKey: string;
  readonly anonymizeIP: boolean;
  readonly botFiltering: boolean | undefined;
  readonly sendFlagDecisions: boolean;
  readonly region: string;

  readonly flagsByKey: LazyMap<FlagEntry, FeatureFlag>;
  readonly experimentsByKey: LazyMap<ExperimentEntry, Experiment>;
  readonly experimentsById: LazyMap<ExperimentEntry, Experiment>;
  readonly variationsById: LazyMap<DatafileExperiment | DatafileHoldout, Variation>;
  readonly rolloutsById: LazyMap<RolloutEntry, Rollout>;
  readonly audiencesById: LazyMap<unknown, ConditionEvaluator>;

  // ── indexed at load ──
  /** Audience id → parsed conditions (legacy strings parsed at load, so bad ones fail it). */
  readonly #audienceConditions: Map<string, unknown>;
  /** Local holdouts with a non-empty includedRules (the others are dropped at load, with a log). */
  readonly #localHoldoutsRaw: readonly DatafileHoldout[];

  // ── compiled on first use ──
  readonly #compiledHoldouts = new Map<DatafileHoldout, Holdout>();
  readonly #compiledVariations = new Map<DatafileExperiment | DatafileHoldout, Variation[]>();
  #ruleIndex: RuleIndex | null = null;
  #variableUsage: Map<string, readonly DatafileVariableValue[]> | null = null;
  #experimentEntryByKey: Map<string, ExperimentEntry> | null = null;
  #flagList: FeatureFlag[] | null = null;
  #groups: Map<string, Group> | null = null;
  #global: Holdout[] | null = null;
  #localByRule: Map<string, Holdout[]> | null = null;
  #holdouts: Map<string, Holdout> | null = null;
  #attributes: { byKey: Map<string, Attribute>; byId: Map<string, Attribute> } | null = null;
  #events: Map<string, EventDefinition> | null = null;
  #odpSettings: OdpIntegration | null = null;
  #parsedAgain: Datafile | undefined;

  readonly #df: Datafile;

  constructor(
    df: Datafile,
    readonly datafileText: string,
    logger: Logger,
  ) {
    this.#df = df;
    this.version = df.version;
    this.accountId = df.accountId;
    this.projectId = df.projectId;
    this.revision = df.revision;
    this.sdkKey = df.sdkKey ?? '';
    this.environmentKey = df.environmentKey ?? '';
    this.anonymizeIP = df.anonymizeIP === true;
    this.botFiltering = typeof df.botFiltering === 'boolean' ? df.botFiltering : undefined;
    this.sendFlagDecisions = df.sendFlagDecisions === true;
    this.region = df.region || 'US';

    this.#audienceConditions = indexAudiences(df);

    // Resolving rule ids is all of the rule index that can fail: do it now, the rest on first use.
    checkFlagRules(df);

    this.#localHoldoutsRaw = (df.localHoldouts ?? []).filter((raw) => {
      if (Array.isArray(raw.includedRules) && raw.includedRules.length > 0) return true;
      if (logger.isEnabled('error'))
        logger.log('error', `Local holdout "${raw.key}" has no includedRules; it is ignored.`);
      return false;
    });

    this.audiencesById = new LazyMap(
      () => this.#audienceConditions,
      (conditions) => compileAudience(conditions, logger),
    );
    this.flagsByKey = new LazyMap(
      () => this.#rules().flagsByKey,
      (entry) => this.#compileFlag(entry),
    );
    // Experiments are kept on their entries and variations per owner: these maps keep nothing.
    this.experimentsById = new LazyMap(
      () => this.#rules().experimentsById,
      (entry) => this.#experiment(entry),
      true,
    );
    this.experimentsByKey = new LazyMap(
      () => this.#entryByKey(),
      (entry) => this.#experiment(entry),
      true,
    );
    this.variationsById = new LazyMap(
      () => this.#indexVariations(),
      (owner, id) => this.#variationsOf(owner)[lastIndexOfId(owner.variations, id)]!,
      true,
    );
    this.rolloutsById = new LazyMap(
      () => this.#rules().rolloutsById,
      (rollout) => ({ id: rollout.id, rules: rollout.rules.map((rule) => this.#experiment(rule)) }),
    );
  }

  // ───────────── entities, compiled once on first use ─────────────

  #experiment(entry: ExperimentEntry): Experiment {
    if (entry.compiled !== null) return entry.compiled;
    const { raw } = entry;
    const variations = this.#variationsOf(raw);
    // The config owns its parsed datafile, so compiled entities share its arrays rather than
    // copying them; only a feature-rollout rule that gained variations needs a longer list.
    let trafficAllocation: readonly TrafficRange[] = raw.trafficAllocation;
    if (variations.length > raw.variations.length) {
      const extended = [...trafficAllocation];
      for (let i = raw.variations.length; i < variations.length; i++)
        extended.push({ entityId: variations[i]!.id, endOfRange: 10000 });
      trafficAllocation = extended;
    }
    const compiled: CompiledExperiment = {
      kind: 'experiment',
      id: raw.id,
      key: raw.key,
      status: raw.status,
      isRunning: this.#entryByKey().get(raw.key)?.raw.status === RUNNING,
      layerId: raw.layerId ?? '',
      variations,
      variationsByKey: new ArrayMap(variations, keyOfVariation, itself),
      trafficAllocation,
      rangeVariations: this.#rangeVariations(trafficAllocation),
      preparedId: prepareHashSuffix(raw.id),
      audience: compileRuleAudience(
        raw.audienceConditions ?? undefined,
        raw.audienceIds ?? [],
        this.audiencesById,
      ),
      audienceConditions: raw.audienceConditions ?? raw.audienceIds ?? [],
      group: this.#mutexGroupOf(raw.id),
      preparedGroupId: this.#preparedGroupId(raw.id),
      isRollout: entry.isRollout,
      type: raw.type ?? undefined,
      forcedVariations:
        raw.forcedVariations && Object.keys(raw.forcedVariations).length > 0
          ? new Map(Object.entries(raw.forcedVariations))
          : NO_FORCED_VARIATIONS,
      cmab: raw.cmab
        ? { trafficAllocation: raw.cmab.trafficAllocation, attributeIds: raw.cmab.attributeIds ?? [] }
        : null,
      localHoldouts: this.#localHoldoutsByRule().get(raw.id) ?? NO_HOLDOUTS,
      groupId: entry.groupId,
      isFeatureExperiment: this.#rules().featureExperiments.has(raw),
      ownsId: this.#rules().experimentsById.get(raw.id) === entry,
    };
    entry.compiled = compiled;
    return compiled;
  }

  #rangeVariations(trafficAllocation: readonly TrafficRange[]): (Variation | null)[] {
    return trafficAllocation.map((range) => this.variationsById.get(range.entityId) ?? null);
  }

  #holdout(raw: DatafileHoldout, isGlobal: boolean): Holdout {
    const known = this.#compiledHoldouts.get(raw);
    if (known) return known;
    const trafficAllocation = raw.trafficAllocation;
    const holdout: Holdout & CompiledBucketedEntity = {
      kind: 'holdout',
      id: raw.id,
      key: raw.key,
      status: raw.status,
      isRunning: raw.status === RUNNING,
      layerId: '',
      variations: this.#variationsOf(raw),
      variationsByKey: new ArrayMap(this.#variationsOf(raw), keyOfVariation, itself),
      trafficAllocation,
      rangeVariations: this.#rangeVariations(trafficAllocation),
      preparedId: prepareHashSuffix(raw.id),
      audience: compileRuleAudience(
        raw.audienceConditions ?? undefined,
        raw.audienceIds ?? [],
        this.audiencesById,
      ),
      audienceConditions: raw.audienceConditions ?? raw.audienceIds ?? [],
      group: this.#mutexGroupOf(raw.id),
      preparedGroupId: this.#preparedGroupId(raw.id),
      isGlobal,
      includedRules: isGlobal ? [] : (raw.includedRules ?? []),
      excludeTargetedDeliveries: isGlobal && raw.excludeTargetedDeliveries === true,
    };
    this.#compiledHoldouts.set(raw, holdout);
    return holdout;
  }

  /**
   * The variations of an experiment or holdout, plus for feature-rollout rules the Everyone Else
   * variations they gained (the very objects of the delivery rules they come from).
   */
  #variationsOf(owner: DatafileExperiment | DatafileHoldout): Variation[] {
    let variations = this.#compiledVariations.get(owner);
    if (variations) return variations;
    const usage = this.#variableUsageById();
    variations = owner.variations.map((v): MutableVariation => {
      const values = usage.get(v.id);
      return {
        id: v.id,
        key: v.key,
        featureEnabled: v.featureEnabled === true,
        variableValues: values ? new ArrayMap(values, idOfUsage, valueOfUsage) : null,
      };
    });
    this.#compiledVariations.set(owner, variations);
    for (const rule of this.#rules().everyoneElseOf.get(owner as DatafileExperiment) ?? [])
      variations.push(this.#variationsOf(rule)[0]!);
    return variations;
  }

  #compileFlag(entry: FlagEntry): FeatureFlag {
    const { raw } = entry;
    const variables: FeatureVariable[] = (raw.variables ?? []).map((v) => ({
      id: v.id,
      key: v.key,
      type: v.type === 'string' && v.subType === 'json' ? 'json' : v.type,
      defaultValue: v.defaultValue,
    }));
    const experimentRules = entry.experiments.map((e) => this.#experiment(e));
    const rolloutRules = raw.rolloutId ? (this.rolloutsById.get(raw.rolloutId)?.rules ?? []) : [];
    // Every variation of every rule, by id in object-key order, then by key (first one wins).
    const flagVariations: [string, Variation][] = [];
    [...experimentRules, ...rolloutRules].forEach((rule, i) => {
      const visible = entry.variationCounts[i]!;
      for (let j = 0; j < visible; j++) flagVariations.push([rule.variations[j]!.id, rule.variations[j]!]);
    });
    const seen = new Set<string>();
    const flagVariationsByKey: Variation[] = [];
    for (const v of objectKeyOrder(flagVariations)) {
      if (seen.has(v.key)) continue;
      seen.add(v.key);
      flagVariationsByKey.push(v);
    }
    return {
      id: raw.id,
      key: raw.key,
      rolloutId: raw.rolloutId ?? '',
      experimentIds: raw.experimentIds ?? [],
      experimentRules,
      rolloutRules,
      rolloutState: !raw.rolloutId
        ? 'none'
        : !entry.rollout
          ? 'missing'
          : rolloutRules.length === 0
            ? 'empty'
            : 'ok',
      variables,
      variablesByKey: new ArrayMap(variables, keyOfVariable, sameVariable),
      variationsByKey: new ArrayMap(fitted(flagVariationsByKey), keyOfVariation, itself),
    };
  }

  // ───────────── indexes built on first use ─────────────

  #rules(): RuleIndex {
    this.#ruleIndex ??= indexRules(this.#df);
    return this.#ruleIndex;
  }

  #entryByKey(): Map<string, ExperimentEntry> {
    if (this.#experimentEntryByKey === null) {
      this.#experimentEntryByKey = new Map();
      for (const entry of this.#rules().experiments) this.#experimentEntryByKey.set(entry.raw.key, entry);
    }
    return this.#experimentEntryByKey;
  }

  /** Variation id → its variable values; experiments and rules only, last one with a list wins. */
  #variableUsageById(): Map<string, readonly DatafileVariableValue[]> {
    if (this.#variableUsage === null) {
      this.#variableUsage = new Map();
      for (const { raw } of this.#rules().experiments)
        for (const v of raw.variations) if (v.variables) this.#variableUsage.set(v.id, v.variables);
    }
    return this.#variableUsage;
  }

  /** Every variation id → its owner: experiments and rules, then global and kept local holdouts; last wins. */
  #indexVariations(): Map<string, DatafileExperiment | DatafileHoldout> {
    const index = new Map<string, DatafileExperiment | DatafileHoldout>();
    const add = (owner: DatafileExperiment | DatafileHoldout) => {
      for (const v of owner.variations) index.set(v.id, owner);
    };
    for (const { raw } of this.#rules().experiments) add(raw);
    for (const raw of this.#df.holdouts ?? []) add(raw);
    for (const raw of this.#localHoldoutsRaw) add(raw);
    return index;
  }

  #preparedGroupId(entityId: string): HashSuffix | undefined {
    const group = this.#mutexGroupOf(entityId);
    return group ? prepareHashSuffix(group.id) : undefined;
  }

  #groupIndex(): Map<string, Group> {
    if (this.#groups === null) {
      this.#groups = new Map();
      for (const group of this.#df.groups ?? [])
        this.#groups.set(group.id, {
          id: group.id,
          policy: group.policy,
          trafficAllocation: group.trafficAllocation,
        });
    }
    return this.#groups;
  }

  // The bucketer finds an entity's group through the experiment id map, as the reference does;
  // only a `random` policy makes the group bucket first.
  #mutexGroupOf(entityId: string): Group | null {
    const groupId = this.#rules().experimentsById.get(entityId)?.groupId;
    const group = groupId === undefined ? undefined : this.#groupIndex().get(groupId);
    return group?.policy === 'random' ? group : null;
  }

  #localHoldoutsByRule(): Map<string, Holdout[]> {
    if (this.#localByRule === null) {
      this.#localByRule = new Map();
      for (const raw of this.#localHoldoutsRaw) {
        const holdout = this.#holdout(raw, false);
        for (const ruleId of raw.includedRules!) {
          const list = this.#localByRule.get(ruleId);
          if (list) list.push(holdout);
          else this.#localByRule.set(ruleId, [holdout]);
        }
      }
    }
    return this.#localByRule;
  }

  // ───────────── the public shape ─────────────

  /** The datafile as parsed JSON: a private copy re-parsed on first use, for OptimizelyConfig. */
  get datafile(): Datafile {
    this.#parsedAgain ??= JSON.parse(this.datafileText) as Datafile;
    return this.#parsedAgain;
  }

  get flags(): readonly FeatureFlag[] {
    if (this.#flagList === null) {
      const flags: FeatureFlag[] = [];
      for (const key of this.#rules().flagsByKey.keys()) flags.push(this.flagsByKey.get(key)!);
      this.#flagList = flags;
    }
    return this.#flagList;
  }

  get globalHoldouts(): readonly Holdout[] {
    this.#global ??= (this.#df.holdouts ?? []).map((raw) => this.#holdout(raw, true));
    return this.#global;
  }

  get holdoutsById(): ReadonlyMap<string, Holdout> {
    if (this.#holdouts === null) {
      this.#holdouts = new Map();
      for (const holdout of this.globalHoldouts) this.#holdouts.set(holdout.id, holdout);
      for (const raw of this.#localHoldoutsRaw) {
        const holdout = this.#holdout(raw, false);
        this.#holdouts.set(holdout.id, holdout);
      }
    }
    return this.#holdouts;
  }

  get groupsById(): ReadonlyMap<string, Group> {
    return this.#groupIndex();
  }

  get attributesByKey(): ReadonlyMap<string, Attribute> {
    return this.#attributeIndex().byKey;
  }

  get attributesById(): ReadonlyMap<string, Attribute> {
    return this.#attributeIndex().byId;
  }

  #attributeIndex() {
    if (this.#attributes === null) {
      const list: Attribute[] = (this.#df.attributes ?? []).map((a) => ({ id: a.id, key: a.key }));
      this.#attributes = { byKey: keyMap(list), byId: new Map(list.map((a) => [a.id, a] as const)) };
    }
    return this.#attributes;
  }

  get eventsByKey(): ReadonlyMap<string, EventDefinition> {
    this.#events ??= keyMap<EventDefinition>(
      (this.#df.events ?? []).map((e) => ({
        id: e.id,
        key: e.key,
        experimentIds: e.experimentIds ?? [],
      })),
    );
    return this.#events;
  }

  get odp(): OdpIntegration {
    this.#odpSettings ??= odpIntegration(this.#df, this.#audienceConditions);
    return this.#odpSettings;
  }
}

/** Where `id` is in `variations`: the last one with it, as the id index keeps the last. */
function lastIndexOfId(variations: readonly { readonly id: string }[], id: string): number {
  let i = variations.length - 1;
  while (variations[i]!.id !== id) i--;
  return i;
}

/** Audience id → conditions: legacy condition strings parsed now; typed audiences override by id. */
function indexAudiences(df: Datafile): Map<string, unknown> {
  const conditionsById = new Map<string, unknown>();
  // Datafiles repeat the same legacy string many times (the placeholder Optimizely writes for
  // audiences that also have a typed version): parse each distinct text once. The trees are
  // only read, so audiences may share one.
  const parsedTexts = new Map<string, unknown>();
  const legacy = df.audiences ?? [];
  for (let i = 0; i < legacy.length; i++) {
    const audience = legacy[i]!;
    let conditions: unknown = audience.conditions;
    if (typeof conditions === 'string') {
      const text = conditions;
      conditions = parsedTexts.get(text);
      if (conditions === undefined) {
        try {
          conditions = JSON.parse(text);
        } catch (cause) {
          throw new DatafileError(`audiences[${i}].conditions`, 'the condition string is not valid JSON', {
            cause,
          });
        }
        parsedTexts.set(text, conditions);
      }
    }
    conditionsById.set(audience.id, conditions);
  }
  for (const audience of df.typedAudiences ?? []) conditionsById.set(audience.id, audience.conditions);
  return conditionsById;
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
