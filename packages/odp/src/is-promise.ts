/** Whether a port's result is a promise (ports may answer synchronously or asynchronously). */
export function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
