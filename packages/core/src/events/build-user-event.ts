import type { UserAttributes } from '../audience/evaluation-user';
import type { ProjectConfig } from '../config/project-config';
import type { FlagDecision } from '../decision/flag-decision';
import type { Logger } from '../ports/logger';
import { uuidV4 } from '../util/uuid';
import type {
  ConversionEvent,
  EventContext,
  EventTags,
  ImpressionEvent,
  VisitorAttribute,
} from './user-event';

const MAX_SAFE = 2 ** 53;
const RESERVED_PREFIX = '$opt_';

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

/**
 * The attributes logx accepts: string, boolean or numbers within ±2^53, keyed by datafile
 * attribute id, or by the key itself for `$opt_` attributes. Others are dropped (logged at debug).
 */
export function buildVisitorAttributes(
  config: ProjectConfig,
  attributes: UserAttributes | undefined,
  logger: Logger,
): VisitorAttribute[] {
  const result: VisitorAttribute[] = [];
  if (!attributes) return result;
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
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
    } else if (logger.isEnabled('debug')) {
      logger.log(
        'debug',
        `Unrecognized attribute ${key} provided. Pruning before sending event to Optimizely.`,
      );
    }
  }
  return result;
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
    user: { id: userId, attributes: buildVisitorAttributes(config, attributes, logger) },
    layer: { id: layerId },
    experiment: { id: experiment?.id ?? null, key: experiment?.key ?? '' },
    variation: { id: variation?.id ?? null, key: variation?.key ?? '' },
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

/** Builds the conversion for `track`. `tags` must already be free of null values. */
export function buildConversionEvent(
  config: ProjectConfig,
  client: ClientInfo,
  eventKey: string,
  userId: string,
  attributes: UserAttributes | undefined,
  tags: EventTags | undefined,
  logger: Logger,
): ConversionEvent {
  return {
    type: 'conversion',
    uuid: uuidV4(),
    timestamp: Date.now(),
    context: contextFor(config, client),
    user: { id: userId, attributes: buildVisitorAttributes(config, attributes, logger) },
    event: { id: config.eventsByKey.get(eventKey)?.id ?? null, key: eventKey },
    revenue: tags ? revenueOf(tags) : null,
    value: tags ? numericValueOf(tags) : null,
    tags,
  };
}
