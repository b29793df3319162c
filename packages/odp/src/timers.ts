/**
 * Timers that never keep the process alive: Node returns a handle with `unref`, other hosts a
 * number (where there is nothing to keep alive). Stop one with `clearTimeout`.
 */
export function startTimer(callback: () => void, ms: number): unknown {
  const handle = setTimeout(callback, ms);
  (handle as { unref?: () => void }).unref?.();
  return handle;
}

/** Resolves after `ms` milliseconds, on an unref'd timer. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => void startTimer(resolve, ms));
}
