import { fitted } from './fitted';
import { setOwnProperty } from './set-own-property';

/**
 * A deep copy of arrays and plain data objects (own enumerable string keys); any other value is
 * returned as it is. A `__proto__` key stays an own data property of the copy, never its
 * prototype. Much cheaper than a `JSON.parse` of the same value's text, and exact for values that
 * came from `JSON.parse`.
 */
export function copyJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (let i = 0; i < value.length; i++) items.push(copyJson(value[i]));
    return items;
  }
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    setOwnProperty(copy, key, copyJson(source[key]));
  }
  return copy;
}

/**
 * Where a JSON object or array holds further objects or arrays: what {@link copyJsonPlanned} needs
 * to copy a value of this exact shape without walking its keys again.
 */
export interface JsonCopyPlan {
  readonly isArray: boolean;
  /** The keys (or indices) of the nested objects and arrays, in order. */
  readonly nestedKeys: readonly string[];
  /** The plan of each nested value, aligned with `nestedKeys`. */
  readonly nestedPlans: readonly JsonCopyPlan[];
}

/**
 * Plans deep copies of `value`: plain data (objects, arrays and primitives, as `JSON.parse` gives)
 * that is never changed afterwards. Null when it is no object or array (nothing to copy).
 */
export function planJsonCopy(value: unknown): JsonCopyPlan | null {
  if (typeof value !== 'object' || value === null) return null;
  const nestedKeys: string[] = [];
  const nestedPlans: JsonCopyPlan[] = [];
  const source = value as Record<string, unknown>;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const plan = planJsonCopy(source[key]);
    if (plan === null) continue;
    nestedKeys.push(key);
    nestedPlans.push(plan);
  }
  return { isArray: Array.isArray(value), nestedKeys: fitted(nestedKeys), nestedPlans: fitted(nestedPlans) };
}

/**
 * A deep copy of `value` by its plan: one shallow copy per object or array (a spread or slice,
 * which copy a shape at once), then the nested ones. Spread defines properties, so a `__proto__`
 * key stays an own data property, as it is in `copyJson`.
 */
export function copyJsonPlanned(value: object, plan: JsonCopyPlan): unknown {
  const copy: Record<string, unknown> = plan.isArray
    ? ((value as unknown[]).slice() as unknown as Record<string, unknown>)
    : { ...(value as Record<string, unknown>) };
  const keys = plan.nestedKeys;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    setOwnProperty(copy, key, copyJsonPlanned((value as Record<string, object>)[key]!, plan.nestedPlans[i]!));
  }
  return copy;
}
