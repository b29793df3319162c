import { describe, expect, it } from 'vitest';
import { createLocalStorageStore, type WebStorageLike } from './local-storage-store';

/** A Web Storage stand-in that can start throwing, as blocked or full storage does. */
function fakeStorage(): WebStorageLike & { failing: boolean; data: Map<string, string> } {
  const data = new Map<string, string>();
  const fake = {
    failing: false,
    data,
    get length() {
      if (fake.failing) throw new Error('SecurityError');
      return data.size;
    },
    key(index: number) {
      if (fake.failing) throw new Error('SecurityError');
      return [...data.keys()][index] ?? null;
    },
    getItem(key: string) {
      if (fake.failing) throw new Error('SecurityError');
      return data.get(key) ?? null;
    },
    setItem(key: string, value: string) {
      if (fake.failing) throw new Error('QuotaExceededError');
      data.set(key, value);
    },
    removeItem(key: string) {
      if (fake.failing) throw new Error('SecurityError');
      data.delete(key);
    },
  };
  return fake;
}

const messages: string[] = [];
const logger = { isEnabled: () => true, log: (_level: string, message: string) => messages.push(message) };

describe('given a localStorage store', () => {
  it('reads and writes through to storage while it works', async () => {
    const storage = fakeStorage();
    const store = createLocalStorageStore({ storage });
    await store.set('a', '1');
    await store.set('b', '2');
    await store.remove('a');
    expect(await store.get('b')).toBe('2');
    expect(await store.get('a')).toBeNull();
    expect(await store.keys()).toEqual(['b']);
    expect(storage.data.get('b')).toBe('2');
    expect(store.persistent).toBe(true);
  });

  it('falls back to memory when storage starts throwing, and keeps working', async () => {
    messages.length = 0;
    const storage = fakeStorage();
    const store = createLocalStorageStore({ storage, logger });
    await store.set('kept', 'before');
    storage.failing = true;
    await store.set('x', 'after');
    expect(store.persistent).toBe(false);
    expect(await store.get('x')).toBe('after');
    expect(await store.keys()).toContain('x');
    await store.remove('x');
    expect(await store.get('x')).toBeNull();
    expect(messages.filter((m) => m.includes('localStorage is unavailable'))).toHaveLength(1);
  });

  it('keeps what storage held when a write fails but reads still work', async () => {
    const storage = fakeStorage();
    const store = createLocalStorageStore({ storage });
    await store.set('kept', 'v');
    storage.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    await store.set('new', 'w');
    expect(await store.get('kept')).toBe('v');
    expect(await store.get('new')).toBe('w');
  });

  it('works in memory when there is no localStorage at all', async () => {
    const store = createLocalStorageStore();
    expect(store.persistent).toBe(false);
    await store.set('k', 'v');
    expect(await store.get('k')).toBe('v');
  });

  it('treats a localStorage getter that throws as blocked storage', async () => {
    const holder = globalThis as { localStorage?: unknown };
    Object.defineProperty(holder, 'localStorage', {
      configurable: true,
      get() {
        throw new Error('SecurityError: access denied');
      },
    });
    try {
      const store = createLocalStorageStore();
      await store.set('k', 'v');
      expect(await store.get('k')).toBe('v');
      expect(store.persistent).toBe(false);
    } finally {
      delete holder.localStorage;
    }
  });
});
