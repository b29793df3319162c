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
