import { isPromise } from './is-promise';

/**
 * Runs a port operation that may answer synchronously or asynchronously, passing a failure of
 * either kind to `onError` instead of throwing or rejecting. The promise, when the operation
 * returned one, settles once it has.
 */
export function attempt(run: () => unknown, onError: (error: unknown) => void): void | Promise<void> {
  try {
    const result = run();
    if (isPromise(result)) return result.then(undefined, onError);
  } catch (error) {
    onError(error);
  }
}
