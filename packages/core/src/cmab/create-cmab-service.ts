import { murmurhash3 } from '../bucketing/murmurhash3';
import type { ProjectConfig } from '../config/project-config';
import { CmabError } from '../errors/cmab-error';
import { noopLogger } from '../logging/create-logger';
import type { CmabCache } from '../ports/cmab-cache';
import type { CmabDecision, CmabFetchOptions, CmabService, CmabUser } from '../ports/cmab-service';
import type { Logger } from '../ports/logger';
import type { Requester } from '../ports/requester';
import { setOwnProperty } from '../util/set-own-property';
import { uuidV4 } from '../util/uuid';
import { DEFAULT_CMAB_PREDICTION_ENDPOINT, fetchCmabPrediction } from './fetch-cmab-prediction';
import { InMemoryCmabCache } from './in-memory-cmab-cache';

/** Options of {@link createCmabService}. */
export interface CmabServiceOptions {
  /** The HTTP port the predictions are asked through. */
  readonly requester: Requester;
  /** The prediction URL; `%s` becomes the rule id. Default: Optimizely's prediction service. */
  readonly predictionEndpointTemplate?: string;
  /** Per request, reading the answer included. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Where predictions are kept. Default: in memory, 10 000 entries for 30 minutes each. */
  readonly cache?: CmabCache;
  /** Size of the default cache (ignored with `cache`). */
  readonly cacheSize?: number;
  /** Lifetime of the default cache's entries in ms (ignored with `cache`). */
  readonly cacheTtlMs?: number;
  readonly logger?: Logger;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The default {@link CmabService}, which behaves as Optimizely's: a prediction is cached per user
 * and rule, with a hash of the attributes it was made for, and asked again when they change. Only
 * the attributes the rule lists (`cmab.attributeIds`) are sent, keyed by attribute id. Calls for the
 * same user and rule run one after another, so concurrent decisions share one request.
 */
export function createCmabService(options: CmabServiceOptions): CmabService {
  const cache = options.cache ?? new InMemoryCmabCache(options.cacheSize, options.cacheTtlMs);
  const logger = options.logger ?? noopLogger;
  const endpointTemplate = options.predictionEndpointTemplate ?? DEFAULT_CMAB_PREDICTION_ENDPOINT;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // The latest call per cache key: the next one for that key waits for it.
  const running = new Map<string, Promise<unknown>>();

  const debug = (message: string) => {
    if (logger.isEnabled('debug')) logger.log('debug', message);
  };

  const predict = async (ruleId: string, userId: string, attributes: Record<string, unknown>) => {
    const cmabUuid = uuidV4();
    const variationId = await fetchCmabPrediction({
      requester: options.requester,
      endpointTemplate,
      timeoutMs,
      ruleId,
      userId,
      attributes,
      cmabUuid,
    });
    return { variationId, cmabUuid };
  };

  const decide = async (
    config: ProjectConfig,
    user: CmabUser,
    ruleId: string,
    fetchOptions: CmabFetchOptions,
    key: string,
  ): Promise<CmabDecision> => {
    const userId = user.userId;
    const attributes = ruleAttributes(config, user, ruleId);
    if (fetchOptions.ignoreCache) {
      debug(`CMAB: asking for user "${userId}" and rule ${ruleId} without the cache.`);
      return predict(ruleId, userId, attributes);
    }
    if (fetchOptions.resetCache) await cache.reset();
    if (fetchOptions.invalidateUserCache) await cache.remove(key);
    const cached = await cache.lookup(key);
    // The same hash as Optimizely's (murmurhash seed 0 over JSON with sorted keys), so a cache
    // shared with its SDK stays valid.
    const attributesHash = String(murmurhash3(JSON.stringify(attributes, Object.keys(attributes).sort()), 0));
    if (cached) {
      if (cached.attributesHash === attributesHash) {
        debug(`CMAB: cache hit for user "${userId}" and rule ${ruleId}.`);
        return { variationId: cached.variationId, cmabUuid: cached.cmabUuid };
      }
      debug(`CMAB: attributes changed for user "${userId}" and rule ${ruleId}; asking again.`);
      await cache.remove(key);
    } else {
      debug(`CMAB: cache miss for user "${userId}" and rule ${ruleId}.`);
    }
    const decision = await predict(ruleId, userId, attributes);
    await cache.save(key, { attributesHash, ...decision });
    return decision;
  };

  return {
    getDecision(config, user, ruleId, fetchOptions) {
      const key = cacheKey(user.userId, ruleId);
      const previous = running.get(key);
      const call = previous
        ? previous.then(
            () => decide(config, user, ruleId, fetchOptions, key),
            () => decide(config, user, ruleId, fetchOptions, key),
          )
        : decide(config, user, ruleId, fetchOptions, key);
      running.set(key, call);
      const forget = () => {
        if (running.get(key) === call) running.delete(key);
      };
      call.then(forget, forget);
      return call;
    },
  };
}

/** Optimizely's cache key: the user id's length first, so no two (user, rule) pairs collide. */
function cacheKey(userId: string, ruleId: string): string {
  return `${userId.length}-${userId}-${ruleId}`;
}

/**
 * The user's values of the attributes the rule lists, keyed by attribute id, in the rule's order;
 * attributes the user lacks are left out.
 */
function ruleAttributes(config: ProjectConfig, user: CmabUser, ruleId: string): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  const ids = config.experimentsById.get(ruleId)?.cmab?.attributeIds ?? [];
  for (const id of ids) {
    const attribute = config.attributesById.get(id);
    if (!attribute)
      throw new CmabError(
        'unknown-attribute',
        `CMAB rule ${ruleId} uses attribute id ${id}, which the datafile lacks.`,
      );
    if (Object.hasOwn(user.attributes, attribute.key))
      setOwnProperty(attributes, id, user.attributes[attribute.key]);
  }
  return attributes;
}
