import type { Datafile } from '../datafile/datafile';
import { DatafileError } from '../errors/datafile-error';

type Json = Record<string, unknown>;

/**
 * How one field is checked. A `?` suffix means the field may also be absent or null (the reference
 * tolerates that); present fields must have the right type.
 * - `strings?`: a list of strings; `audienceTree?`: audience ids in nested lists;
 *   `stringMap?`: an object whose values are strings;
 * - `conditions`: a legacy audience's conditions (a string, list or object);
 *   `anyConditions`: a typed audience's conditions (anything but absent);
 * - `{ list, required }`: a list of records; `{ record }`: an optional nested record.
 */
type Check =
  | 'string'
  | 'string?'
  | 'boolean?'
  | 'number'
  | 'strings?'
  | 'audienceTree?'
  | 'stringMap?'
  | 'conditions'
  | 'anyConditions'
  | { readonly list: Schema; readonly required?: true }
  | { readonly record: Schema };

/** The checked fields of one kind of record, in checking order. */
type Fields = { readonly [field: string]: Check };
/** Fields as parallel lists, so a check walks arrays (no property enumeration per record). */
interface Schema {
  readonly keys: readonly string[];
  readonly checks: readonly Check[];
}

function schema(fields: Fields): Schema {
  return { keys: Object.keys(fields), checks: Object.values(fields) };
}

const TRAFFIC_RANGE = schema({ entityId: 'string', endOfRange: 'number' });
const VARIATION = schema({
  id: 'string',
  key: 'string',
  featureEnabled: 'boolean?',
  variables: { list: schema({ id: 'string', value: 'string' }) },
});
/** The fields experiments, rollout rules and holdouts share. */
const BUCKETED_ENTITY: Fields = {
  id: 'string',
  key: 'string',
  status: 'string',
  variations: { list: VARIATION, required: true },
  trafficAllocation: { list: TRAFFIC_RANGE, required: true },
  audienceIds: 'strings?',
  audienceConditions: 'audienceTree?',
};
const EXPERIMENT = schema({
  ...BUCKETED_ENTITY,
  layerId: 'string?',
  forcedVariations: 'stringMap?',
  type: 'string?',
  cmab: { record: schema({ trafficAllocation: 'number', attributeIds: 'strings?' }) },
});
const HOLDOUT = schema({
  ...BUCKETED_ENTITY,
  includedRules: 'strings?',
  excludeTargetedDeliveries: 'boolean?',
});
const AUDIENCE: Fields = { id: 'string', name: 'string?' };

const DATAFILE = schema({
  accountId: 'string',
  projectId: 'string',
  revision: 'string',
  sdkKey: 'string?',
  environmentKey: 'string?',
  region: 'string?',
  anonymizeIP: 'boolean?',
  botFiltering: 'boolean?',
  sendFlagDecisions: 'boolean?',
  experiments: { list: EXPERIMENT },
  groups: {
    list: schema({
      id: 'string',
      policy: 'string',
      trafficAllocation: { list: TRAFFIC_RANGE, required: true },
      experiments: { list: EXPERIMENT },
    }),
  },
  rollouts: { list: schema({ id: 'string', experiments: { list: EXPERIMENT } }) },
  featureFlags: {
    list: schema({
      id: 'string',
      key: 'string',
      rolloutId: 'string?',
      experimentIds: 'strings?',
      variables: {
        list: schema({
          id: 'string',
          key: 'string',
          type: 'string',
          defaultValue: 'string',
          subType: 'string?',
        }),
      },
    }),
  },
  audiences: { list: schema({ ...AUDIENCE, conditions: 'conditions' }) },
  typedAudiences: { list: schema({ ...AUDIENCE, conditions: 'anyConditions' }) },
  attributes: { list: schema({ id: 'string', key: 'string' }) },
  events: { list: schema({ id: 'string', key: 'string', experimentIds: 'strings?' }) },
  integrations: {
    list: schema({ key: 'string', host: 'string?', publicKey: 'string?', pixelUrl: 'string?' }),
  },
  holdouts: { list: HOLDOUT },
  localHoldouts: { list: HOLDOUT },
});

const SUPPORTED_VERSIONS = new Set(['2', '3', '4']);

// The checks are a table walked by one loop, which keeps this file small in browser bundles; its
// keyed reads cost a little speed over one hand-written function per record kind (about 0.3 ms
// on a 500 KB datafile, a few percent of a load).
// Validation runs on every datafile load, right after JSON.parse, while the parsed tree is still
// in V8's young generation: anything it allocates can trigger a scavenge that copies the whole
// tree. So checks allocate nothing on success. The path of the field being checked is kept as a
// stack of segments (field names and indices), turned into text only when a check fails.
// Validation is synchronous, so one module-level stack serves every call. `depth` is the stack's
// size: entries above it are stale (shrinking an array's length is a slow runtime call).
const path: (string | number)[] = [];
let depth = 0;

