// Canonical decimal integers below 2^32 - 1: the keys a plain object enumerates first.
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/** Whether a plain object would enumerate `key` among its integer keys, before the others. */
export function isArrayIndex(key: string): boolean {
  return key.length <= 10 && ARRAY_INDEX.test(key) && Number(key) < 4294967295;
}

/**
 * The values of `entries` in the order a plain object built from them would list them: integer
 * keys ascending first, then the others in insertion order; a repeated key keeps its first
 * position and its last value. The reference enumerates such objects (keyed by ids and flag
 * keys), so we reproduce the order wherever it decides an outcome. Without integer keys, which
 * is usual (ids are longer than ten digits), this is just a Map in insertion order.
 */
export function objectKeyOrder<T>(entries: Iterable<readonly [string, T]>): T[] {
  const byKey = new Map<string, T>();
  let hasIndexKeys = false;
  for (const [key, value] of entries) {
    byKey.set(key, value);
    if (!hasIndexKeys && isArrayIndex(key)) hasIndexKeys = true;
  }
  if (!hasIndexKeys) return [...byKey.values()];
  const keys = [...byKey.keys()];
  const indexKeys = keys.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  const otherKeys = keys.filter((key) => !isArrayIndex(key));
  return [...indexKeys, ...otherKeys].map((key) => byKey.get(key)!);
}
