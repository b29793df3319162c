import { ConfigError } from '../errors/config-error';
import { noopLogger } from '../logging/create-logger';
import type { Logger, LogLevel } from '../ports/logger';
import type { ProjectConfigManager } from '../ports/project-config-manager';
import type { Requester } from '../ports/requester';
import {
  type ConfigSource,
  createConfigManager,
  describeError,
  parseDatafile,
} from './config-manager-lifecycle';

const DEFAULT_URL_TEMPLATE = 'https://cdn.optimizely.com/datafiles/%s.json';
const DEFAULT_AUTH_URL_TEMPLATE = 'https://config.optimizely.com/datafiles/auth/%s.json';
const DEFAULT_UPDATE_INTERVAL_MS = 300_000;
const MIN_RECOMMENDED_UPDATE_INTERVAL_MS = 30_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
const DEFAULT_INITIAL_BACKOFF_MS = 1_000;
const MAX_JITTER_MS = 500;
// Larger delays overflow the 32-bit timer of most hosts and fire at once.
const MAX_TIMER_MS = 2_147_483_647;
const CACHE_KEY_PREFIX = 'optimizely-datafile-';

/**
 * A string key-value store for the last fetched datafile (localStorage, AsyncStorage, a KV
 * binding...). Either method may be synchronous or return a promise; failures are logged, never
 * fatal.
 */
export interface DatafileCache {
  get(key: string): Promise<string | undefined> | string | undefined;
  set(key: string, value: string): Promise<void> | void;
}

/** Options for {@link createPollingConfigManager}. */
export interface PollingConfigManagerOptions {
  /** The environment's sdk key; it names the datafile on the CDN. */
  readonly sdkKey: string;
  /** The HTTP port used for every datafile request. */
  readonly requester: Requester;
  /** A datafile to start from (JSON text or object). A valid one makes the manager ready at once. */
  readonly datafile?: string | object;
  /** Token for authenticated datafiles: switches the default URL and sends `Authorization: Bearer`. */
  readonly datafileAccessToken?: string;
  /**
   * The datafile URL, `%s` standing for the sdk key. Default
   * `https://cdn.optimizely.com/datafiles/%s.json`, or with a token
   * `https://config.optimizely.com/datafiles/auth/%s.json`.
   */
  readonly urlTemplate?: string;
  /** Time between polls; default 300 000 ms. Below 30 000 ms a warning is logged, but it is honoured. */
  readonly updateIntervalMs?: number;
  /** Keep polling after the first successful fetch; default true. */
  readonly autoUpdate?: boolean;
  /** Per-request timeout handed to the requester; default 60 000 ms. */
  readonly requestTimeoutMs?: number;
  /** Extra request headers. FlagKit's own `Authorization` and `If-Modified-Since` take precedence. */
  readonly customHeaders?: Readonly<Record<string, string>>;
  readonly logger?: Logger;
  /** Where the last fetched datafile is kept, under the key `optimizely-datafile-<sdkKey>`. */
  readonly cache?: DatafileCache;
  /** First retry delay after a failed fetch, doubled per failure up to `updateIntervalMs`; default 1000 ms. */
  readonly initialBackoffMs?: number;
  /**
   * How many times a failed fetch is retried before the first config arrives; then `onReady()`
   * rejects with `ConfigError('fetch-failed')`. Default undefined: retry forever, as Optimizely does.
   */
  readonly maxInitRetries?: number;
}

/**
 * A config manager that polls the Optimizely CDN for the datafile.
 *
 * - `start()` parses `datafile` (if any), reads the cache and fetches at once; whichever valid
 *   datafile arrives first makes `onReady()` resolve.
 * - Polls are conditional GETs (`If-Modified-Since`); 304 means unchanged. A datafile whose
 *   `revision` differs from the current one replaces it and is passed to `onUpdate` listeners
 *   (the first config included).
 * - Failures back off exponentially (`initialBackoffMs` doubling, capped at `updateIntervalMs`,
 *   plus jitter of up to half the delay and at most 500 ms), then the normal interval resumes.
 * - 401/403 rejects `onReady()` with `ConfigError('invalid-sdk-key')` and stops polling. An
 *   invalid fetched datafile rejects it with `'invalid-datafile'` before ready (and stops
 *   polling); after ready it is logged and the current config kept.
 * - Timers are unref'd, so they never keep a Node process alive. Nothing here throws, and a
 *   rejected `onReady()` nobody listens to is never reported as unhandled.
 */
