import type { FeatureFlag, FeatureVariable, Variation } from '../config/project-config';
import { copyJson } from '../util/copy-json';

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
  readonly keys: readonly string[];
  /** Cast values, in `keys` order; json objects and arrays are copied for each decision. */
  readonly values: readonly VariableValue[];
  /** Whether some value is a json object or array (which each decision gets its own copy of). */
  readonly hasObjects: boolean;
  /** Whether some key is `__proto__`, which must be defined rather than assigned. */
  readonly hasProtoKey: boolean;
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
    const keys: string[] = [];
    const values: VariableValue[] = [];
    let hasObjects = false;
    for (const variable of flag.variables) {
      const value = castVariableValue(rawVariableValue(variable, variation), variable.type);
      keys.push(variable.key);
      values.push(value);
      hasObjects ||= typeof value === 'object' && value !== null;
    }
    resolved = { keys, values, hasObjects, hasProtoKey: keys.includes('__proto__') };
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
  const { keys, values, hasObjects, hasProtoKey } = resolve(flag, variation);
  const out: Record<string, VariableValue> = {};
  if (!hasObjects && !hasProtoKey) {
    // The common case: plain values, plain keys.
    for (let i = 0; i < keys.length; i++) out[keys[i]!] = values[i]!;
    return out;
  }
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = hasObjects ? (copyJson(values[i]) as VariableValue) : values[i]!;
    // `__proto__` must become an own property, not the object's prototype.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}
