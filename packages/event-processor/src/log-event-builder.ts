import type { ConversionEvent, EventContext, ImpressionEvent, UserEvent } from '@flagkit/core';

/** logx endpoints by datafile region. Unknown regions use US, as Optimizely's SDKs do. */
export const LOGX_ENDPOINTS: Readonly<Record<'US' | 'EU', string>> = Object.freeze({
  US: 'https://logx.optimizely.com/v1/events',
  EU: 'https://eu.logx.optimizely.com/v1/events',
});

const BOT_FILTERING = '$opt_bot_filtering';
const CAMPAIGN_ACTIVATED = 'campaign_activated';
const DIGITS_ONLY = /^[0-9]+$/;

/** The logx endpoint for a region (`US` when the region is empty or unknown). */
export function endpointForRegion(region: string | undefined): string {
  return region === 'EU' ? LOGX_ENDPOINTS.EU : LOGX_ENDPOINTS.US;
}

// Key order below is the order Optimizely's JavaScript SDK writes, so `JSON.stringify` of our batch
// is the same text as theirs. Each object is one literal so V8 gives every visitor one shape.

/** The visitor's `attributes` list: the user's attributes, then bot filtering when the datafile sets it. */
export function visitorAttributes(event: UserEvent, context: EventContext) {
  const attribute = (entityId: string, key: string, value: string | number | boolean) => ({
    entity_id: entityId,
    key,
    type: 'custom' as const,
    value,
  });
  const attributes = event.user.attributes.map((a) => attribute(a.entityId, a.key, a.value));
  if (typeof context.botFiltering === 'boolean') {
    attributes.push(attribute(BOT_FILTERING, BOT_FILTERING, context.botFiltering));
  }
  return attributes;
}

/** The snapshot of an impression: its decision and its `campaign_activated` event. */
export function impressionSnapshot(event: ImpressionEvent) {
  const experimentId = event.experiment.id ?? '';
  const campaignId = event.layer.id || experimentId || null;
  const variationId = event.variation.id;
  return {
    decisions: [
      {
        campaign_id: campaignId,
        experiment_id: experimentId,
        variation_id: variationId && DIGITS_ONLY.test(variationId) ? variationId : null,
        metadata: {
          flag_key: event.flagKey,
          rule_key: event.ruleKey,
          rule_type: event.ruleType,
          variation_key: event.variation.key,
          enabled: event.enabled,
          // Absent unless CMAB decided it (JSON.stringify leaves undefined out, as the reference's does).
          cmab_uuid: event.cmabUuid,
        },
      },
    ],
    events: [
      { entity_id: campaignId, timestamp: event.timestamp, key: CAMPAIGN_ACTIVATED, uuid: event.uuid },
    ],
  };
}

interface ConversionWireEvent {
  entity_id: string | null;
  key: string;
  timestamp: number;
  uuid: string;
  tags?: unknown;
  value?: number;
  revenue?: number;
}

/** The snapshot of a conversion: the tracked event. */
export function conversionSnapshot(event: ConversionEvent) {
  const wire: ConversionWireEvent = {
    entity_id: event.event.id,
    key: event.event.key,
    timestamp: event.timestamp,
    uuid: event.uuid,
  };
  // The tags go out whole, `revenue` and `value` included, as the reference sends them.
  if (event.tags) wire.tags = event.tags;
  if (event.value != null) wire.value = event.value;
  if (event.revenue != null) wire.revenue = event.revenue;
  return { events: [wire] };
}

/** The logx batch body (`LogEvent.params`) for events that share one context. */
export interface LogxBatch {
  readonly client_name: string;
  readonly client_version: string;
  readonly account_id: string;
  readonly project_id: string;
  readonly revision: string;
  readonly anonymize_ip: boolean;
  readonly enrich_decisions: true;
  readonly visitors: readonly unknown[];
}

/**
 * Builds the logx batch for `events`, one visitor per event, exactly as Optimizely's JavaScript SDK
 * does. The context (account, revision, client) is the first event's: callers group by context.
 */
export function buildLogxBatch(events: readonly UserEvent[]): LogxBatch {
  return batchOf(events[0]?.context, events.map(visitorOf));
}

/** One visitor of the batch: one event of one user. */
export function visitorOf(event: UserEvent) {
  return {
    snapshots: [event.type === 'impression' ? impressionSnapshot(event) : conversionSnapshot(event)],
    visitor_id: event.user.id,
    attributes: visitorAttributes(event, event.context),
  };
}

/** The batch around `visitors`, with the context's account, project, revision and client. */
export function batchOf(context: EventContext | undefined, visitors: readonly unknown[]): LogxBatch {
  return {
    client_name: context?.clientName ?? '',
    client_version: context?.clientVersion ?? '',
    account_id: context?.accountId ?? '',
    project_id: context?.projectId ?? '',
    revision: context?.revision ?? '',
    anonymize_ip: context?.anonymizeIP ?? false,
    enrich_decisions: true,
    visitors,
  };
}
