import type { OdpDataValue, OdpEventInput } from '@flagkit/core';
import { DEFAULT_ODP_EVENT_TYPE, type OdpEvent } from './odp-event';
import { OdpEventError } from './odp-event-error';

/** The largest magnitude ODP takes for a number: 2^53. */
const MAX_NUMBER = 2 ** 53;

/** The data every event starts from; the caller's data overrides any of it. */
export interface CommonEventData {
  /** Makes a fresh idempotence id (a UUID v4) per event. */
  readonly idempotenceId: () => string;
  readonly dataSource: string;
  readonly dataSourceVersion: string;
}

type Entries = ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>;

function isFsUserIdAlias(key: string): boolean {
  if (key.length !== 10) return false;
  const lower = key.toLowerCase();
  return lower === 'fs_user_id' || lower === 'fs-user-id';
}

/** Calls `visit` for each entry of a Map or a plain object; false when it is neither. */
function forEachEntry(entries: unknown, visit: (key: string, value: unknown) => void): boolean {
  if (entries instanceof Map) {
    for (const [key, value] of entries) visit(key, value);
    return true;
  }
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) return false;
  const proto = Object.getPrototypeOf(entries);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key of Object.keys(entries)) visit(key, (entries as Record<string, unknown>)[key]);
  return true;
}

function isOdpDataValue(value: unknown): value is OdpDataValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && Math.abs(value) <= MAX_NUMBER;
    default:
      return value === null;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  return `a value of type ${typeof value}`;
}

/**
 * Checks a `sendOdpEvent` call and builds the event to send, or returns an {@link OdpEventError}
 * naming what was wrong. Identifier keys spelled like `FS-USER-ID` become `fs_user_id` (an exact
 * `fs_user_id` wins over aliases); `vuid`, when given, is added unless the caller sent one.
 */
export function buildOdpEvent(
  input: OdpEventInput,
  common: CommonEventData,
  vuid: string | undefined,
): OdpEvent | OdpEventError {
  const action: unknown = input.action;
  if (typeof action !== 'string' || action === '') {
    return new OdpEventError('action', 'ODP event action must be a non-empty string.');
  }
  const type: unknown = input.type;
  if (type !== undefined && type !== null && typeof type !== 'string') {
    return new OdpEventError('type', `ODP event type must be a string, got ${describeValue(type)}.`);
  }

  const identifiers: Record<string, string> = Object.create(null);
  let fsUserId: string | undefined;
  let exactFsUserId = false;
  let badIdentifier: OdpEventError | undefined;
  let count = 0;
  const identifiersOk =
    input.identifiers === undefined ||
    forEachEntry(input.identifiers as Entries, (key, value) => {
      if (badIdentifier) return;
      if (typeof value !== 'string' || value === '') {
        badIdentifier = new OdpEventError(
          'identifiers',
          `ODP identifier "${key}" must be a non-empty string, got ${describeValue(value)}.`,
          key,
        );
        return;
      }
      if (key === '') {
        badIdentifier = new OdpEventError('identifiers', 'ODP identifier keys must not be empty.', key);
        return;
      }
      count++;
      if (isFsUserIdAlias(key)) {
        const exact = key === 'fs_user_id';
        if (fsUserId === undefined || (exact && !exactFsUserId)) fsUserId = value;
        exactFsUserId ||= exact;
        return;
      }
      identifiers[key] = value;
    });
  if (!identifiersOk) {
    return new OdpEventError('identifiers', 'ODP identifiers must be a Map or a plain object.');
  }
  if (badIdentifier) return badIdentifier;
  if (count === 0) {
    return new OdpEventError('identifiers', 'ODP events need at least one identifier.');
  }
  if (fsUserId !== undefined) identifiers.fs_user_id = fsUserId;
  if (vuid !== undefined && identifiers.vuid === undefined) identifiers.vuid = vuid;

  const data: Record<string, OdpDataValue> = Object.create(null);
  data.idempotence_id = common.idempotenceId();
  data.data_source_type = 'sdk';
  data.data_source = common.dataSource;
  data.data_source_version = common.dataSourceVersion;
  let badData: OdpEventError | undefined;
  const dataOk =
    input.data === undefined ||
    forEachEntry(input.data as Entries, (key, value) => {
      if (badData) return;
      if (!isOdpDataValue(value)) {
        badData = new OdpEventError(
          'data',
          `ODP data "${key}" must be a string, a finite number within ±2^53, a boolean or null; got ${describeValue(value)}.`,
          key,
        );
        return;
      }
      data[key] = value;
    });
  if (!dataOk) return new OdpEventError('data', 'ODP data must be a Map or a plain object.');
  if (badData) return badData;

  return {
    type: typeof type === 'string' && type !== '' ? type : DEFAULT_ODP_EVENT_TYPE,
    action,
    identifiers,
    data,
  };
}
