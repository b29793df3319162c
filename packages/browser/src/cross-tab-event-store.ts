import type { KeyValueStore, Logger, UserEvent } from '@flagkit/core';
import type { EventStore, StoredEvent } from '@flagkit/event-processor';

/** Options of {@link createCrossTabEventStore}. */
export interface CrossTabEventStoreOptions {
  /** How often a live tab renews its heartbeat; default 10 000 ms. */
  readonly heartbeatMs?: number;
  /**
   * A tab whose heartbeat is older than this is taken for closed and its events may be claimed;
   * default 180 000 ms (background tabs' timers can be throttled to once a minute).
   */
  readonly staleAfterMs?: number;
  readonly logger?: Logger;
  /** The clock (for tests); default `Date.now`. */
  readonly now?: () => number;
}

/** An {@link EventStore} that also says which tab it speaks for. */
export interface CrossTabEventStore extends EventStore {
  readonly tabId: string;
  /** Stops the heartbeat and marks this tab gone, so the next page can send its events at once. */
  release(): void;
  /** Marks this tab alive again (a page restored from the back/forward cache). */
  resume(): void;
}

const OWNER_PREFIX = 'flagkit_event_owner:';
const TAB_PREFIX = 'flagkit_tab:';
const LOCK_NAME = 'flagkit-event-store';

interface LockManagerLike {
  /** Runs `callback` holding the lock; resolves with what it resolved with, once the lock is released. */
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/**
 * Makes an event store shared by several tabs (one localStorage per origin) safe: each event
 * records the tab that holds it, each live tab keeps a heartbeat, and `load()` hands a starting
 * tab only the events of tabs that are gone, claiming them under a Web Lock so two tabs starting
 * together never both take the same event. Without this, every tab would resend every other live
 * tab's pending events.
 */
export function createCrossTabEventStore(
  inner: EventStore,
  kv: KeyValueStore,
  options: CrossTabEventStoreOptions = {},
): CrossTabEventStore {
  const now = options.now ?? Date.now;
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const staleAfterMs = options.staleAfterMs ?? 180_000;
  const tabId = `${now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  let timer: unknown;

  const beat = () => {
    void kv.set(TAB_PREFIX + tabId, String(now()));
  };
  const startHeartbeat = () => {
    beat();
    clearInterval(timer as number);
    timer = setInterval(beat, heartbeatMs);
    (timer as { unref?: () => void }).unref?.();
  };
  startHeartbeat();

  const isAlive = async (owner: string | null | undefined): Promise<boolean> => {
    if (!owner) return false;
    if (owner === tabId) return true;
    const seen = Number(await kv.get(TAB_PREFIX + owner));
    return Number.isFinite(seen) && now() - seen < staleAfterMs;
  };

  const claim = async (): Promise<StoredEvent[]> => {
    const all = await inner.load();
    const mine: StoredEvent[] = [];
    for (const stored of all) {
      if (await isAlive(await kv.get(OWNER_PREFIX + stored.id))) continue;
      await kv.set(OWNER_PREFIX + stored.id, tabId);
      mine.push(stored);
    }
    // Heartbeats of closed tabs and owner marks of expired events are garbage by now.
    const ids = new Set(all.map((stored) => stored.id));
    for (const key of await kv.keys()) {
      const garbage = key.startsWith(TAB_PREFIX)
        ? !(await isAlive(key.slice(TAB_PREFIX.length)))
        : key.startsWith(OWNER_PREFIX) && !ids.has(key.slice(OWNER_PREFIX.length));
      if (garbage) await kv.remove(key);
    }
    return mine;
  };

  return {
    tabId,
    async save(id: string, event: UserEvent) {
      await kv.set(OWNER_PREFIX + id, tabId);
      await inner.save(id, event);
    },
    async remove(id: string) {
      await inner.remove(id);
      await kv.remove(OWNER_PREFIX + id);
    },
    load() {
      const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
      return locks ? locks.request(LOCK_NAME, claim) : claim();
    },
    release() {
      clearInterval(timer as number);
      void kv.remove(TAB_PREFIX + tabId);
    },
    resume() {
      startHeartbeat();
    },
  };
}
