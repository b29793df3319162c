import { ConfigError } from '../errors/config-error';
import { noopLogger } from '../logging/create-logger';
import type { Logger, LogLevel } from '../ports/logger';
import type { ProjectConfigManager } from '../ports/project-config-manager';
import type { HttpResponse, Requester } from '../ports/requester';
import { createProjectConfig } from './create-project-config';
import type { ProjectConfig } from './project-config';

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

type PollOutcome = 'success' | 'failure' | 'halt';

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
  const { sdkKey, requester } = options;
  const logger = options.logger ?? noopLogger;
  const log = (level: LogLevel, message: string): void => {
    if (logger.isEnabled(level)) logger.log(level, message);
  };
  const token = options.datafileAccessToken;
  const urlTemplate = options.urlTemplate ?? (token ? DEFAULT_AUTH_URL_TEMPLATE : DEFAULT_URL_TEMPLATE);
  const url = urlTemplate.replace('%s', encodeURIComponent(sdkKey));
  const updateIntervalMs = resolveUpdateInterval(options.updateIntervalMs, log);
  const autoUpdate = options.autoUpdate ?? true;
  const requestTimeoutMs = positiveOr(options.requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS);
  const initialBackoffMs = positiveOr(options.initialBackoffMs, DEFAULT_INITIAL_BACKOFF_MS);
  const cacheKey = CACHE_KEY_PREFIX + sdkKey;

  const listeners = new Set<(config: ProjectConfig) => void>();
  let config: ProjectConfig | null = null;
  let state: 'new' | 'started' | 'stopped' = 'new';
  // True while fetches may run; cleared by stop() and by anything that ends polling for good.
  let polling = false;
  let timer: unknown;
  let lastModified: string | undefined;
  let consecutiveFailures = 0;
  // What went wrong last, for the message when bounded startup retries run out.
  let lastFailure = '';
  let initRetriesLeft = options.maxInitRetries;
  // Once the network has spoken, an older cached datafile must not overwrite its answer.
  let fetchedOnce = false;

  let settled = false;
  let resolveReady!: () => void;
  let rejectReady!: (error: ConfigError) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // Callers who never ask for onReady() must not get an unhandled rejection.
  ready.catch(() => {});

  const fail = (error: ConfigError): void => {
    if (settled) return;
    settled = true;
    rejectReady(error);
  };

  const parse = (input: string | object, source: string): ProjectConfig | ConfigError => {
    try {
      return createProjectConfig(input, { logger });
    } catch (cause) {
      return new ConfigError('invalid-datafile', `The ${source} datafile is invalid: ${describe(cause)}`, {
        cause,
      });
    }
  };

  const install = (next: ProjectConfig): void => {
    if (config !== null && config.revision === next.revision) return;
    config = next;
    if (!settled) {
      settled = true;
      resolveReady();
    }
    for (const listener of [...listeners]) {
      try {
        listener(next);
      } catch (error) {
        log('error', `A config update listener threw: ${describe(error)}`);
      }
    }
  };

  const haltPolling = (): void => {
    polling = false;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  const schedule = (delayMs: number): void => {
    timer = setTimeout(
      () => {
        timer = undefined;
        void poll();
      },
      Math.min(delayMs, MAX_TIMER_MS),
    );
    (timer as { unref?: () => void }).unref?.();
  };

  const backoffDelay = (failures: number): number => {
    const base = Math.min(initialBackoffMs * 2 ** (failures - 1), updateIntervalMs);
    // Jitter spreads retries of many clients; half the delay at most so backoff still grows.
    return base + Math.random() * Math.min(MAX_JITTER_MS, base / 2);
  };

  const readCache = async (cache: DatafileCache): Promise<void> => {
    let cached: string | undefined;
    try {
      cached = await cache.get(cacheKey);
    } catch (error) {
      log('warn', `Reading the cached datafile failed: ${describe(error)}`);
      return;
    }
    // Too late: stopped, failed, or the CDN has already answered.
    const failed = settled && config === null;
    if (typeof cached !== 'string' || state !== 'started' || failed || fetchedOnce) return;
    const parsed = parse(cached, 'cached');
    if (parsed instanceof ConfigError) log('warn', `${parsed.message}; waiting for the CDN.`);
    else install(parsed);
  };

  const writeCache = (cache: DatafileCache, datafileText: string): void => {
    // Promise.resolve().then turns a synchronous throw into a rejection we can catch.
    Promise.resolve()
      .then(() => cache.set(cacheKey, datafileText))
      .catch((error: unknown) => log('warn', `Writing the datafile cache failed: ${describe(error)}`));
  };

  const fetchOnce = async (): Promise<PollOutcome> => {
    const headers: Record<string, string> = { ...options.customHeaders };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (lastModified !== undefined) headers['If-Modified-Since'] = lastModified;
    let response: HttpResponse;
    let body: string;
    try {
      response = await requester.request({ url, method: 'GET', headers, timeoutMs: requestTimeoutMs });
      if (!polling) return 'halt';
      const { status } = response;
      if (status === 401 || status === 403) {
        const error = new ConfigError(
          'invalid-sdk-key',
          `The CDN refused the datafile for sdk key "${sdkKey}" with HTTP ${status}; check the sdk key` +
            `${token ? ' and the datafile access token' : ''}.`,
        );
        log('error', error.message);
        fail(error);
        return 'halt';
      }
      if (status === 304) {
        fetchedOnce = true;
        return 'success';
      }
      if (status < 200 || status > 399) {
        lastFailure = `HTTP ${status}`;
        log('warn', `Fetching the datafile from ${url} failed with HTTP ${status}.`);
        return 'failure';
      }
      body = await response.text();
      if (!polling) return 'halt';
    } catch (error) {
      if (!polling) return 'halt';
      lastFailure = describe(error);
      log('warn', `Fetching the datafile from ${url} failed: ${lastFailure}`);
      return 'failure';
    }
    fetchedOnce = true;
    const parsed = parse(body, 'fetched');
    if (parsed instanceof ConfigError) {
      log('error', parsed.message);
      if (config === null) {
        // Startup with a broken datafile on the CDN is fatal, as in Optimizely.
        fail(parsed);
        return 'halt';
      }
      return 'success';
    }
    // Only a usable datafile counts as "what we have" for conditional requests.
    lastModified = response.headers.get('last-modified') ?? undefined;
    if (options.cache) writeCache(options.cache, body);
    install(parsed);
    return 'success';
  };

  const poll = async (): Promise<void> => {
    let outcome: PollOutcome;
    try {
      outcome = await fetchOnce();
    } catch (error) {
      // Defensive: fetchOnce handles its own failures, but a poll must never reject unobserved.
      log('error', `Unexpected error while polling for the datafile: ${describe(error)}`);
      outcome = 'failure';
    }
    if (!polling) return;
    if (outcome === 'halt') {
      haltPolling();
    } else if (outcome === 'success') {
      consecutiveFailures = 0;
      if (autoUpdate) schedule(updateIntervalMs);
      else haltPolling();
    } else if (config === null && initRetriesLeft !== undefined && initRetriesLeft <= 0) {
      haltPolling();
      fail(
        new ConfigError(
          'fetch-failed',
          `Could not fetch the datafile for sdk key "${sdkKey}" from ${url} (last error: ${lastFailure}).`,
        ),
      );
    } else {
      if (config === null && initRetriesLeft !== undefined) initRetriesLeft--;
      consecutiveFailures++;
      schedule(backoffDelay(consecutiveFailures));
    }
  };

  return {
    start() {
      if (state !== 'new') return;
      state = 'started';
      if (options.datafile !== undefined && options.datafile !== null) {
        const parsed = parse(options.datafile, 'provided');
        if (parsed instanceof ConfigError) log('error', `${parsed.message}; waiting for the CDN.`);
        else install(parsed);
      }
      if (!sdkKey) {
        // Nothing to poll: the provided datafile is all there will ever be.
        if (config === null) {
          const error = options.datafile
            ? new ConfigError(
                'invalid-datafile',
                'The provided datafile is invalid and no sdk key was given.',
              )
            : new ConfigError('no-datafile', 'Neither an sdk key nor a datafile was provided.');
          log('error', error.message);
          fail(error);
        }
        return;
      }
      if (options.cache) void readCache(options.cache);
      polling = true;
      void poll();
    },
    onReady: () => ready,
    getConfig: () => config,
    onUpdate(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    stop() {
      if (state === 'stopped') return Promise.resolve();
      state = 'stopped';
      haltPolling();
      fail(new ConfigError('stopped', 'The config manager was stopped before a config was available.'));
      return Promise.resolve();
    },
  };
}

function resolveUpdateInterval(
  value: number | undefined,
  log: (level: LogLevel, message: string) => void,
): number {
  if (value === undefined) return DEFAULT_UPDATE_INTERVAL_MS;
  if (!Number.isFinite(value) || value <= 0) {
    log('warn', `updateIntervalMs ${value} is invalid; using ${DEFAULT_UPDATE_INTERVAL_MS} ms.`);
    return DEFAULT_UPDATE_INTERVAL_MS;
  }
  if (value < MIN_RECOMMENDED_UPDATE_INTERVAL_MS) {
    log('warn', `Polling for the datafile every ${value} ms; intervals below 30000 ms are not recommended.`);
  }
  return value;
}

function positiveOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
