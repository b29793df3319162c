import type { FeatureFlag, FeatureVariable, Variation } from '../config/project-config';

/** A typed variable value, as decide and the getFeatureVariable* APIs return it. */
export type VariableValue = boolean | number | string | null | Readonly<Record<string, unknown>> | readonly unknown[];

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

interface ResolvedVariable {
  readonly key: string;
  /** The cast value; for json, re-parsed from `json` per call so callers get their own object. */
  readonly value: VariableValue;
  readonly json: string | null;
}

// Per flag, per decided variation: resolved once, then copied into each decision.
const resolvedCache = new WeakMap<FeatureFlag, Map<Variation | null, readonly ResolvedVariable[]>>();

function resolve(flag: FeatureFlag, variation: Variation | null): readonly ResolvedVariable[] {
  let byVariation = resolvedCache.get(flag);
  if (!byVariation) {
    byVariation = new Map();
    resolvedCache.set(flag, byVariation);
  }
  let resolved = byVariation.get(variation);
  if (!resolved) {
    resolved = flag.variables.map((variable) => {
      const raw = rawVariableValue(variable, variation);
      const value = castVariableValue(raw, variable.type);
      const isObject = variable.type === 'json' && typeof value === 'object' && value !== null;
      return { key: variable.key, value, json: isObject ? raw : null };
    });
    byVariation.set(variation, resolved);
  }
  return resolved;
}

/**
 * The `variables` object of a decision: every variable of the flag, typed. Each call returns a
 * fresh object (json values too), so callers may mutate it.
 */
export function decisionVariables(flag: FeatureFlag, variation: Variation | null): Record<string, VariableValue> {
  const out: Record<string, VariableValue> = {};
  const resolved = resolve(flag, variation);
  for (let i = 0; i < resolved.length; i++) {
    const r = resolved[i]!;
    const value = r.json === null ? r.value : (JSON.parse(r.json) as VariableValue);
    if (r.key === '__proto__') {
      Object.defineProperty(out, r.key, { value, enumerable: true, writable: true, configurable: true });
    } else {
      out[r.key] = value;
    }
  }
  return out;
}
