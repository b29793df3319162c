/**
 * `OptimizelyConfig`: the read-only snapshot of a datafile that `getOptimizelyConfig()` returns,
 * with the same shape and values as the official Optimizely JavaScript SDK (6.x).
 *
 * The snapshot is built from the raw datafile a {@link ProjectConfig} keeps, following the
 * reference's rules, including its less obvious ones:
 *
 * - `experimentsMap` lists experiments and group experiments, never rollout (delivery) rules, and
 *   skips any experiment whose id is also a rollout rule's id. Duplicate keys: the last one wins.
 * - An experiment's `audiences` string serialises `audienceConditions` only; a rule that has just
 *   `audienceIds` gets `""`.
 * - A variation's variables start from the defaults of the flag that uses the rule; each value the
 *   variation sets replaces its default, but only while `featureEnabled` is true.
 * - Feature-rollout (`fr`) experiments also show the "Everyone Else" variation the SDK injects.
 * - String variables with `subType: "json"` are reported with type `json`.
 * - `audiences` lists typed audiences first, then the legacy audiences they do not override,
 *   leaving out `$opt_dummy_audience`; `conditions` is re-serialised JSON.
 *
 * Where the reference throws (so its `getOptimizelyConfig()` returns null) FlagKit degrades
 * gracefully instead; see {@link createOptimizelyConfig}.
 *
 * @packageDocumentation
 */

import type {
  ConditionTree,
  DatafileExperiment,
  DatafileVariable,
  DatafileVariation,
} from '../datafile/datafile';
import type { Logger } from '../ports/logger';
import { copyJson } from '../util/copy-json';
import { setOwnProperty } from '../util/set-own-property';
import type { ProjectConfig } from './project-config';

/** A feature variable as seen from one variation (or, in a feature's `variablesMap`, its default). */
export interface OptimizelyVariable {
  /** The variable's id. */
  id: string;
  /** The variable's key. */
  key: string;
  /** `boolean`, `double`, `integer`, `string` or `json` (a string variable with `subType: "json"`). */
  type: string;
  /** The value as the datafile writes it (always a string, whatever the type). */
  value: string;
}

/** Variables keyed by variable key. */
export type OptimizelyVariablesMap = { [variableKey: string]: OptimizelyVariable };

/** A variation of an experiment or delivery rule. */
export interface OptimizelyVariation {
  /** The variation's id. */
  id: string;
  /** The variation's key. */
  key: string;
  /**
   * Whether the variation turns the feature on, copied from the datafile. The property is always
   * present but is `undefined` when the datafile leaves it out (legacy experiments).
   */
  featureEnabled?: boolean;
  /**
   * Every variable of the flag the rule belongs to, with this variation's value when the variation
   * is enabled and sets it, otherwise the default. Empty for experiments outside any flag, unless
   * the variation itself sets variables.
   */
  variablesMap: OptimizelyVariablesMap;
}

/** Variations keyed by variation key. */
export type OptimizelyVariationsMap = { [variationKey: string]: OptimizelyVariation };

/** An experiment, a flag's experiment rule or a flag's delivery rule. */
export interface OptimizelyExperiment {
  /** The rule's id. */
  id: string;
  /** The rule's key. */
  key: string;
  /**
   * The rule's `audienceConditions` written with audience names, such as
   * `"A" OR ("B" AND "C")` or `NOT "A"`. An id no audience has is written as the id itself. Empty
   * when the rule has no `audienceConditions` (even if it has `audienceIds`).
   */
  audiences: string;
  /** The rule's variations keyed by variation key. */
  variationsMap: OptimizelyVariationsMap;
}

/** Experiments keyed by experiment key. */
export type OptimizelyExperimentsMap = { [experimentKey: string]: OptimizelyExperiment };

/** A feature flag. */
export interface OptimizelyFeature {
  /** The flag's id. */
  id: string;
  /** The flag's key. */
  key: string;
  /** The flag's experiment rules, in the order of its `experimentIds`. */
  experimentRules: OptimizelyExperiment[];
  /** The rules of the flag's rollout, the last being "Everyone Else"; empty without a rollout. */
  deliveryRules: OptimizelyExperiment[];
  /** The flag's variables with their default values, keyed by variable key. */
  variablesMap: OptimizelyVariablesMap;
  /**
   * The flag's experiment rules keyed by rule key.
   * @deprecated Use `experimentRules` and `deliveryRules`.
   */
  experimentsMap: OptimizelyExperimentsMap;
}

