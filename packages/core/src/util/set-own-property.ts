/**
 * Stores `value` under `key` as an own, enumerable data property. Keys that come from users or
 * datafiles may be `__proto__`: assigning that one would run the inherited setter and replace the
 * object's prototype, so it alone is defined with `Object.defineProperty`. Every other key is
 * assigned, which keeps the object an ordinary one with V8's fast properties and the usual key
 * order.
 */
export function setOwnProperty<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
