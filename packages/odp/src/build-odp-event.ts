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

/** `fs_user_id` or `fs-user-id`, in any case. */
const FS_USER_ID_ALIAS = /^fs(?:_user_|-user-)id$/i;

/** A plain object's own entries, or null when `value` is neither a Map nor a plain object. */
function entriesOf(value: unknown): Iterable<[string, unknown]> | null {
  if (value instanceof Map) return value as Map<string, unknown>;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return null;
  return Object.entries(value);
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

function readIdentifiers(input: unknown, vuid: string | undefined): Map<string, string> | OdpEventError {
  const identifiers = new Map<string, string>();
  if (input === undefined || input === null) {
    return new OdpEventError('identifiers', 'ODP events need at least one identifier.');
  }
  const entries = entriesOf(input);
  if (entries === null)
    return new OdpEventError('identifiers', 'ODP identifiers must be a Map or a plain object.');
  let fsUserId: string | undefined;
  let exactFsUserId = false;
  for (const [key, value] of entries) {
    if (typeof value !== 'string' || value === '') {
      return new OdpEventError(
        'identifiers',
        `ODP identifier "${key}" must be a non-empty string, got ${describeValue(value)}.`,
        key,
      );
    }
    if (key === '') return new OdpEventError('identifiers', 'ODP identifier keys must not be empty.', key);
    if (FS_USER_ID_ALIAS.test(key)) {
      const exact = key === 'fs_user_id';
      if (fsUserId === undefined || (exact && !exactFsUserId)) fsUserId = value;
      if (exact) exactFsUserId = true;
    } else {
      identifiers.set(key, value);
    }
  }
  // Like the official SDK, the normalised fs_user_id goes after the other identifiers.
  if (fsUserId !== undefined) identifiers.set('fs_user_id', fsUserId);
  if (identifiers.size === 0)
    return new OdpEventError('identifiers', 'ODP events need at least one identifier.');
  if (vuid !== undefined && !identifiers.has('vuid')) identifiers.set('vuid', vuid);
  return identifiers;
}

function readData(input: unknown, common: CommonEventData): Map<string, OdpDataValue> | OdpEventError {
  const data = new Map<string, OdpDataValue>();
  data.set('idempotence_id', common.idempotenceId());
  data.set('data_source_type', 'sdk');
  data.set('data_source', common.dataSource);
  data.set('data_source_version', common.dataSourceVersion);
  if (input === undefined || input === null) return data;
  const entries = entriesOf(input);
  if (entries === null) return new OdpEventError('data', 'ODP data must be a Map or a plain object.');
  for (const [key, value] of entries) {
    if (!isOdpDataValue(value)) {
      return new OdpEventError(
        'data',
        `ODP data "${key}" must be a string, a finite number within ±2^53, a boolean or null; got ${describeValue(value)}.`,
        key,
      );
    }
    data.set(key, value);
  }
  return data;
}

/**
 * Checks a `sendOdpEvent` call and builds the event to send, or returns an {@link OdpEventError}
 * naming what was wrong. Identifier keys spelled like `FS-USER-ID` become `fs_user_id` (an exact
 * `fs_user_id` wins over aliases); `vuid`, when given, is added unless the caller sent one. The
 * default data comes first; the caller's data overrides it in place.
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
  const identifiers = readIdentifiers(input.identifiers, vuid);
  if (identifiers instanceof OdpEventError) return identifiers;
  const data = readData(input.data, common);
  if (data instanceof OdpEventError) return data;
  return {
    type: typeof type === 'string' && type !== '' ? type : DEFAULT_ODP_EVENT_TYPE,
    action,
    identifiers,
    data,
  };
}
