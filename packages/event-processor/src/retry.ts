import type { DispatchResponse } from '@flagkit/core';

/** What to do after one dispatch attempt. */
export type DispatchOutcome = 'success' | 'retry' | 'drop';

/**
 * Classifies an attempt. Success: 2xx–3xx, or no status at all (dispatchers written for
 * Optimizely's SDK may resolve `{}`). Retryable: no response (the promise rejected: network
 * error, timeout), 5xx, 408 and 429. Every other status (4xx) is dropped: resending cannot help.
 */
export function classifyResponse(response: DispatchResponse | undefined): DispatchOutcome {
  const status = response?.statusCode;
  if (status === undefined || (status >= 200 && status < 400)) return 'success';
  if (status >= 500 || status === 408 || status === 429) return 'retry';
  return 'drop';
}

/** Exponential backoff between attempts. */
export interface BackoffOptions {
  /** First delay; default 200 ms. */
  readonly initialMs: number;
  /** Cap on the delay before jitter; default 1000 ms. */
  readonly maxMs: number;
  /** Up to this many random ms are added, so clients that failed together don't retry together. */
  readonly jitterMs: number;
}

/** The default backoff: 200, 400, 800, 1000 ms, each plus up to 50 ms of jitter. */
export const DEFAULT_BACKOFF: BackoffOptions = Object.freeze({ initialMs: 200, maxMs: 1000, jitterMs: 50 });

/** The delay before retry number `retry` (1 for the first retry). */
export function backoffDelay(
  retry: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** (retry - 1));
  return base + Math.floor(random() * options.jitterMs);
}

/** `setTimeout` that never keeps a Node process alive; returns the handle for `clearTimeout`. */
export function startTimer(callback: () => void, ms: number): unknown {
  const handle = setTimeout(callback, ms) as { unref?: () => void };
  handle.unref?.();
  return handle;
}

/** A wait that can be ended early; `cancel()` clears its timer so nothing it holds is retained. */
export interface Sleep {
  readonly done: Promise<void>;
  cancel(): void;
}

/**
 * Resolves `done` after `ms` without keeping a Node process alive. Cancellable: long waits (the
 * close timeout) must not pin their closures.
 */
export function sleep(ms: number): Sleep {
  let handle: unknown;
  let finish!: () => void; // set by the executor, which runs at once
  const done = new Promise<void>((resolve) => {
    finish = resolve;
    handle = startTimer(resolve, ms);
  });
  return {
    done,
    cancel() {
      clearTimeout(handle);
      finish();
    },
  };
}
