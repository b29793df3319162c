// Keys that could reach an object's prototype chain when a parsed value is later merged or copied.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const dropForbidden = (key: string, value: unknown): unknown => (FORBIDDEN_KEYS.has(key) ? undefined : value);

/**
 * JSON.parse for text from Redis, which anyone with access may have written: forbidden keys are
 * removed at every depth, and bad JSON gives `undefined` instead of throwing.
 */
export function parseUntrustedJson(text: string): unknown {
  try {
    return JSON.parse(text, dropForbidden);
  } catch {
    return undefined;
  }
}

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
