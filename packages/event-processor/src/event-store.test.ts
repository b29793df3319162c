import type { KeyValueStore } from '@flagkit/core';
import { describe, expect, it } from 'vitest';
import { makeConversion, makeImpression } from '../test-support/events';
import { createKeyValueEventStore, createStoreId, EventStoreFullError } from './event-store';

/** An async store, to check that a remove never overtakes its save. */
class SlowStore implements KeyValueStore {
  readonly data = new Map<string, string>();
  async get(key: string) {
    return this.data.get(key);
  }
  async set(key: string, value: string) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.data.set(key, value);
  }
  async remove(key: string) {
    this.data.delete(key);
  }
  async keys() {
    return [...this.data.keys()];
  }
}

describe('createKeyValueEventStore', () => {
  it('saves under its prefix and loads oldest first', async () => {
    const kv = new SlowStore();
    kv.data.set('other:key', 'not ours');
    const store = createKeyValueEventStore(kv, { prefix: 'ev:' });
    const older = makeImpression({ timestamp: 1000 });
    const newer = makeConversion({ timestamp: 2000 });
    await store.save(createStoreId(newer), newer);
    await store.save(createStoreId(older), older);
    expect([...kv.data.keys()].filter((k) => k.startsWith('ev:'))).toHaveLength(2);
    const loaded = await store.load();
    expect(loaded.map((s) => s.event)).toEqual([older, newer]);
  });

  it('a remove issued right after a save wins, even on an async store', async () => {
    const kv = new SlowStore();
    const store = createKeyValueEventStore(kv);
    const event = makeImpression();
    const id = createStoreId(event);
    const saved = store.save(id, event);
    const removed = store.remove(id);
    await Promise.all([saved, removed]);
    expect(kv.data.size).toBe(0);
  });

  it('refuses events beyond maxSize with EventStoreFullError', async () => {
    const store = createKeyValueEventStore(new SlowStore(), { maxSize: 1 });
    await store.save('a', makeImpression());
    await expect(store.save('b', makeImpression())).rejects.toBeInstanceOf(EventStoreFullError);
  });

  it('discards expired and unreadable entries on load', async () => {
    const kv = new SlowStore();
    let now = 0;
    const store = createKeyValueEventStore(kv, { ttlMs: 1000, now: () => now });
    await store.save('a', makeImpression());
    now = 500;
    await store.save('b', makeImpression());
    kv.data.set('flagkit_event:c', '{not json');
    kv.data.set('flagkit_event:d', JSON.stringify({ storedAt: 0, event: { type: 'x' } }));
    now = 1200;
    const fresh = createKeyValueEventStore(kv, { ttlMs: 1000, now: () => now });
    expect((await fresh.load()).map((s) => s.id)).toEqual(['b']);
    expect([...kv.data.keys()]).toEqual(['flagkit_event:b']);
  });

  it('keeps only entries shaped like events', async () => {
    const kv = new SlowStore();
    const shape = { type: 'conversion', uuid: 'u', timestamp: 1, context: {}, user: { attributes: [] } };
    const entries: Record<string, unknown> = {
      a: null,
      b: 'text',
      c: { event: null },
      d: { event: 5 },
      e: { event: { ...shape, user: null } },
      f: { event: { ...shape, user: [] } },
      g: { event: { ...shape, user: { attributes: {} } } },
      h: { event: { ...shape, context: null } },
      i: { event: { ...shape, timestamp: '1' } },
      j: { event: { ...shape, type: 'impression' } },
      k: { event: shape },
    };
    for (const [id, entry] of Object.entries(entries))
      kv.data.set(`flagkit_event:${id}`, JSON.stringify(entry));
    const store = createKeyValueEventStore(kv, { now: () => 0 });
    expect((await store.load()).map((s) => s.id)).toEqual(['j', 'k']);
  });

  it('store ids sort chronologically', () => {
    const ids = [5, 1_000, 1_700_000_000_000].map((t) => createStoreId(makeImpression({ timestamp: t })));
    expect([...ids].sort()).toEqual(ids);
  });
});
