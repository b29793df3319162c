import type { KeyValueStore, Logger } from '@flagkit/core';
import { attempt } from './attempt';
import { errorMessage } from './error-message';
import { isPromise } from './is-promise';
import { isVuid, makeVuid, VUID_STORAGE_KEY } from './vuid';

// The visitor id (VUID) kept in a KeyValueStore so it survives restarts (localStorage in browsers).
// With a synchronous store the VUID is known as soon as `loadVuid` returns. When the store fails,
// the VUID lives in memory and the failure is logged. When VUIDs are disabled, a stored one is
// deleted, as Optimizely does.

/**
 * Reads the stored VUID, or makes a new one and stores it. `use` receives the VUID as soon as it
 * is known (a new one before it is saved). The promise, for an asynchronous store, settles once
 * the VUID is read and saved; it never rejects.
 */
export function loadVuid(
  store: KeyValueStore | undefined,
  logger: Logger,
  use: (vuid: string) => void,
): void | Promise<void> {
  const adopt = (stored: string | null | undefined): void | Promise<void> => {
    if (isVuid(stored)) return use(stored);
    const vuid = makeVuid();
    use(vuid);
    if (store) {
      return attempt(() => store.set(VUID_STORAGE_KEY, vuid), failed(logger, 'save'));
    }
  };
  // An unreadable store counts as one without a VUID.
  const stored = store && attempt(() => store.get(VUID_STORAGE_KEY), failed(logger, 'read'));
  return isPromise(stored) ? stored.then(adopt) : adopt(stored);
}

/** Deletes a stored VUID (VUIDs are disabled). Never throws; a failure is logged. */
export function deleteVuid(store: KeyValueStore, logger: Logger): void {
  void attempt(() => store.remove(VUID_STORAGE_KEY), failed(logger, 'delete'));
}

/** Logs a failed store `operation`; the VUID then lives in memory. */
function failed(logger: Logger, operation: string): (error: unknown) => void {
  return (error) =>
    logger.log(
      'warn',
      `VUID ${operation} in the store failed (the VUID is kept in memory): ${errorMessage(error)}`,
    );
}