/** Features keyed by flag key. */
export type OptimizelyFeaturesMap = { [featureKey: string]: OptimizelyFeature };

/**
 * An attribute of the datafile. It is a copy of the datafile's entry, so any further fields the
 * datafile gives it are kept.
 */
export interface OptimizelyAttribute {
  /** The attribute's id. */
  id: string;
  /** The attribute's key. */
  key: string;
}

/** An audience (typed or legacy). */
export interface OptimizelyAudience {
  /** The audience's id. */
  id: string;
  /** The audience's name (the datafile may leave it out, in which case it is `undefined`). */
  name: string;
  /** The audience's condition tree as compact JSON text. */
  conditions: string;
}

/**
 * An event of the datafile. It is a copy of the datafile's entry, so any further fields the
 * datafile gives it are kept.
 */
export interface OptimizelyEvent {
  /** The event's id. */
  id: string;
  /** The event's key. */
  key: string;
  /** Ids of the experiments that track this event. */
  experimentIds: string[];
}

/** A snapshot of a datafile's experiments, flags, audiences, attributes and events. */
export interface OptimizelyConfig {
  /** The datafile's `environmentKey`, or `""`. */
  environmentKey: string;
  /** The datafile's `sdkKey`, or `""`. */
  sdkKey: string;
  /** The datafile's revision. */
  revision: string;
  /**
   * Experiments (legacy and flag experiments, not delivery rules) keyed by experiment key.
   * Keys are only unique per flag in flag projects, so when two experiments share a key only the
   * last one is listed; use `featuresMap` for a complete view.
   */
  experimentsMap: OptimizelyExperimentsMap;
  /** Feature flags keyed by flag key. */
  featuresMap: OptimizelyFeaturesMap;
  /** The datafile's attributes. */
  attributes: OptimizelyAttribute[];
  /** Typed audiences, then the legacy audiences they do not override. */
  audiences: OptimizelyAudience[];
  /** The datafile's events. */
  events: OptimizelyEvent[];
  /** The datafile this snapshot was built from, as JSON text. */
  getDatafile(): string;
}

/** Options for {@link createOptimizelyConfig}. */
export interface OptimizelyConfigOptions {
  /** Receives the reference's warning about duplicate experiment keys. */
  readonly logger?: Logger;
}

const DUMMY_AUDIENCE_ID = '$opt_dummy_audience';

/** The variable type the reference reports: `string` + `subType: "json"` becomes `json`. */
function variableType(variable: DatafileVariable): string {
  return variable.type === 'string' && variable.subType === 'json' ? 'json' : variable.type;
}

const OPERATORS: ReadonlySet<unknown> = new Set(['and', 'or', 'not']);

/**
 * Writes an audience-id condition list with audience names, as the reference does. An operator
 * anywhere in the list sets the joiner for what follows (the default is `OR`); a nested list is
 * written in parentheses; a list starting with `not` gives `NOT "A"`.
 */
function serialiseAudiences(
  conditions: readonly unknown[],
  names: ReadonlyMap<string, string | undefined>,
): string {
  let out = '';
  let operator = '';
  const append = (term: string): void => {
    if (out !== '' || operator === 'NOT') {
      if (operator === '') operator = 'OR';
      out = out === '' ? `${operator} ${term}` : `${out} ${operator} ${term}`;
    } else {
      out = term;
    }
  };
  for (const item of conditions) {
    if (Array.isArray(item)) {
      append(`(${serialiseAudiences(item, names)})`);
    } else if (OPERATORS.has(item)) {
      operator = String(item).toUpperCase();
    } else {
      const id = String(item);
      // The reference prints a missing name as "undefined" (template literal), and an unknown id as itself.
      append(`"${names.has(id) ? `${names.get(id)}` : id}"`);
    }
  }
  return out;
}

/** One experiment entry the way the reference's `experiments` array holds it. */
interface ExperimentEntry {
  readonly raw: DatafileExperiment;
  /** Its variations, including any "Everyone Else" variation injected into an `fr` rule. */
  readonly variations: DatafileVariation[];
}