export function createPollingConfigManager(options: PollingConfigManagerOptions): ProjectConfigManager {
  const { sdkKey, requester, datafile, cache, updateIntervalMs: requestedIntervalMs } = options;
  const logger = options.logger ?? noopLogger;
  const log = (level: LogLevel, message: string): void => {
    if (logger.isEnabled(level)) logger.log(level, message);
  };
  const token = options.datafileAccessToken;
  const urlTemplate = options.urlTemplate ?? (token ? DEFAULT_AUTH_URL_TEMPLATE : DEFAULT_URL_TEMPLATE);
  const url = urlTemplate.replace('%s', encodeURIComponent(sdkKey));
  const updateIntervalMs = positiveOr(requestedIntervalMs, DEFAULT_UPDATE_INTERVAL_MS);
  if (requestedIntervalMs !== undefined && requestedIntervalMs !== updateIntervalMs)
    log('warn', `updateIntervalMs ${requestedIntervalMs} is invalid; using ${updateIntervalMs} ms.`);
  else if (updateIntervalMs < MIN_RECOMMENDED_UPDATE_INTERVAL_MS)
    log(
      'warn',
      `Polling for the datafile every ${updateIntervalMs} ms; intervals below 30000 ms are not recommended.`,
    );
  const autoUpdate = options.autoUpdate ?? true;
  const requestTimeoutMs = positiveOr(options.requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS);
  const initialBackoffMs = positiveOr(options.initialBackoffMs, DEFAULT_INITIAL_BACKOFF_MS);
  const cacheKey = CACHE_KEY_PREFIX + sdkKey;

  // True while fetches may run; cleared by stop() and by anything that ends polling for good.
  let polling = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastModified: string | undefined;
  let consecutiveFailures = 0;
  // What went wrong last, for the message when bounded startup retries run out.
  let lastFailure = '';
  let initRetriesLeft = options.maxInitRetries;
  // Once the network has spoken, an older cached datafile must not overwrite its answer.
  let fetchedOnce = false;

  const haltPolling = (): void => {
    polling = false;
    clearTimeout(timer);
  };

  const cacheFailed = (action: string, error: unknown): void =>
    log('warn', `${action} the datafile cache failed: ${describeError(error)}`);

  /** What start() does: the provided datafile, the cache, then the first fetch. */
  const begin: ConfigSource = (install, fail) => {
    /** Records a failed fetch, to be retried; after stop() there is nothing to say. */
    const fetchFailed = (reason: string): false => {
      lastFailure = reason;
      if (polling) log('warn', `Fetching the datafile from ${url} failed: ${reason}`);
      return false;
    };

    /** One request: true when it succeeded (a datafile, or 304), false when it is to be retried. */
    const fetchOnce = async (): Promise<boolean> => {
      try {
        const headers: Record<string, string> = { ...options.customHeaders };
        if (token) headers.Authorization = `Bearer ${token}`;
        if (lastModified !== undefined) headers['If-Modified-Since'] = lastModified;
        const response = await requester.request({
          url,
          method: 'GET',
          headers,
          timeoutMs: requestTimeoutMs,
        });
        const { status } = response;
        if (!polling) return false;
        if (status === 401 || status === 403) {
          haltPolling();
          fail(
            new ConfigError(
              'invalid-sdk-key',
              `The CDN refused the datafile for sdk key "${sdkKey}" with HTTP ${status}; check the sdk key` +
                `${token ? ' and the datafile access token' : ''}.`,
            ),
          );
          return false;
        }
        if (status === 304) {
          fetchedOnce = true;
          return true;
        }
        if (status < 200 || status > 399) return fetchFailed(`HTTP ${status}`);
        const body = await response.text();
        if (!polling) return false;
        fetchedOnce = true;
        const parsed = parseDatafile(body, 'fetched', logger);
        if (parsed instanceof ConfigError) {
          // At startup a broken datafile on the CDN is fatal, as in Optimizely; later the
          // current config stays.
          if (manager.getConfig()) log('error', parsed.message);
          else {
            haltPolling();
            fail(parsed);
          }
          return true;
        }
        // Only a usable datafile counts as "what we have" for conditional requests.
        lastModified = response.headers.get('last-modified') ?? undefined;
        // Promise.resolve().then turns a synchronous throw into a rejection we can catch.
        if (cache)
          Promise.resolve()
            .then(() => cache.set(cacheKey, body))
            .catch((error: unknown) => cacheFailed('Writing', error));
        install(parsed);
        return true;
      } catch (error) {
        return fetchFailed(describeError(error));
      }
    };

    const poll = async (): Promise<void> => {
      const succeeded = await fetchOnce();
      if (!polling) return;
      if (succeeded) {
        consecutiveFailures = 0;
        if (autoUpdate) schedule(updateIntervalMs);
        else haltPolling();
      } else if (manager.getConfig() === null && initRetriesLeft !== undefined && initRetriesLeft-- <= 0) {
        haltPolling();
        fail(
          new ConfigError(
            'fetch-failed',
            `Could not fetch the datafile for sdk key "${sdkKey}" from ${url} (last error: ${lastFailure}).`,
          ),
        );
      } else {
        const backoffMs = Math.min(initialBackoffMs * 2 ** consecutiveFailures++, updateIntervalMs);
        // Jitter spreads retries of many clients; half the delay at most so backoff still grows.
        schedule(backoffMs + Math.random() * Math.min(MAX_JITTER_MS, backoffMs / 2));
      }
    };

    const schedule = (delayMs: number): void => {
      timer = setTimeout(poll, Math.min(delayMs, MAX_TIMER_MS));
      (timer as { unref?: () => void }).unref?.();
    };

    const readCache = async (datafileCache: DatafileCache): Promise<void> => {
      try {
        const cached = await datafileCache.get(cacheKey);
        // Too late once stopped or failed, or once the CDN has answered.
        if (typeof cached !== 'string' || !polling || fetchedOnce) return;
        const parsed = parseDatafile(cached, 'cached', logger);
        if (parsed instanceof ConfigError) log('warn', `${parsed.message}; waiting for the CDN.`);
        else install(parsed);
      } catch (error) {
        cacheFailed('Reading', error);
      }
    };

    if (datafile != null) {
      const parsed = parseDatafile(datafile, 'provided', logger);
      if (parsed instanceof ConfigError) log('error', `${parsed.message}; waiting for the CDN.`);
      else install(parsed);
    }
    if (!sdkKey) {
      // Nothing to poll: the provided datafile is all there will ever be.
      if (manager.getConfig() === null) {
        fail(
          datafile
            ? new ConfigError(
                'invalid-datafile',
                'The provided datafile is invalid and no sdk key was given.',
              )
            : new ConfigError('no-datafile', 'Neither an sdk key nor a datafile was provided.'),
        );
      }
      return;
    }
    if (cache) void readCache(cache);
    polling = true;
    void poll();
  };
  const manager = createConfigManager(logger, begin, haltPolling);
  return manager;
}

function positiveOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
