import { isPromise } from './is-promise';

/**
 * Runs a port operation that may answer synchronously or asynchronously, passing a failure of
 * either kind to `onError` instead of throwing or rejecting: the result is then undefined. The
 * result is a promise when the operation returned one.
 */
export function attempt<T>(
  run: () => T | Promise<T>,
  onError: (error: unknown) => void,
): T | undefined | Promise<T | undefined> {
  try {
    const result = run();
    // onError returns nothing, so a failure resolves to undefined.
    return isPromise(result) ? (result.then(undefined, onError) as Promise<T | undefined>) : result;
  } catch (error) {
    onError(error);
  }
}