/** Throws a DatafileError for the field at the current path, plus `key` when given. */
function fail(key: string | number | null, problem: string): never {
  if (key !== null) path[depth++] = key;
  let text = '';
  for (let i = 0; i < depth; i++) {
    const segment = path[i]!;
    text += typeof segment === 'number' ? `[${segment}]` : text ? `.${segment}` : segment;
  }
  throw new DatafileError(text, problem);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** Fails for `key`: it should be `expected` (e.g. "a string") but is `value`. */
function mismatch(key: string | number | null, expected: string, value: unknown): never {
  return fail(key, `expected ${expected}, got ${describe(value)}`);
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks every field of `schema` on the record `value` (already at the current path). */
function checkRecord(record: unknown, { keys, checks }: Schema): void {
  if (!isRecord(record)) mismatch(null, 'an object', record);
  for (let i = 0; i < keys.length; i++) {
    const value = record[keys[i]!];
    const check = checks[i]!;
    // Most fields are strings: settle those without a call.
    if (check !== 'string' || typeof value !== 'string') checkField(value, keys[i]!, check);
  }
}

function checkField(value: unknown, key: string, check: Check): void {
  const absent = value === undefined || value === null;
  switch (check) {
    case 'string':
      if (typeof value !== 'string') mismatch(key, 'a string', value);
      return;
    case 'string?':
      if (!absent && typeof value !== 'string') mismatch(key, 'a string', value);
      return;
    case 'boolean?':
      if (!absent && typeof value !== 'boolean') mismatch(key, 'a boolean', value);
      return;
    case 'number':
      if (typeof value !== 'number' || Number.isNaN(value)) mismatch(key, 'a number', value);
      return;
    case 'strings?':
      if (absent) return;
      if (!Array.isArray(value)) mismatch(key, 'an array', value);
      path[depth++] = key;
      for (let i = 0; i < value.length; i++) {
        if (typeof value[i] !== 'string') mismatch(i, 'a string', value[i]);
      }
      depth--;
      return;
    case 'audienceTree?':
      if (absent) return;
      path[depth++] = key;
      checkAudienceTree(value);
      depth--;
      return;
    case 'stringMap?':
      if (absent) return;
      if (!isRecord(value)) mismatch(key, 'an object', value);
      path[depth++] = key;
      for (const userId in value) {
        if (Object.hasOwn(value, userId) && typeof value[userId] !== 'string') {
          mismatch(userId, 'a string', value[userId]);
        }
      }
      depth--;
      return;
    case 'conditions':
      if (typeof value !== 'string' && !Array.isArray(value) && !isRecord(value)) {
        mismatch(key, 'conditions', value);
      }
      return;
    case 'anyConditions':
      if (value === undefined) mismatch(key, 'conditions', value);
      return;
  }
  if ('record' in check) {
    if (absent) return;
    path[depth++] = key;
    checkRecord(value, check.record);
    depth--;
    return;
  }
  if (value === undefined && check.required) fail(key, 'is missing');
  if (absent && !(check.required && value === null)) return;
  if (!Array.isArray(value)) mismatch(key, 'an array', value);
  path[depth++] = key;
  const index = depth++;
  for (let i = 0; i < value.length; i++) {
    path[index] = i;
    checkRecord(value[i], check.list);
  }
  depth -= 2;
}

/** Audience-id trees: strings and nested lists only. */
function checkAudienceTree(value: unknown): void {
  if (typeof value === 'string') return;
  if (!Array.isArray(value)) mismatch(null, 'an audience id or a list', value);
  const index = depth++;
  for (let i = 0; i < value.length; i++) {
    path[index] = i;
    checkAudienceTree(value[i]);
  }
  depth--;
}

/**
 * Checks that a parsed datafile has every field FlagKit reads, with the right types, and returns
 * it typed. Throws a {@link DatafileError} naming the first bad field. Does not modify its input.
 */
export function validateDatafile(input: unknown): Datafile {
  depth = 0;
  if (!isRecord(input)) mismatch(null, 'an object', input);
  if (typeof input.version !== 'string' || !SUPPORTED_VERSIONS.has(input.version)) {
    fail('version', `unsupported datafile version ${describe(input.version)} (expected "2", "3" or "4")`);
  }
  checkRecord(input, DATAFILE);
  return input as unknown as Datafile;
}
