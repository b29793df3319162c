import type { KeyValueStore, Logger } from '@flagkit/core';
import { errorMessage } from './error-message';
import { isPromise } from './is-promise';
import { isVuid, makeVuid, VUID_STORAGE_KEY } from './vuid';

/**
 * Keeps the visitor id (VUID) in a {@link KeyValueStore} so it survives restarts (localStorage in
 * browsers). With a synchronous store the VUID is known as soon as `load` returns. When the store
 * fails, the VUID lives in memory and the failure is logged. When VUIDs are disabled, a stored
 * one is deleted, as Optimizely does.
 */
export class VuidManager {
  #current: string | undefined;
  readonly #enabled: boolean;
  readonly #store: KeyValueStore | undefined;
  readonly #logger: Logger;

  constructor(enabled: boolean, store: KeyValueStore | undefined, logger: Logger) {
    this.#logger = logger;
    this.#store = store;
    this.#enabled = enabled;
  }

  /** The VUID, once loaded; undefined when disabled. */
  get vuid(): string | undefined {
    return this.#current;
  }

  /** Loads or creates the VUID (or deletes a stored one when disabled). Never rejects. */
  load(): void | Promise<void> {
    const store = this.#store;
    if (!this.#enabled) {
      if (store) this.#attempt('delete', () => store.remove(VUID_STORAGE_KEY));
      return;
    }
    if (!store) {
      this.#current = makeVuid();
      return;
    }
    let stored: ReturnType<KeyValueStore['get']>;
    try {
      stored = store.get(VUID_STORAGE_KEY);
    } catch (error) {
      this.#fail('read', error);
      stored = undefined;
    }
    if (isPromise(stored)) {
      return stored.then(
        (value) => this.#adopt(value),
        (error: unknown) => {
          this.#fail('read', error);
          return this.#adopt(undefined);
        },
      );
    }
    return this.#adopt(stored);
  }

  #adopt(stored: string | null | undefined): void | Promise<void> {
    if (isVuid(stored)) {
      this.#current = stored;
      return;
    }
    const vuid = makeVuid();
    this.#current = vuid;
    const store = this.#store as KeyValueStore;
    return this.#attempt('save', () => store.set(VUID_STORAGE_KEY, vuid));
  }

  #attempt(operation: string, run: () => void | Promise<void>): void | Promise<void> {
    try {
      const result = run();
      if (isPromise(result)) return result.catch((error: unknown) => this.#fail(operation, error));
    } catch (error) {
      this.#fail(operation, error);
    }
  }

  #fail(operation: string, error: unknown): void {
    if (this.#logger.isEnabled('warn')) {
      this.#logger.log(
        'warn',
        `VUID ${operation} in the store failed (the VUID is kept in memory): ${errorMessage(error)}`,
      );
    }
  }
}
