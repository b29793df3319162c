import type { Logger, OdpSegmentOption, SegmentsCache } from '@flagkit/core';
import { attempt } from './attempt';
import { errorMessage } from './error-message';
import { type GraphqlSegmentsClient, logSegmentsFetchError } from './graphql-segments-client';
import { isPromise } from './is-promise';
import type { OdpConfig } from './odp-config';
import { SegmentsFetchError } from './segments-fetch-error';
import type { OdpUserKey } from './segments-query';

/** The cache key of a user: `fs_user_id-$-<id>` or `vuid-$-<vuid>`, as Optimizely's. */
export function segmentsCacheKey(userKey: OdpUserKey, userValue: string): string {
  return `${userKey}-$-${userValue}`;
}

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
    if (options?.includes('IGNORE_CACHE')) return this.#request(config, userKey, userValue, key, false);

    let cached: ReturnType<SegmentsCache['lookup']>;
    try {
      cached = this.#cache.lookup(key);
    } catch (error) {
      this.#logCacheFailure('lookup', error);
      cached = undefined;
    }
    if (isPromise(cached)) {
      return cached.then(
        (segments) => (segments ? segments.slice() : this.#shared(config, userKey, userValue, key)),
        (error: unknown) => {
          this.#logCacheFailure('lookup', error);
          return this.#shared(config, userKey, userValue, key);
        },
      );
    }
    // The hot path: a synchronous hit costs one resolved promise and a copy.
    if (cached) return Promise.resolve(cached.slice());
    return this.#shared(config, userKey, userValue, key);
  }

  /** Joins the request already in flight for `key`, or starts one. */
  #shared(config: OdpConfig, userKey: OdpUserKey, userValue: string, key: string): Promise<string[] | null> {
    const pending = this.#inFlight.get(key);
    if (pending) return pending.then((s) => (s ? s.slice() : null));
    const request = this.#request(config, userKey, userValue, key, true);
    this.#inFlight.set(key, request);
    const forget = () => {
      if (this.#inFlight.get(key) === request) this.#inFlight.delete(key);
    };
    request.then(forget, forget);
    return request.then((s) => (s ? s.slice() : null));
  }

  async #request(
    config: OdpConfig,
    userKey: OdpUserKey,
    userValue: string,
    key: string,
    save: boolean,
  ): Promise<string[] | null> {
    const generation = this.#generation;
    let segments: string[];
    try {
      segments = await this.#client.fetchSegments(config, userKey, userValue, config.segmentsToCheck);
    } catch (error) {
      const failure =
        error instanceof SegmentsFetchError
          ? error
          : new SegmentsFetchError('other', String(error), { cause: error });
      logSegmentsFetchError(this.#logger, failure);
      return null;
    }
    if (save && generation === this.#generation) {
      void attempt(
        () => this.#cache.save(key, segments),
        (error) => this.#logCacheFailure('save', error),
      );
    }
    return segments;
  }

  #resetCache(): void {
    this.#generation++;
    void attempt(
      () => this.#cache.reset(),
      (error) => this.#logCacheFailure('reset', error),
    );
  }

  #logCacheFailure(operation: string, error: unknown): void {
    if (this.#logger.isEnabled('error')) {
      this.#logger.log('error', `ODP segments cache ${operation} failed: ${errorMessage(error)}`);
    }
  }
}
