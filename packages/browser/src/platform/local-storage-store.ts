import type { KeyValueStore, Logger } from '@flagkit/core';

/** The part of the Web Storage API the store uses (localStorage, sessionStorage or a fake). */
export interface WebStorageLike {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Options for {@link createLocalStorageStore}. */
export interface LocalStorageStoreOptions {
  /** The storage to use; default `globalThis.localStorage`, read once. */
  readonly storage?: WebStorageLike;
  readonly logger?: Logger;
}

/** A {@link KeyValueStore} that says whether it still reaches real storage. */
export interface LocalStorageStore extends KeyValueStore {
  /** False once storage was missing or threw: the store then keeps working in memory. */
  readonly persistent: boolean;
}

/**
 * A {@link KeyValueStore} over localStorage that never throws. Blocked storage (a SecurityError on
 * access, private modes, a full quota, a sandboxed iframe) switches it to an in-memory map that keeps
 * what was stored so far, so the SDK goes on deciding and delivering events; the switch is logged once.
 */
export function createLocalStorageStore(options: LocalStorageStoreOptions = {}): LocalStorageStore {
  const memory = new Map<string, string>();
  let storage: WebStorageLike | undefined;
  try {
    storage = options.storage ?? (globalThis as { localStorage?: WebStorageLike }).localStorage;
  } catch (error) {
    warn(options.logger, error);
  }

  /** `onStorage` while the real storage works; once it threw, `inMemory` on what could be saved. */
  const use = <T>(onStorage: (storage: WebStorageLike) => T, inMemory: () => T): T => {
    if (storage) {
      try {
        return onStorage(storage);
      } catch (error) {
        const failed = storage;
        storage = undefined;
        // Keep what the real storage held, as far as it can still be read.
        try {
          for (const key of keysOf(failed)) {
            const value = memory.has(key) ? null : failed.getItem(key);
            if (value !== null) memory.set(key, value);
          }
        } catch {
          // Unreadable too: memory holds only what is written from now on.
        }
        warn(options.logger, error);
      }
    }
    return inMemory();
  };

  return {
    get persistent() {
      return storage !== undefined;
    },
    get: (key) =>
      use(
        (real) => real.getItem(key),
        () => memory.get(key) ?? null,
      ),
    set: (key, value) =>
      use(
        (real) => real.setItem(key, value),
        () => void memory.set(key, value),
      ),
    remove: (key) =>
      use(
        (real) => real.removeItem(key),
        () => void memory.delete(key),
      ),
    keys: () => use(keysOf, () => [...memory.keys()]),
  };
}

/** Every key of `storage`, in its order. */
function keysOf(storage: WebStorageLike): string[] {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key !== null) keys.push(key);
  }
  return keys;
}

function warn(logger: Logger | undefined, error: unknown): void {
  if (logger?.isEnabled('warn')) {
    const reason = error instanceof Error ? error.message : String(error ?? 'localStorage is not available');
    logger.log('warn', `localStorage is unavailable (${reason}); FlagKit keeps its data in memory instead.`);
  }
}
