import type { UserAttributes } from '../audience/evaluation-user';
import { eventTagsProblem, validInputs } from '../client/input-validation';
import type { ProjectConfig } from '../config/project-config';
import type { FlagDecision } from '../decision/flag-decision';
import type { Logger } from '../ports/logger';
import { setOwnProperty } from '../util/set-own-property';
import { uuidV4 } from '../util/uuid';
import type {
  ConversionEvent,
  EventContext,
  EventTags,
  EventTagValue,
  ImpressionEvent,
  VisitorAttribute,
} from './user-event';

const MAX_SAFE = 2 ** 53;
const RESERVED_PREFIX = '$opt_';

/**
 * Builds the impression and conversion events a client hands to its event processor. Core's
 * {@link userEventBuilder} is the one implementation; processors carry it (see `EventProcessor`).
 */
export interface UserEventBuilder {
  /** Builds the impression for a decision (or the legacy `activate`). */
  readonly impression: typeof buildImpressionEvent;
  /** Builds the conversion for `track`, or logs why the input makes none and gives null. */
  readonly conversion: typeof buildConversionEvent;
}

/** Who sends the events: the SDK name and version written into every event. */
export interface ClientInfo {
  readonly clientName: string;
  readonly clientVersion: string;
}

// One context object per config revision and client: events of a revision share it, which also
// makes the processor's context comparison cheap.
const contexts = new WeakMap<ProjectConfig, Map<string, EventContext>>();

function contextFor(config: ProjectConfig, client: ClientInfo): EventContext {
  let byClient = contexts.get(config);
  if (!byClient) {
    byClient = new Map();
    contexts.set(config, byClient);
  }
  const cacheKey = `${client.clientName}\u0000${client.clientVersion}`;
  let context = byClient.get(cacheKey);
  if (!context) {
    context = Object.freeze({
      accountId: config.accountId,
      projectId: config.projectId,
      revision: config.revision,
      clientName: client.clientName,
      clientVersion: client.clientVersion,
      anonymizeIP: config.anonymizeIP,
      botFiltering: config.botFiltering,
      region: config.region,
    });
    byClient.set(cacheKey, context);
  }
  return context;
}

function valuesOf(attributes: UserAttributes, keys: readonly string[]): unknown[] {
  const values: unknown[] = [];
  for (let i = 0; i < keys.length; i++) values.push(attributes[keys[i]!]);
  return values;
}

/**
 * The attributes logx accepts: string, boolean or numbers within ±2^53, keyed by datafile
 * attribute id, or by the key itself for `$opt_` attributes. Others are dropped (logged at debug)
 * and their keys noted in `pruned`.
 */
function collectVisitorAttributes(
  config: ProjectConfig,
  keys: readonly string[],
  values: readonly unknown[],
  logger: Logger,
  result: VisitorAttribute[],
  pruned: string[],
): void {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = values[i];
    if (
      !(
        typeof value === 'string' ||
        typeof value === 'boolean' ||
        (typeof value === 'number' && Math.abs(value) <= MAX_SAFE)
      )
    ) {
      continue;
    }
    const attribute = config.attributesByKey.get(key);
    if (attribute) {
      result.push({ entityId: attribute.id, key, value });
    } else if (key.startsWith(RESERVED_PREFIX)) {
      result.push({ entityId: key, key, value });
    } else {
      pruned.push(key);
      logPruned(logger, key);
    }
  }
}

function logPruned(logger: Logger, key: string): void {
  if (logger.isEnabled('debug')) {
    logger.log(
      'debug',
      `Unrecognized attribute ${key} provided. Pruning before sending event to Optimizely.`,
    );
  }
}

/** The visitor attributes last built for an attributes object, and what they were built from. */
interface SharedVisitorAttributes {
  readonly config: ProjectConfig;
  readonly keys: readonly string[];
  readonly values: readonly unknown[];
  readonly pruned: readonly string[];
  readonly result: readonly VisitorAttribute[];
}

const sharedAttributes = new WeakMap<object, SharedVisitorAttributes>();
const NO_ATTRIBUTES: readonly VisitorAttribute[] = Object.freeze([]);

/**
 * The visitor attributes of an event. The events of one user context (a decideAll makes dozens)
 * share one frozen array, so the event processor writes its JSON once. The array is reused only
 * while the attributes object still holds the same keys and values in the same order (contexts
 * and callers may change it in place), and only for the same config.
 */
function visitorAttributesFor(
  config: ProjectConfig,
  attributes: UserAttributes | undefined,
  logger: Logger,
): readonly VisitorAttribute[] {
  if (!attributes) return NO_ATTRIBUTES;
  const keys = Object.keys(attributes);
  const shared = sharedAttributes.get(attributes);
  if (shared && shared.config === config && isUnchanged(shared, attributes, keys)) {
    for (let i = 0; i < shared.pruned.length; i++) logPruned(logger, shared.pruned[i]!);
    return shared.result;
  }
  // Each value is read once: a getter must not make the reuse check and the array disagree.
  const values = valuesOf(attributes, keys);
  const result: VisitorAttribute[] = [];
  const pruned: string[] = [];
  collectVisitorAttributes(config, keys, values, logger, result, pruned);
  for (let i = 0; i < result.length; i++) Object.freeze(result[i]);
  Object.freeze(result);
  sharedAttributes.set(attributes, { config, keys, values, pruned, result });
  return result;
}

