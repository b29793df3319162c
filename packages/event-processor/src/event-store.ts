import { FlagKitError, type KeyValueStore, type Logger, noopLogger, type UserEvent } from '@flagkit/core';

/** A pending event as the store returns it. */
export interface StoredEvent {
  /** The store id the processor gave it (sorts chronologically). */
  readonly id: string;
  readonly event: UserEvent;
}

/**
 * Durable pending events, so none are lost when the network is down or the process restarts:
 * localStorage in browsers, a file or Redis on servers. Every method may be sync or async.
 *
 * The processor saves each event before it is sent, removes it once logx has it (or has rejected
 * it for good), and on start sends whatever a previous run left behind.
 */
export interface EventStore {
  /** Keeps `event` under `id`. May reject (e.g. {@link EventStoreFullError}); the event then stays in memory only. */
  save(id: string, event: UserEvent): void | Promise<void>;
  remove(id: string): void | Promise<void>;
  /** Every stored, unexpired event, oldest first. */
  load(): readonly StoredEvent[] | Promise<readonly StoredEvent[]>;
}

/** Thrown by a store that holds `maxSize` events. */
export class EventStoreFullError extends FlagKitError {
  constructor(maxSize: number) {
    super('EVENT_STORE_FULL', `The event store holds its maximum of ${maxSize} events.`);
    this.name = 'EventStoreFullError';
  }
}

let sequence = 0;

/**
 * A store id for `event`: its timestamp and a rolling counter in fixed-width base 36 (so ids sort
 * chronologically as strings), then `run` (the processor's run token, so a processor can tell its
 * own events from an earlier run's) and the uuid (so ids never collide).
 */
export function createStoreId(event: UserEvent, run = ''): string {
  sequence = (sequence + 1) % 1_679_616; // 36^4
  const time = Math.max(0, event.timestamp).toString(36).padStart(9, '0');
  return `${time}${sequence.toString(36).padStart(4, '0')}_${run}_${event.uuid}`;
}

/** Whether `id` was made by {@link createStoreId} with this `run` token. */
export function isStoreIdOfRun(id: string, run: string): boolean {
  return id.includes(`_${run}_`);
}

/** Options of {@link createKeyValueEventStore}. */
export interface KeyValueEventStoreOptions {
  /** Namespace of the store's keys; default `flagkit_event:`. */
  readonly prefix?: string;
  /** Most events held; default 500. */
  readonly maxSize?: number;
  /** Events older than this are discarded on load; default 10 days. */
  readonly ttlMs?: number;
  readonly logger?: Logger;
  /** The clock (for tests); default `Date.now`. */
  readonly now?: () => number;
}

interface StoredRecord {
  readonly storedAt: number;
  readonly event: UserEvent;
}

const TEN_DAYS_MS = 10 * 24 * 60 * 60 * 1000;

/** Whether a parsed JSON value looks like a stored event (JSON holds no functions, so `?.` suffices). */
function isUserEvent(value: unknown): value is UserEvent {
  const event = value as Partial<UserEvent> | null | undefined;
  return (
    (event?.type === 'impression' || event?.type === 'conversion') &&
    typeof event.uuid === 'string' &&
    typeof event.timestamp === 'number' &&
    typeof event.context === 'object' &&
    event.context !== null &&
    Array.isArray(event.user?.attributes)
  );
}

/**
 * An {@link EventStore} on any {@link KeyValueStore}: each event is one JSON value under
 * `prefix + id`. Unreadable and expired entries are removed on load (logged).
 */
export function createKeyValueEventStore(
  store: KeyValueStore,
  options: KeyValueEventStoreOptions = {},
): EventStore {
  const prefix = typeof options.prefix === 'string' ? options.prefix : 'flagkit_event:';
  const maxSize =
    typeof options.maxSize === 'number' && options.maxSize >= 1 ? Math.floor(options.maxSize) : 500;
  const ttlMs = typeof options.ttlMs === 'number' && options.ttlMs > 0 ? options.ttlMs : TEN_DAYS_MS;
  const logger = options.logger ?? noopLogger;
  const now = options.now ?? Date.now;
  /** Our ids currently in the store, read once from `keys()`. */
  let knownIds: Promise<Set<string>> | undefined;
  /** The latest write per id, so a remove never overtakes its save on an async store. */
  const writes = new Map<string, Promise<unknown>>();

  const readIds = (): Promise<Set<string>> =>
    (knownIds ??= Promise.resolve(store.keys()).then(
      (keys) => {
        const ids = new Set<string>();
        for (const key of keys) if (key.startsWith(prefix)) ids.add(key.slice(prefix.length));
        return ids;
      },
      (error: unknown) => {
        logger.log('error', `Event store: could not list keys: ${String(error)}`);
        return new Set<string>();
      },
    ));

  /** Runs `write` for `id` after the previous write for `id` settled, with the known ids. */
  const chain = (id: string, write: (ids: Set<string>) => Promise<void>): Promise<void> => {
    const operation = async () => write(await readIds());
    const previous = writes.get(id);
    const next = (previous ? previous.then(operation, operation) : operation()).finally(() => {
      if (writes.get(id) === next) writes.delete(id);
    });
    writes.set(id, next);
    return next;
  };

  const remove = (id: string): Promise<void> =>
    chain(id, async (ids) => {
      ids.delete(id);
      await store.remove(prefix + id);
    });

  /** Removes an entry `load` will not return, with a warning that says why. */
  const discard = (id: string, what: string): Promise<void> => {
    logger.log('warn', `Event store: discarding ${what}.`);
    return remove(id).catch(() => {});
  };

  return {
    save: (id, event) =>
      chain(id, async (ids) => {
        if (!ids.has(id) && ids.size >= maxSize) throw new EventStoreFullError(maxSize);
        ids.add(id);
        const record: StoredRecord = { storedAt: now(), event };
        await store.set(prefix + id, JSON.stringify(record));
      }),
    remove,
    async load() {
      const ids = [...(await readIds())].sort();
      const events: StoredEvent[] = [];
      const loadedAt = now();
      for (const id of ids) {
        let record: Partial<StoredRecord> | null | undefined;
        try {
          // A missing entry parses to null (or throws, for undefined): unreadable either way.
          record = JSON.parse((await store.get(prefix + id)) as string);
        } catch {
          // Unreadable: discarded below.
        }
        if (!isUserEvent(record?.event)) await discard(id, `unreadable entry ${id}`);
        else if (loadedAt - (typeof record.storedAt === 'number' ? record.storedAt : loadedAt) > ttlMs)
          await discard(id, `event ${record.event.uuid}, older than its TTL`);
        else events.push({ id, event: record.event });
      }
      return events;
    },
  };
}
