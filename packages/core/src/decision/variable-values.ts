import type { FeatureFlag, FeatureVariable, Variation } from '../config/project-config';
import { copyJsonPlanned, type JsonCopyPlan, planJsonCopy } from '../util/copy-json';
import { setOwnProperty } from '../util/set-own-property';

/** A typed variable value, as decide and the getFeatureVariable* APIs return it. */
export type VariableValue =
  | boolean
  | number
  | string
  | null
  | Readonly<Record<string, unknown>>
  | readonly unknown[];

/**
 * Casts a raw variable string by type, as the reference does: booleans accept only
 * "true"/"false", integers are base-10 parseInt, doubles parseFloat, json JSON.parse; a value
 * that does not cast is null. Unknown types return the raw string.
 */
export function castVariableValue(raw: string, type: string): VariableValue {
  switch (type) {
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : null;
    case 'integer': {
      const n = Number.parseInt(raw, 10);
      return Number.isNaN(n) ? null : n;
    }
    case 'double': {
      const n = Number.parseFloat(raw);
      return Number.isNaN(n) ? null : n;
    }
    case 'json':
      try {
        return JSON.parse(raw) as VariableValue;
      } catch {
        return null;
      }
    default:
      return raw;
  }
}

/** The raw string a variable takes for a decided variation: its own value only when enabled. */
export function rawVariableValue(variable: FeatureVariable, variation: Variation | null): string {
  if (variation?.featureEnabled && variation.variableValues) {
    const own = variation.variableValues.get(variable.id);
    if (own !== undefined) return own;
  }
  return variable.defaultValue;
}

/** The variables of a flag for one decided variation, resolved once. */
interface ResolvedVariables {
  /**
   * Every variable's cast value by key, in the flag's order; each decision gets a copy (object
   * spread: one shape clone instead of a shape transition per key).
   */
  readonly template: Readonly<Record<string, VariableValue>>;
  /** How to copy it: the json objects and arrays in it get their own deep copies too. */
  readonly plan: JsonCopyPlan;
}

// Per flag, per decided variation: resolved once, then copied into each decision.
const resolvedCache = new WeakMap<FeatureFlag, Map<Variation | null, ResolvedVariables>>();

function resolve(flag: FeatureFlag, variation: Variation | null): ResolvedVariables {
  let byVariation = resolvedCache.get(flag);
  if (!byVariation) {
    byVariation = new Map();
    resolvedCache.set(flag, byVariation);
  }
  let resolved = byVariation.get(variation);
  if (!resolved) {
    const template: Record<string, VariableValue> = {};
    for (const variable of flag.variables) {
      const value = castVariableValue(rawVariableValue(variable, variation), variable.type);
      setOwnProperty(template, variable.key, value);
    }
    resolved = { template, plan: planJsonCopy(template)! };
    byVariation.set(variation, resolved);
  }
  return resolved;
}

/**
 * The `variables` object of a decision: every variable of the flag, typed. Each call returns a
 * fresh object (json values too), so callers may mutate it.
 */
export function decisionVariables(
  flag: FeatureFlag,
  variation: Variation | null,
): Record<string, VariableValue> {
  if (flag.variables.length === 0) return {};
  const { template, plan } = resolve(flag, variation);
  return copyJsonPlanned(template, plan) as Record<string, VariableValue>;
}
