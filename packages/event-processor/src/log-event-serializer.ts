import type { EventContext, ImpressionEvent, UserEvent, VisitorAttribute } from '@flagkit/core';
import {
  batchOf,
  conversionSnapshot,
  impressionSnapshot,
  visitorAttributes,
  visitorOf,
} from './log-event-builder';

// Writes exactly `JSON.stringify(buildLogxBatch(events))` without building the batch object.
// Most of a visitor's text repeats: the user's attributes (core shares one frozen array per user
// context), the decision (per flag, rule and variation) and the batch head (per context). Those
// fragments are written once by JSON.stringify and cached; only the uuid, timestamp and user id
// are written per event. Anything unexpected (a custom event of another shape) takes the plain
// JSON.stringify path for that visitor, so the text is always the same.

/** @internal A cached piece of JSON text, and its UTF-8 bytes once a byte body needed them. */
export interface Fragment {
  readonly text: string;
  bytes: Uint8Array | undefined;
}

/** The head of a batch, up to the opening bracket of its visitors, by (frozen) context. */
const heads = new WeakMap<EventContext, Fragment>();

/** @internal */
export function headOf(context: EventContext | undefined): Fragment {
  if (context === undefined) return { text: head(undefined), bytes: undefined };
  let fragment = heads.get(context);
  if (fragment === undefined) {
    fragment = { text: head(context), bytes: undefined };
    if (Object.isFrozen(context)) heads.set(context, fragment);
  }
  return fragment;
}

function head(context: EventContext | undefined): string {
  const text = JSON.stringify(batchOf(context, []));
  return text.slice(0, -2); // drop the visitors' `]}`
}

/** An attributes list's JSON with the bot-filtering attribute of one context. */
interface AttributesText extends Fragment {
  readonly botFiltering: boolean | undefined;
}

const attributeTexts = new WeakMap<readonly VisitorAttribute[], AttributesText>();

/** @internal */
export function attributesOf(event: UserEvent): Fragment {
  const list = event.user.attributes;
  const botFiltering = event.context.botFiltering;
  const cached = attributeTexts.get(list);
  if (cached !== undefined && cached.botFiltering === botFiltering) return cached;
  const fragment: AttributesText = {
    botFiltering,
    text: JSON.stringify(visitorAttributes(event, event.context)),
    bytes: undefined,
  };
  if (isImmutable(list)) attributeTexts.set(list, fragment);
  return fragment;
}

/** Only a list that can never change may be cached by identity: frozen, of frozen primitive-valued items. */
function isImmutable(list: readonly VisitorAttribute[]): boolean {
  if (!Object.isFrozen(list)) return false;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (typeof item !== 'object' || item === null || !Object.isFrozen(item)) return false;
    const value = item.value as unknown;
    if (typeof value === 'object' && value !== null) return false;
  }
  return true;
}

/**
 * An impression's snapshot text up to its timestamp, and the decision it was written for. Kept on
 * the event's variation object when it is frozen (core shares one per variation), checked field by
 * field on use.
 */
interface DecisionText extends Fragment {
  readonly layerId: string | null;
  readonly experimentId: string | null;
  readonly variationId: string | null;
  readonly variationKey: string;
  readonly flagKey: string;
  readonly ruleKey: string;
  readonly ruleType: string;
  readonly enabled: boolean;
}

/** Per variation object, the few decisions seen with it (a holdout's variation serves every flag). */
const decisionTexts = new WeakMap<object, DecisionText[]>();
const MAX_DECISIONS_PER_VARIATION = 64;

function isDecisionOf(entry: DecisionText, event: ImpressionEvent): boolean {
  return (
    entry.flagKey === event.flagKey &&
    entry.enabled === event.enabled &&
    entry.ruleKey === event.ruleKey &&
    entry.variationKey === event.variation.key &&
    entry.variationId === event.variation.id &&
    entry.experimentId === event.experiment.id &&
    entry.layerId === event.layer.id &&
    entry.ruleType === event.ruleType
  );
}