/**
 * Builds the `OptimizelyConfig` snapshot of a project config, exactly as the official SDK's
 * `getOptimizelyConfig()` does. Nothing is shared with or modified in `config`: every call
 * returns fresh objects (within one result, `experimentRules` and `experimentsMap` entries are the
 * same objects as in the top-level `experimentsMap`, as in the reference).
 *
 * Deliberate differences, all in datafiles on which the reference's `getOptimizelyConfig()` throws
 * internally and returns null:
 * - `NOT` followed by an unknown audience id is written `NOT "<id>"`;
 * - a variation value for a variable id no flag declares is left out;
 * - a datafile without `featureFlags` (or `events`) gives an empty `featuresMap` (or `events`);
 * - an `audienceConditions` that is a bare id string is serialised like a one-element list.
 *
 * Also, a flag whose `experimentIds` names a rollout rule has that id left out of its
 * `experimentRules` (the reference puts `undefined` there), and keys from the datafile are never
 * looked up on `Object.prototype` (`"constructor"`, `"__proto__"` …) and are stored as own
 * properties.
 */
export function createOptimizelyConfig(
  config: ProjectConfig,
  options: OptimizelyConfigOptions = {},
): OptimizelyConfig {
  const df = config.datafile;
  const flags = df.featureFlags ?? [];
  const logger = options.logger;

  // Audience names for serialisation: legacy audiences, then typed ones overriding by id.
  const audienceNames = new Map<string, string | undefined>();
  for (const audience of df.audiences ?? []) audienceNames.set(audience.id, audience.name);
  for (const audience of df.typedAudiences ?? []) audienceNames.set(audience.id, audience.name);

  // Variables by flag id and by variable id (the last definition wins, as with object keys).
  const variablesByFlagId = new Map<string, readonly DatafileVariable[]>();
  const variablesById = new Map<string, DatafileVariable>();
  for (const flag of flags) {
    variablesByFlagId.set(flag.id, flag.variables ?? []);
    for (const variable of flag.variables ?? []) variablesById.set(variable.id, variable);
  }

  // The reference's experiment list: experiments, group experiments, then rollout rules.
  const entries: ExperimentEntry[] = [];
  const addEntry = (raw: DatafileExperiment): ExperimentEntry => {
    const entry: ExperimentEntry = { raw, variations: [...(raw.variations ?? [])] };
    entries.push(entry);
    return entry;
  };
  for (const raw of df.experiments ?? []) addEntry(raw);
  for (const group of df.groups ?? []) for (const raw of group.experiments ?? []) addEntry(raw);
  const rolloutRulesById = new Map<string, ExperimentEntry[]>();
  const rolloutRuleIds = new Set<string>();
  for (const rollout of df.rollouts ?? []) {
    const rules = (rollout.experiments ?? []).map(addEntry);
    rolloutRulesById.set(rollout.id, rules);
    for (const rule of rules) rolloutRuleIds.add(rule.raw.id);
  }
  const entryById = new Map<string, ExperimentEntry>();
  for (const entry of entries) entryById.set(entry.raw.id, entry);

  // The first flag naming each experiment, and the "Everyone Else" injection into fr rules.
  const flagIdByExperimentId = new Map<string, string>();
  for (const flag of flags) {
    const rules =
      typeof flag.rolloutId === 'string' && flag.rolloutId !== ''
        ? rolloutRulesById.get(flag.rolloutId)
        : undefined;
    // Read from the rule's current variations: the reference reads them after earlier injections.
    const everyoneElse = rules?.[rules.length - 1]?.variations[0];
    for (const experimentId of flag.experimentIds ?? []) {
      if (!flagIdByExperimentId.has(experimentId)) flagIdByExperimentId.set(experimentId, flag.id);
      const entry = entryById.get(experimentId);
      if (entry && entry.raw.type === 'fr' && everyoneElse) entry.variations.push(everyoneElse);
    }
  }

  const variablesMapOf = (flagId: string, variation: DatafileVariation): OptimizelyVariablesMap => {
    const map: OptimizelyVariablesMap = {};
    for (const variable of variablesByFlagId.get(flagId) ?? []) {
      setOwnProperty(map, variable.key, {
        id: variable.id,
        key: variable.key,
        type: variableType(variable),
        value: variable.defaultValue,
      });
    }
    for (const usage of variation.variables ?? []) {
      const variable = variablesById.get(usage.id);
      if (!variable) continue;
      setOwnProperty(map, variable.key, {
        id: usage.id,
        key: variable.key,
        type: variableType(variable),
        value: variation.featureEnabled ? usage.value : variable.defaultValue,
      });
    }
    return map;
  };

  const experimentOf = (entry: ExperimentEntry, flagId: string): OptimizelyExperiment => {
    const variationsMap: OptimizelyVariationsMap = {};
    for (const variation of entry.variations) {
      setOwnProperty(variationsMap, variation.key, {
        id: variation.id,
        key: variation.key,
        featureEnabled: variation.featureEnabled,
        variablesMap: variablesMapOf(flagId, variation),
      });
    }
    const conditions: ConditionTree<string> | undefined = entry.raw.audienceConditions ?? undefined;
    let audiences = '';
    if (conditions)
      audiences = serialiseAudiences(
        typeof conditions === 'string' ? [conditions] : conditions,
        audienceNames,
      );
    return { id: entry.raw.id, key: entry.raw.key, audiences, variationsMap };
  };

  // Experiments (not rollout rules) by id and by key.
  const experimentsById = new Map<string, OptimizelyExperiment>();
  const experimentsMap: OptimizelyExperimentsMap = {};
  const seenKeys = new Set<string>();
  for (const entry of entries) {
    if (rolloutRuleIds.has(entry.raw.id)) continue;
    const experiment = experimentOf(entry, flagIdByExperimentId.get(entry.raw.id) ?? '');
    experimentsById.set(experiment.id, experiment);
    if (seenKeys.has(experiment.key) && logger?.isEnabled('warn')) {
      logger.log('warn', `Duplicate experiment keys found in datafile: ${experiment.key}`);
    }
    seenKeys.add(experiment.key);
    setOwnProperty(experimentsMap, experiment.key, experiment);
  }

  const featuresMap: OptimizelyFeaturesMap = {};
  for (const flag of flags) {
    const experimentRules: OptimizelyExperiment[] = [];
    const flagExperimentsMap: OptimizelyExperimentsMap = {};
    for (const experimentId of flag.experimentIds ?? []) {
      const experiment = experimentsById.get(experimentId);
      if (!experiment) continue;
      experimentRules.push(experiment);
      setOwnProperty(flagExperimentsMap, experiment.key, experiment);
    }
    const variablesMap: OptimizelyVariablesMap = {};
    for (const variable of flag.variables ?? []) {
      setOwnProperty(variablesMap, variable.key, {
        id: variable.id,
        key: variable.key,
        type: variableType(variable),
        value: variable.defaultValue,
      });
    }
    const rules = typeof flag.rolloutId === 'string' ? rolloutRulesById.get(flag.rolloutId) : undefined;
    setOwnProperty(featuresMap, flag.key, {
      id: flag.id,
      key: flag.key,
      experimentRules,
      deliveryRules: (rules ?? []).map((rule) => experimentOf(rule, flag.id)),
      experimentsMap: flagExperimentsMap,
      variablesMap,
    });
  }

  // Typed audiences first, then legacy ones they do not override (minus the dummy audience).
  const audiences: OptimizelyAudience[] = [];
  const typedIds = new Set<string>();
  for (const audience of df.typedAudiences ?? []) {
    audiences.push({ id: audience.id, conditions: JSON.stringify(audience.conditions), name: audience.name });
    typedIds.add(audience.id);
  }
  for (const audience of df.audiences ?? []) {
    if (typedIds.has(audience.id) || audience.id === DUMMY_AUDIENCE_ID) continue;
    // Legacy conditions are JSON text; the reference parses them, so they come out re-serialised.
    const conditions: unknown =
      typeof audience.conditions === 'string' ? JSON.parse(audience.conditions) : audience.conditions;
    audiences.push({ id: audience.id, conditions: JSON.stringify(conditions), name: audience.name });
  }

  const datafileText = config.datafileText;
  // Key order as in the reference's instance. Attributes and events are deep copies of the
  // datafile's entries (extra fields included, as the reference hands out the entries themselves).
  const result: OptimizelyConfig = {
    sdkKey: df.sdkKey ?? '',
    environmentKey: df.environmentKey ?? '',
    attributes: copyJson(df.attributes ?? []) as OptimizelyAttribute[],
    audiences,
    events: copyJson(df.events ?? []) as OptimizelyEvent[],
    revision: df.revision,
    experimentsMap,
    featuresMap,
    getDatafile: () => datafileText,
  };
  // Keep the method out of Object.keys, spreads and JSON, like the reference's prototype method.
  Object.defineProperty(result, 'getDatafile', { enumerable: false });
  return result;
}
