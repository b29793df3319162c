import type { OdpDataValue, OdpEventInput } from '@flagkit/core';
import { DEFAULT_ODP_EVENT_TYPE, type OdpEvent } from './odp-event';
import { OdpEventError, type OdpEventField } from './odp-event-error';

/** The data every event starts from; the caller's data overrides any of it. */
export interface CommonEventData {
  /** Makes a fresh idempotence id (a UUID v4) per event. */
  readonly idempotenceId: () => string;
  readonly dataSource: string;
  readonly dataSourceVersion: string;
}

/** `fs_user_id` or `fs-user-id`, in any case. */
const FS_USER_ID_ALIAS = /^fs(?:_user_|-user-)id$/i;

/**
 * A Map, or a plain object's own entries; null for anything else. `value` is neither null nor
 * undefined, so it has a prototype to check (arrays, functions and primitives have their own).
 */
function entriesOf(value: unknown): Iterable<[string, unknown]> | null {
  if (value instanceof Map) return value as Map<string, unknown>;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null ? Object.entries(value as object) : null;
}

const NON_EMPTY_STRING = 'a non-empty string';

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isOdpDataValue(value: unknown): value is OdpDataValue {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    // 2^53 is the largest magnitude ODP takes; the check is false for NaN and ±Infinity too.
    (typeof value === 'number' && Math.abs(value) <= 2 ** 53) ||
    value === null
  );
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' || value === null) return String(value);
  return `a value of type ${typeof value}`;
}

/** The refusal of `value`: "ODP <what> must be <expected>, got <value>." */
function mustBe(
  field: OdpEventField,
  what: string,
  expected: string,
  value: unknown,
  key?: string,
): OdpEventError {
  return new OdpEventError(field, `ODP ${what} must be ${expected}, got ${describeValue(value)}.`, key);
}

/**
 * Passes the entries of `input` (a Map or a plain object; absent has none) to `add`, or returns
 * the error naming the input, or the first entry whose value `accepts` refuses.
 */
function readEntries<V>(
  field: 'identifiers' | 'data',
  input: unknown,
  accepts: (value: unknown) => value is V,
  expected: string,
  add: (key: string, value: V) => void,
): OdpEventError | undefined {
  if (input === undefined || input === null) return;
  const entries = entriesOf(input);
  if (entries === null) return mustBe(field, field, 'a Map or a plain object', input);
  for (const [key, value] of entries) {
    if (!accepts(value)) return mustBe(field, `${field}: "${key}"`, expected, value, key);
    add(key, value);
  }
}

/**
 * Checks a `sendOdpEvent` call and builds the event to send, or returns an {@link OdpEventError}
 * naming what was wrong. Identifier keys spelled like `FS-USER-ID` become `fs_user_id`; `vuid`,
 * when given, is added unless the caller sent one. The default data comes first; the caller's
 * data overrides it in place.
 */
export function buildOdpEvent(
  input: OdpEventInput,
  common: CommonEventData,
  vuid: string | undefined,
): OdpEvent | OdpEventError {
  const action: unknown = input.action;
  if (!isNonEmptyString(action)) return mustBe('action', 'event action', NON_EMPTY_STRING, action);
  const type: unknown = input.type;
  if (type !== undefined && type !== null && typeof type !== 'string') {
    return mustBe('type', 'event type', 'a string', type);
  }
  const identifiers = new Map<string, string>();
  // Like the official SDK, identifier keys spelled like `FS-USER-ID` become `fs_user_id`, placed
  // after the other identifiers; the (single: keys are unique) exact `fs_user_id` wins over aliases,
  // else the first alias does.
  let fsUserId: string | undefined;
  const badIdentifiers = readEntries(
    'identifiers',
    input.identifiers,
    isNonEmptyString,
    NON_EMPTY_STRING,
    (key, value) => {
      if (!FS_USER_ID_ALIAS.test(key)) identifiers.set(key, value);
      else if (fsUserId === undefined || key === 'fs_user_id') fsUserId = value;
    },
  );
  if (badIdentifiers) return badIdentifiers;
  if (identifiers.has('')) {
    return new OdpEventError('identifiers', 'ODP identifier keys must not be empty.', '');
  }
  if (fsUserId !== undefined) identifiers.set('fs_user_id', fsUserId);
  if (identifiers.size === 0) {
    return new OdpEventError('identifiers', 'ODP events need at least one identifier.');
  }
  if (vuid !== undefined && !identifiers.has('vuid')) identifiers.set('vuid', vuid);
  const data = new Map<string, OdpDataValue>()
    .set('idempotence_id', common.idempotenceId())
    .set('data_source_type', 'sdk')
    .set('data_source', common.dataSource)
    .set('data_source_version', common.dataSourceVersion);
  const badData = readEntries(
    'data',
    input.data,
    isOdpDataValue,
    'a string, a finite number within ±2^53, a boolean or null',
    (key, value) => data.set(key, value),
  );
  return badData ?? { type: type || DEFAULT_ODP_EVENT_TYPE, action, identifiers, data };
}
