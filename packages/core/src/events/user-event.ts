import type { DecisionSource } from '../decision/decision-source';

/**
 * What identifies the batch an event can join: events share a logx request only when their
 * contexts are equal (see `areEventContextsEqual`).
 */
export interface EventContext {
  readonly accountId: string;
  readonly projectId: string;
  readonly revision: string;
  readonly clientName: string;
  readonly clientVersion: string;
  readonly anonymizeIP: boolean;
  /** The datafile's `botFiltering`, when it is a boolean. */
  readonly botFiltering: boolean | undefined;
  /** `US` or `EU`: selects the logx host. */
  readonly region: string;
}

/** A user attribute as sent to logx: only datafile attributes and `$opt_` keys, valid values only. */
export interface VisitorAttribute {
  /** The datafile attribute id, or the key itself for `$opt_` attributes. */
  readonly entityId: string;
  readonly key: string;
  readonly value: string | number | boolean;
}

interface BaseEvent {
  /** UUID v4, unique per event: the logx deduplication key. */
  readonly uuid: string;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly context: EventContext;
  readonly user: { readonly id: string; readonly attributes: readonly VisitorAttribute[] };
}

/** A decision that was shown to a user. */
export interface ImpressionEvent extends BaseEvent {
  readonly type: 'impression';
  /** Campaign (layer) id; `''` for holdouts, null without an experiment. */
  readonly layer: { readonly id: string | null };
  readonly experiment: { readonly id: string | null; readonly key: string };
  readonly variation: { readonly id: string | null; readonly key: string };
  readonly ruleKey: string;
  /** `''` for the legacy `activate` API. */
  readonly flagKey: string;
  readonly ruleType: DecisionSource;
  readonly enabled: boolean;
  readonly cmabUuid?: string;
}

/** Values an event tag may hold. */
export type EventTagValue = string | number | boolean | null | Readonly<Record<string, unknown>>;

/** Tags passed to `track`/`trackEvent`; `revenue` (integer cents) and `value` (float) are special. */
export type EventTags = Readonly<Record<string, EventTagValue>>;

/** A conversion recorded by `track`. */
export interface ConversionEvent extends BaseEvent {
  readonly type: 'conversion';
  readonly event: { readonly id: string | null; readonly key: string };
  /** From the `revenue` tag: base-10 integer; null when absent or not finite. */
  readonly revenue: number | null;
  /** From the `value` tag: a float; null when absent or not finite. */
  readonly value: number | null;
  /** All tags as given (null values removed), including `revenue` and `value`. */
  readonly tags: EventTags | undefined;
}

/** What core hands to the event processor. */
export type UserEvent = ImpressionEvent | ConversionEvent;

/** Whether two events may share one logx batch. */
export function areEventContextsEqual(a: UserEvent, b: UserEvent): boolean {
  const x = a.context;
  const y = b.context;
  return (
    (x.region || 'US') === (y.region || 'US') &&
    x.accountId === y.accountId &&
    x.projectId === y.projectId &&
    x.clientName === y.clientName &&
    x.clientVersion === y.clientVersion &&
    x.revision === y.revision &&
    x.anonymizeIP === y.anonymizeIP &&
    x.botFiltering === y.botFiltering
  );
}
