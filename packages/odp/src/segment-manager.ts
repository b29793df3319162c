import type { Logger, OdpSegmentOption, SegmentsCache } from '@flagkit/core';
import { attempt } from './attempt';
import { errorMessage } from './error-message';
import type { GraphqlSegmentsClient } from './graphql-segments-client';
import { isPromise } from './is-promise';
import type { OdpConfig } from './odp-config';
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
  #config: OdpConfig | null = null;
  readonly #inFlight = new Map<string, Promise<string[] | null>>();
  /** Bumped by every reset, so a request started before one cannot fill the cache after it. */
  #generation = 0;
  readonly #cache: SegmentsCache;
  readonly #client: GraphqlSegmentsClient;
  readonly #logger: Logger;
  readonly #lookupFailed = (error: unknown) => this.#logCacheFailure('lookup', error);

  constructor(cache: SegmentsCache, client: GraphqlSegmentsClient, logger: Logger) {
    this.#logger = logger;
    this.#client = client;
    this.#cache = cache;
  }

  updateConfig(config: OdpConfig | null): void {
    this.#config = config;
    this.#inFlight.clear();
    this.#resetCache();
  }

  /**
   * The user's qualified segments, or null when they cannot be had (logged). Not integrated
   * gives null; no segments to check gives [] without a request.
   */
  fetchQualifiedSegments(
    userKey: OdpUserKey,
    userValue: string,
    options?: readonly OdpSegmentOption[],
  ): Promise<string[] | null> {
    const config = this.#config;
    if (config === null) {
      this.#logger.log('warn', 'ODP is not integrated: fetchQualifiedSegments failed.');
      return Promise.resolve(null);
    }
    if (config.segmentsToCheck.length === 0) return Promise.resolve([]);
    if (options?.includes('RESET_CACHE')) this.#resetCache();
    const key = segmentsCacheKey(userKey, userValue);
    if (options?.includes('IGNORE_CACHE')) return this.#request(config, userKey, userValue);

    // A failing cache counts as a miss.
    const cached = attempt(() => this.#cache.lookup(key), this.#lookupFailed);
    if (isPromise(cached)) {
      return cached.then((segments) => copyOf(segments) ?? this.#shared(config, userKey, userValue, key));
    }
    // The hot path: a synchronous hit costs one resolved promise and a copy.
    if (cached) return Promise.resolve(cached.slice());
    return this.#shared(config, userKey, userValue, key);
  }

  /** Joins the request already in flight for `key`, or starts one whose answer is cached. */
  #shared(config: OdpConfig, userKey: OdpUserKey, userValue: string, key: string): Promise<string[] | null> {
    let request = this.#inFlight.get(key);
    if (!request) {
      const generation = this.#generation;
      const started = this.#request(config, userKey, userValue).then((segments) => {
        if (this.#inFlight.get(key) === started) this.#inFlight.delete(key);
        if (segments && generation === this.#generation) {
          void attempt(
            () => this.#cache.save(key, segments),
            (error) => this.#logCacheFailure('save', error),
          );
        }
        return segments;
      });
      this.#inFlight.set(key, started);
      request = started;
    }
    return request.then(copyOf);
  }

  /** The segments ODP gives, or null when the fetch failed (logged). Never rejects. */
  async #request(config: OdpConfig, userKey: OdpUserKey, userValue: string): Promise<string[] | null> {
    try {
      return await this.#client.fetchSegments(config, userKey, userValue, config.segmentsToCheck);
    } catch (error) {
      // A classified SegmentsFetchError, whose message starts like the reference's.
      this.#logger.log('error', errorMessage(error));
      return null;
    }
  }

  #resetCache(): void {
    this.#generation++;
    void attempt(
      () => this.#cache.reset(),
      (error) => this.#logCacheFailure('reset', error),
    );
  }

  #logCacheFailure(operation: string, error: unknown): void {
    this.#logger.log('error', `ODP segments cache ${operation} failed: ${errorMessage(error)}`);
  }
}
