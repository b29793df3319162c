import type { OdpDataValue, OdpEventInput } from '@flagkit/core';
import { DEFAULT_ODP_EVENT_TYPE, type OdpEvent } from './odp-event';
import { OdpEventError, type OdpEventField } from './odp-event-error';

/** The largest magnitude ODP takes for a number: 2^53. */
const MAX_NUMBER = 2 ** 53;

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
    (typeof value === 'number' && Math.abs(value) <= MAX_NUMBER) || // false for NaN and ±Infinity too
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
 * Copies the entries of `input` (a Map or a plain object; absent adds nothing) into `into`, or
 * returns the error naming the input, or the first entry whose value `accepts` refuses.
 */
function readEntries<V>(
  field: 'identifiers' | 'data',
  input: unknown,
  into: Map<string, V>,
  accepts: (value: unknown) => value is V,
  expected: string,
): OdpEventError | undefined {
  if (input === undefined || input === null) return;
  const entries = entriesOf(input);
  if (entries === null) return mustBe(field, field, 'a Map or a plain object', input);
  for (const [key, value] of entries) {
    if (!accepts(value)) return mustBe(field, `${field}: "${key}"`, expected, value, key);
    into.set(key, value);
  }
}

/**
 * Like the official SDK, identifier keys spelled like `FS-USER-ID` become `fs_user_id`, placed
 * after the other identifiers; an exact `fs_user_id` wins over aliases, else the first alias does.
 */
function normaliseFsUserId(identifiers: Map<string, string>): void {
  let fsUserId = identifiers.get('fs_user_id');
  for (const [key, value] of identifiers) {
    if (!FS_USER_ID_ALIAS.test(key)) continue;
    fsUserId ??= value;
    identifiers.delete(key);
  }
  if (fsUserId !== undefined) identifiers.set('fs_user_id', fsUserId);
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
  const badIdentifiers = readEntries(
    'identifiers',
    input.identifiers,
    identifiers,
    isNonEmptyString,
    NON_EMPTY_STRING,
  );
  if (badIdentifiers) return badIdentifiers;
  if (identifiers.has('')) {
    return new OdpEventError('identifiers', 'ODP identifier keys must not be empty.', '');
  }
  normaliseFsUserId(identifiers);
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
    data,
    isOdpDataValue,
    'a string, a finite number within ±2^53, a boolean or null',
  );
  return badData ?? { type: type || DEFAULT_ODP_EVENT_TYPE, action, identifiers, data };
}
