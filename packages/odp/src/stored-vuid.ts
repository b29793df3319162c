import type { KeyValueStore, Logger } from '@flagkit/core';
import { attempt } from './attempt';
import { errorMessage } from './error-message';
import { isPromise } from './is-promise';
import { isVuid, makeVuid, VUID_STORAGE_KEY } from './vuid';

// The visitor id (VUID) kept in a KeyValueStore so it survives restarts (localStorage in browsers).
// With a synchronous store the VUID is known as soon as `startVuid` returns. When the store fails,
// the VUID lives in memory and the failure is logged.

/**
 * With VUIDs enabled, reads the stored VUID, or makes a new one and stores it: `use` receives the
 * VUID as soon as it is known (a new one before it is saved), and the promise, for an asynchronous
 * store, settles once the VUID is read and saved. Disabled, a stored VUID is deleted, as
 * Optimizely does. Never throws nor rejects.
 */
export function startVuid(
  enabled: boolean,
  store: KeyValueStore | undefined,
  logger: Logger,
  use: (vuid: string) => void,
): void | Promise<void> {
  if (!enabled) {
    if (store) void attempt(() => store.remove(VUID_STORAGE_KEY), failed(logger, 'delete'));
    return;
  }
  const adopt = (stored: string | null | undefined): void | Promise<void> => {
    if (isVuid(stored)) return use(stored);
    const vuid = makeVuid();
    use(vuid);
    return store && attempt(() => store.set(VUID_STORAGE_KEY, vuid), failed(logger, 'save'));
  };
  // An unreadable store counts as one without a VUID.
  const stored = store && attempt(() => store.get(VUID_STORAGE_KEY), failed(logger, 'read'));
  return isPromise(stored) ? stored.then(adopt) : adopt(stored);
}

/** Logs a failed store `operation`; the VUID then lives in memory. */
function failed(logger: Logger, operation: string): (error: unknown) => void {
  return (error) =>
    logger.log(
      'warn',
      `VUID ${operation} in the store failed (the VUID is kept in memory): ${errorMessage(error)}`,
    );
}