/** @internal */
export function decisionOf(event: ImpressionEvent): Fragment {
  const variation = event.variation;
  let entries = decisionTexts.get(variation);
  if (entries !== undefined) {
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (isDecisionOf(entry, event)) return entry;
    }
  }
  const text = decisionPrefix(event);
  // Only core's shared (frozen) projections are worth a cache entry; a variation object per event
  // (a copy, an event from the store) would only fill the cache.
  if (!Object.isFrozen(variation)) return { text, bytes: undefined };
  if (entries === undefined || entries.length >= MAX_DECISIONS_PER_VARIATION) {
    entries = [];
    decisionTexts.set(variation, entries);
  }
  const entry: DecisionText = {
    layerId: event.layer.id,
    experimentId: event.experiment.id,
    variationId: variation.id,
    variationKey: variation.key,
    flagKey: event.flagKey,
    ruleKey: event.ruleKey,
    ruleType: event.ruleType,
    enabled: event.enabled,
    text,
    bytes: undefined,
  };
  entries.push(entry);
  return entry;
}

/** `{"decisions":[…],"events":[{"entity_id":…,"timestamp":`: the snapshot before the timestamp. */
function decisionPrefix(event: ImpressionEvent): string {
  const snapshot = impressionSnapshot(event);
  const decisions = JSON.stringify({ decisions: snapshot.decisions });
  return `${decisions.slice(0, -1)},"events":[{"entity_id":${JSON.stringify(snapshot.events[0]!.entity_id)},"timestamp":`;
}

/** Whether the fast path writes this event exactly as JSON.stringify would; else it takes the plain path. */
/** @internal */
export function isPlainImpression(event: UserEvent): event is ImpressionEvent {
  return (
    event.type === 'impression' &&
    event.cmabUuid === undefined &&
    typeof event.uuid === 'string' &&
    typeof event.timestamp === 'number' &&
    Number.isFinite(event.timestamp) &&
    typeof event.user?.id === 'string' &&
    typeof event.variation === 'object' &&
    event.variation !== null &&
    typeof event.variation.key === 'string' &&
    (typeof event.variation.id === 'string' || event.variation.id === null) &&
    typeof event.experiment?.key === 'string' &&
    (typeof event.experiment.id === 'string' || event.experiment.id === null) &&
    (typeof event.layer?.id === 'string' || event.layer?.id === null) &&
    typeof event.flagKey === 'string' &&
    typeof event.ruleKey === 'string' &&
    typeof event.ruleType === 'string' &&
    typeof event.enabled === 'boolean' &&
    Array.isArray(event.user.attributes) &&
    typeof event.context === 'object'
  );
}

/** Whether the fast path writes this conversion exactly as JSON.stringify would. */
/** @internal */
export function isPlainConversion(event: UserEvent): boolean {
  return (
    event.type === 'conversion' &&
    typeof event.user?.id === 'string' &&
    Array.isArray(event.user.attributes) &&
    typeof event.context === 'object'
  );
}

function visitorText(event: UserEvent): string {
  if (isPlainImpression(event)) {
    return `{"snapshots":[${decisionOf(event).text}${event.timestamp},"key":"campaign_activated","uuid":${JSON.stringify(event.uuid)}}]}],"visitor_id":${JSON.stringify(event.user.id)},"attributes":${attributesOf(event).text}}`;
  }
  if (isPlainConversion(event)) {
    return `{"snapshots":[${JSON.stringify(conversionSnapshot(event))}],"visitor_id":${JSON.stringify(event.user.id)},"attributes":${attributesOf(event).text}}`;
  }
  return JSON.stringify(visitorOf(event));
}

/**
 * The logx batch for `events` as JSON text: the same text as `JSON.stringify(buildLogxBatch(events))`.
 * Throws where that throws (a BigInt or a cycle in the tags).
 */
export function serializeLogxBatch(events: readonly UserEvent[]): string {
  let text = headOf(events[0]?.context).text;
  for (let i = 0; i < events.length; i++) {
    if (i > 0) text += ',';
    text += visitorText(events[i]!);
  }
  return `${text}]}`;
}
