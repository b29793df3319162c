import type { Logger, OdpSegmentOption, SegmentsCache } from '@flagkit/core';
import { attempt } from './attempt';
import { errorMessage } from './error-message';
import type { GraphqlSegmentsClient } from './graphql-segments-client';
import { isPromise } from './is-promise';
import { NO_ODP_CONFIG, ODP_NOT_INTEGRATED, type OdpConfig } from './odp-config';
import type { OdpUserKey } from './segments-query';

/** The cache key of a user: `fs_user_id-$-<id>` or `vuid-$-<vuid>`, as Optimizely's. */
export function segmentsCacheKey(userKey: OdpUserKey, userValue: string): string {
  return `${userKey}-$-${userValue}`;
}

/** Each caller gets its own array, so none can change what the cache or another caller holds. */
const copyOf = (segments: readonly string[] | null | undefined): string[] | null =>
  segments ? segments.slice() : null;

/**
 * Fetches users' qualified segments through a cache. Concurrent fetches for the same user share
 * one request. A new config resets the cache and forgets requests made under the old one.
 */
export class SegmentManager {
  /** undefined until the first datafile; null when it does not integrate ODP. */
  #config: OdpConfig | null | undefined;
  /**
   * Requests in flight, by cache key. A reset forgets them: one started before it then neither
   * fills the cache after it nor answers fetches made after it.
   */
  readonly #inFlight = new Map<string, Promise<string[] | null>>();
  readonly #cache: SegmentsCache;
  readonly #client: GraphqlSegmentsClient;
  readonly #logger: Logger;
  /** Made once: a lookup is the hot path. */
  readonly #lookupFailed = this.#cacheFailed('lookup');

  constructor(cache: SegmentsCache, client: GraphqlSegmentsClient, logger: Logger) {
    this.#logger = logger;
    this.#client = client;
    this.#cache = cache;
  }

  updateConfig(config: OdpConfig | null): void {
    this.#config = config;
    this.#reset();
  }

  /**
   * The user's qualified segments, or null when they cannot be had (logged). No config yet or
   * not integrated gives null; no segments to check gives [] without a request.
   */
  fetchQualifiedSegments(
    userKey: OdpUserKey,
    userValue: string,
    options?: readonly OdpSegmentOption[],
  ): Promise<string[] | null> {
    const config = this.#config;
    if (!config) {
      this.#logger.log(
        'warn',
        `${config === null ? ODP_NOT_INTEGRATED : NO_ODP_CONFIG}: fetchQualifiedSegments failed.`,
      );
      return Promise.resolve(null);
    }
    if (config.segmentsToCheck.length === 0) return Promise.resolve([]);
    if (options?.includes('RESET_CACHE')) this.#reset();
    if (options?.includes('IGNORE_CACHE')) return this.#fetch(config, userKey, userValue);

    const key = segmentsCacheKey(userKey, userValue);
    // A failing cache counts as a miss.
    const cached = attempt(() => this.#cache.lookup(key), this.#lookupFailed);
    if (isPromise(cached))
      return cached.then((segments) => copyOf(segments) ?? this.#shared(config, userKey, userValue, key));
    // The hot path: a synchronous hit costs one resolved promise and a copy.
    return cached ? Promise.resolve(cached.slice()) : this.#shared(config, userKey, userValue, key);
  }

  /** Joins the request already in flight for `key`, or starts one whose answer is cached. */
  #shared(config: OdpConfig, userKey: OdpUserKey, userValue: string, key: string): Promise<string[] | null> {
    let request = this.#inFlight.get(key);
    if (!request) {
      const started = this.#fetch(config, userKey, userValue).then((segments) => {
        if (this.#inFlight.get(key) === started) {
          this.#inFlight.delete(key);
          if (segments) {
            void attempt(() => this.#cache.save(key, segments), this.#cacheFailed('save'));
          }
        }
        return segments;
      });
      this.#inFlight.set(key, started);
      request = started;
    }
    return request.then(copyOf);
  }

  /** The user's segments from ODP, or null when the fetch failed (logged). Never rejects. */
  #fetch(config: OdpConfig, userKey: OdpUserKey, userValue: string): Promise<string[] | null> {
    return this.#client
      .fetchSegments(config, userKey, userValue, config.segmentsToCheck)
      .catch((error: unknown) => {
        // A classified SegmentsFetchError, whose message starts like the reference's.
        this.#logger.log('error', errorMessage(error));
        return null;
      });
  }

  /** Empties the cache and forgets the requests in flight. */
  #reset(): void {
    this.#inFlight.clear();
    void attempt(() => this.#cache.reset(), this.#cacheFailed('reset'));
  }

  /** Logs a failed cache `operation` (the cache is then skipped). */
  #cacheFailed(operation: string): (error: unknown) => void {
    return (error) =>
      this.#logger.log('error', `ODP segments cache ${operation} failed: ${errorMessage(error)}`);
  }
}