function isUnchanged(shared: SharedVisitorAttributes, attributes: UserAttributes, keys: string[]): boolean {
  const sharedKeys = shared.keys;
  if (sharedKeys.length !== keys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key !== sharedKeys[i] || attributes[key] !== shared.values[i]) return false;
  }
  return true;
}

/** An entity's `{ id, key }` as events carry it. */
type EntityRef = { readonly id: string | null; readonly key: string };

// One frozen projection per config entity, so the events of a variation share it (the event
// processor caches the JSON of a decision on it) and no event allocates its own.
const entityRefs = new WeakMap<object, EntityRef>();
const NO_ENTITY: EntityRef = Object.freeze({ id: null, key: '' });

function refOf(entity: { readonly id: string; readonly key: string } | null | undefined): EntityRef {
  if (!entity) return NO_ENTITY;
  let ref = entityRefs.get(entity);
  if (ref === undefined || ref.id !== entity.id || ref.key !== entity.key) {
    ref = Object.freeze({ id: entity.id, key: entity.key });
    entityRefs.set(entity, ref);
  }
  return ref;
}

/** Builds the impression for a decision (or the legacy `activate`). */
export function buildImpressionEvent(
  config: ProjectConfig,
  client: ClientInfo,
  decision: FlagDecision,
  flagKey: string,
  userId: string,
  enabled: boolean,
  attributes: UserAttributes | undefined,
  logger: Logger,
): ImpressionEvent {
  const experiment = decision.experiment;
  const variation = decision.variation;
  let layerId: string | null = null;
  if (experiment) {
    layerId =
      decision.source === 'holdout'
        ? ''
        : (config.experimentsById.get(experiment.id)?.layerId ?? experiment.layerId);
  }
  const event: ImpressionEvent = {
    type: 'impression',
    uuid: uuidV4(),
    timestamp: Date.now(),
    context: contextFor(config, client),
    user: { id: userId, attributes: visitorAttributesFor(config, attributes, logger) },
    layer: { id: layerId },
    experiment: refOf(experiment),
    variation: refOf(variation),
    ruleKey: experiment?.key ?? '',
    flagKey,
    ruleType: decision.source,
    enabled,
    ...(decision.cmabUuid === undefined ? {} : { cmabUuid: decision.cmabUuid }),
  };
  return event;
}

function revenueOf(tags: EventTags): number | null {
  const raw = tags.revenue;
  if (raw === null || raw === undefined) return null;
  // As the reference: parseInt without a radix for strings, Math.trunc (which coerces) otherwise.
  // biome-ignore lint/correctness/useParseIntRadix: the reference parses without a radix ("0x1A" is 26).
  const parsed = typeof raw === 'string' ? Number.parseInt(raw) : Math.trunc(raw as unknown as number);
  return Number.isFinite(parsed) ? parsed : null;
}

function numericValueOf(tags: EventTags): number | null {
  const raw = tags.value;
  if (raw === null || raw === undefined) return null;
  // Non-numeric tags (booleans, objects) are dropped; the reference would send a boolean through.
  const parsed =
    typeof raw === 'string' ? Number.parseFloat(raw) : typeof raw === 'number' ? raw : Number.NaN;
  return Number.isFinite(parsed) ? parsed : null;
}

/**
 * Builds the conversion for `track`: null and undefined tags are dropped, and the event's `tags`
 * are what remains. Gives null, after logging why, for an invalid user id, event key, attributes
 * or tags (error) and for an event key the datafile does not have (warn).
 */
export function buildConversionEvent(
  config: ProjectConfig,
  client: ClientInfo,
  eventKey: string,
  userId: string,
  attributes: UserAttributes | undefined,
  eventTags: EventTags | undefined,
  logger: Logger,
): ConversionEvent | null {
  if (!validInputs({ event_key: eventKey }, userId, attributes, logger)) return null;
  const tagsProblem = eventTagsProblem(eventTags);
  if (tagsProblem !== null) {
    if (logger.isEnabled('error')) logger.log('error', tagsProblem);
    return null;
  }
  if (!config.eventsByKey.has(eventKey)) {
    if (logger.isEnabled('warn'))
      logger.log('warn', `Event key ${eventKey} is not in datafile. Not tracking user ${userId}.`);
    return null;
  }
  const tags = eventTags ? withoutEmptyTags(eventTags) : undefined;
  return {
    type: 'conversion',
    uuid: uuidV4(),
    timestamp: Date.now(),
    context: contextFor(config, client),
    user: { id: userId, attributes: visitorAttributesFor(config, attributes, logger) },
    event: { id: config.eventsByKey.get(eventKey)?.id ?? null, key: eventKey },
    revenue: tags ? revenueOf(tags) : null,
    value: tags ? numericValueOf(tags) : null,
    tags,
  };
}

function withoutEmptyTags(tags: EventTags): EventTags {
  const out: Record<string, EventTagValue> = {};
  for (const key of Object.keys(tags)) {
    const value = tags[key];
    if (value !== null && value !== undefined) setOwnProperty(out, key, value);
  }
  return out;
}

/**
 * Core's event builder. Event processors expose it as `userEventBuilder`; a custom processor sets
 * `readonly userEventBuilder = userEventBuilder`.
 */
// A plain literal, not frozen: a call (Object.freeze) would keep the builder in bundles that never
// use it once the dist is minified (which drops pure annotations). Its members are read only.
export const userEventBuilder: UserEventBuilder = {
  impression: buildImpressionEvent,
  conversion: buildConversionEvent,
};
