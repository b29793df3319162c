import type { Datafile } from '../datafile/datafile';
import { DatafileError } from '../errors/datafile-error';

const SUPPORTED_VERSIONS = new Set(['2', '3', '4']);

type Json = Record<string, unknown>;

// Each helper checks one field and throws a DatafileError naming its path. Optional arrays may be
// absent (the reference tolerates that); present fields must have the right type.

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** The path of `key` under `path`; top-level fields have no leading dot. */
function at(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function object(value: unknown, path: string): Json {
  if (!isObject(value)) throw new DatafileError(path, `expected an object, got ${describe(value)}`);
  return value;
}

function string(parent: Json, key: string, path: string): void {
  if (typeof parent[key] !== 'string') {
    throw new DatafileError(at(path, key), `expected a string, got ${describe(parent[key])}`);
  }
}

function optionalString(parent: Json, key: string, path: string): void {
  if (parent[key] !== undefined && parent[key] !== null) string(parent, key, path);
}

function optionalBoolean(parent: Json, key: string, path: string): void {
  const value = parent[key];
  if (value !== undefined && value !== null && typeof value !== 'boolean') {
    throw new DatafileError(at(path, key), `expected a boolean, got ${describe(value)}`);
  }
}

function array(parent: Json, key: string, path: string, required: boolean): readonly unknown[] {
  const value = parent[key];
  if (value === undefined || (value === null && !required)) {
    if (required) throw new DatafileError(at(path, key), 'is missing');
    return [];
  }
  if (!Array.isArray(value)) {
    throw new DatafileError(at(path, key), `expected an array, got ${describe(value)}`);
  }
  return value;
}

function stringArray(parent: Json, key: string, path: string, required: boolean): void {
  array(parent, key, path, required).forEach((item, i) => {
    if (typeof item !== 'string') {
      throw new DatafileError(`${at(path, key)}[${i}]`, `expected a string, got ${describe(item)}`);
    }
  });
}

function trafficAllocation(parent: Json, path: string): void {
  array(parent, 'trafficAllocation', path, true).forEach((item, i) => {
    const p = `${path}.trafficAllocation[${i}]`;
    const range = object(item, p);
    string(range, 'entityId', p);
    if (typeof range.endOfRange !== 'number' || Number.isNaN(range.endOfRange)) {
      throw new DatafileError(`${p}.endOfRange`, `expected a number, got ${describe(range.endOfRange)}`);
    }
  });
}

function variations(parent: Json, path: string): void {
  array(parent, 'variations', path, true).forEach((item, i) => {
    const p = `${path}.variations[${i}]`;
    const variation = object(item, p);
    string(variation, 'id', p);
    string(variation, 'key', p);
    optionalBoolean(variation, 'featureEnabled', p);
    array(variation, 'variables', p, false).forEach((usage, j) => {
      const up = `${p}.variables[${j}]`;
      const u = object(usage, up);
      string(u, 'id', up);
      string(u, 'value', up);
    });
  });
}

/** Checks every element of a list with `check`, giving each its indexed path. */
function each(items: readonly unknown[], path: string, check: (item: unknown, path: string) => void): void {
  for (let i = 0; i < items.length; i++) check(items[i], `${path}[${i}]`);
}

function conditionTree(value: unknown, path: string): void {
  // Audience-id trees: strings and nested arrays only.
  if (typeof value === 'string') return;
  if (!Array.isArray(value))
    throw new DatafileError(path, `expected an audience id or a list, got ${describe(value)}`);
  each(value, path, conditionTree);
}

function experiment(item: unknown, path: string): void {
  const e = object(item, path);
  string(e, 'id', path);
  string(e, 'key', path);
  string(e, 'status', path);
  optionalString(e, 'layerId', path);
  variations(e, path);
  trafficAllocation(e, path);
  stringArray(e, 'audienceIds', path, false);
  if (e.audienceConditions !== undefined && e.audienceConditions !== null) {
    conditionTree(e.audienceConditions, `${path}.audienceConditions`);
  }
  if (e.forcedVariations !== undefined && e.forcedVariations !== null) {
    const forced = object(e.forcedVariations, `${path}.forcedVariations`);
    for (const userId of Object.keys(forced)) string(forced, userId, `${path}.forcedVariations`);
  }
  optionalString(e, 'type', path);
  if (e.cmab !== undefined && e.cmab !== null) {
    const cmab = object(e.cmab, `${path}.cmab`);
    if (typeof cmab.trafficAllocation !== 'number') {
      throw new DatafileError(
        `${path}.cmab.trafficAllocation`,
        `expected a number, got ${describe(cmab.trafficAllocation)}`,
      );
    }
    stringArray(cmab, 'attributeIds', `${path}.cmab`, false);
  }
}

function holdout(item: unknown, path: string): void {
  const h = object(item, path);
  string(h, 'id', path);
  string(h, 'key', path);
  string(h, 'status', path);
  variations(h, path);
  trafficAllocation(h, path);
  stringArray(h, 'audienceIds', path, false);
  if (h.audienceConditions !== undefined && h.audienceConditions !== null) {
    conditionTree(h.audienceConditions, `${path}.audienceConditions`);
  }
  if (h.includedRules !== undefined && h.includedRules !== null) stringArray(h, 'includedRules', path, false);
  optionalBoolean(h, 'excludeTargetedDeliveries', path);
}

function audience(item: unknown, path: string, typed: boolean): void {
  const a = object(item, path);
  string(a, 'id', path);
  optionalString(a, 'name', path);
  const conditions = a.conditions;
  if (
    typed
      ? conditions === undefined
      : typeof conditions !== 'string' && !Array.isArray(conditions) && !isObject(conditions)
  ) {
    throw new DatafileError(`${path}.conditions`, `expected conditions, got ${describe(conditions)}`);
  }
}

/**
 * Checks that a parsed datafile has every field FlagKit reads, with the right types, and returns
 * it typed. Throws a {@link DatafileError} naming the first bad field. Does not modify its input.
 */
export function validateDatafile(input: unknown): Datafile {
  const df = object(input, '');
  if (typeof df.version !== 'string' || !SUPPORTED_VERSIONS.has(df.version)) {
    throw new DatafileError(
      'version',
      `unsupported datafile version ${describe(df.version)} (expected "2", "3" or "4")`,
    );
  }
  for (const key of ['accountId', 'projectId', 'revision']) {
    if (typeof df[key] !== 'string')
      throw new DatafileError(key, `expected a string, got ${describe(df[key])}`);
  }
  for (const key of ['sdkKey', 'environmentKey', 'region']) optionalString(df, key, '');
  for (const key of ['anonymizeIP', 'botFiltering', 'sendFlagDecisions']) optionalBoolean(df, key, '');

  each(array(df, 'experiments', '', false), 'experiments', experiment);
  array(df, 'groups', '', false).forEach((item, i) => {
    const path = `groups[${i}]`;
    const g = object(item, path);
    string(g, 'id', path);
    string(g, 'policy', path);
    trafficAllocation(g, path);
    each(array(g, 'experiments', path, false), `${path}.experiments`, experiment);
  });
  array(df, 'rollouts', '', false).forEach((item, i) => {
    const path = `rollouts[${i}]`;
    const r = object(item, path);
    string(r, 'id', path);
    each(array(r, 'experiments', path, false), `${path}.experiments`, experiment);
  });
  array(df, 'featureFlags', '', false).forEach((item, i) => {
    const path = `featureFlags[${i}]`;
    const f = object(item, path);
    string(f, 'id', path);
    string(f, 'key', path);
    optionalString(f, 'rolloutId', path);
    stringArray(f, 'experimentIds', path, false);
    array(f, 'variables', path, false).forEach((v, j) => {
      const vp = `${path}.variables[${j}]`;
      const variable = object(v, vp);
      string(variable, 'id', vp);
      string(variable, 'key', vp);
      string(variable, 'type', vp);
      string(variable, 'defaultValue', vp);
      optionalString(variable, 'subType', vp);
    });
  });
  each(array(df, 'audiences', '', false), 'audiences', (a, path) => audience(a, path, false));
  each(array(df, 'typedAudiences', '', false), 'typedAudiences', (a, path) => audience(a, path, true));
  for (const kind of ['attributes', 'events'] as const) {
    array(df, kind, '', false).forEach((item, i) => {
      const path = `${kind}[${i}]`;
      const entity = object(item, path);
      string(entity, 'id', path);
      string(entity, 'key', path);
      if (kind === 'events') stringArray(entity, 'experimentIds', path, false);
    });
  }
  array(df, 'integrations', '', false).forEach((item, i) => {
    const path = `integrations[${i}]`;
    const integration = object(item, path);
    string(integration, 'key', path);
    optionalString(integration, 'host', path);
    optionalString(integration, 'publicKey', path);
    optionalString(integration, 'pixelUrl', path);
  });
  each(array(df, 'holdouts', '', false), 'holdouts', holdout);
  each(array(df, 'localHoldouts', '', false), 'localHoldouts', holdout);
  return df as unknown as Datafile;
}
