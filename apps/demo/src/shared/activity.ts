// What the stand-in services received, in order: the page's live feed and the e2e test's evidence.

/** A batch logx received, summarized per event. */
export interface LogxEntry {
  readonly kind: 'logx';
  readonly events: readonly {
    readonly visitorId: string;
    /** `campaign_activated` for impressions, else the conversion's event key. */
    readonly key: string;
    /** For impressions: flag, rule and variation keys. */
    readonly flagKey?: string;
    readonly ruleKey?: string;
    readonly variationKey?: string;
    readonly tags?: Readonly<Record<string, unknown>>;
  }[];
  readonly clientName: string;
}

/** One GraphQL segments query ODP answered. */
export interface OdpSegmentsEntry {
  readonly kind: 'odp-segments';
  readonly userKey: string;
  readonly userValue: string;
  readonly subset: readonly string[];
  /** The qualified segments answered, or null when the customer is unknown. */
  readonly qualified: readonly string[] | null;
}

/** One batch of events ODP received. */
export interface OdpEventsEntry {
  readonly kind: 'odp-events';
  readonly events: readonly {
    readonly type: string;
    readonly action: string;
    readonly identifiers: Readonly<Record<string, string>>;
    readonly data: Readonly<Record<string, unknown>>;
  }[];
}

/** A new datafile revision the CDN serves. */
export interface DatafileEntry {
  readonly kind: 'datafile';
  readonly revision: string;
  readonly change: string;
}

export type ActivityEntry = (LogxEntry | OdpSegmentsEntry | OdpEventsEntry | DatafileEntry) & {
  readonly seq: number;
  readonly at: string;
};

type NewEntry = LogxEntry | OdpSegmentsEntry | OdpEventsEntry | DatafileEntry;

/** Keeps the latest entries (bounded) and tells subscribers about each new one. */
export class ActivityLog {
  private readonly entries: ActivityEntry[] = [];
  private readonly listeners = new Set<(entry: ActivityEntry) => void>();
  private seq = 0;

  constructor(private readonly capacity = 500) {}

  add(entry: NewEntry): ActivityEntry {
    const stamped = { ...entry, seq: ++this.seq, at: new Date().toISOString() } as ActivityEntry;
    this.entries.push(stamped);
    if (this.entries.length > this.capacity) this.entries.shift();
    for (const listener of this.listeners) listener(stamped);
    return stamped;
  }

  all(): readonly ActivityEntry[] {
    return this.entries;
  }

  /** Calls `listener` for each new entry; returns the unsubscribe function. */
  subscribe(listener: (entry: ActivityEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
