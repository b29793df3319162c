import {
  type KeyValueStore,
  type Logger,
  noopLogger,
  type OdpEventInput,
  type OdpIntegration,
  type OdpManager,
  type OdpSegmentOption,
  type OdpSendResult,
  type Requester,
  type SegmentsCache,
  uuidV4,
} from '@flagkit/core';
import { buildOdpEvent, type CommonEventData } from './build-odp-event';
import { GraphqlSegmentsClient } from './graphql-segments-client';
import { NO_ODP_CONFIG, ODP_NOT_INTEGRATED, type OdpConfig, toOdpConfig } from './odp-config';
import { ODP_ACTION_CLIENT_INITIALIZED, ODP_ACTION_IDENTIFIED } from './odp-event';
import { OdpEventError } from './odp-event-error';
import { OdpEventManager, type OdpEventMetrics } from './odp-event-manager';
import { SegmentManager } from './segment-manager';
import type { OdpUserKey } from './segments-query';
import { startVuid } from './stored-vuid';
import { isVuid } from './vuid';

/** Options of {@link createOdpManager}. Only `requester` is required. */
export interface OdpManagerOptions {
  /** How requests are made (undici on Node, fetch elsewhere). The package makes no others. */
  readonly requester: Requester;
  /** Turns ODP off: no requests; `sendOdpEvent` refuses with `odpNotEnabled`. Default false. */
  readonly disabled?: boolean;
  readonly logger?: Logger;
  /** A cache to use instead of the in-memory LRU (e.g. Redis); the size and timeout options then do not apply. */
  readonly segmentsCache?: SegmentsCache;
  /** Users kept by the default cache. Default 10 000; 0 disables caching. */
  readonly segmentsCacheSize?: number;
  /** Freshness of a cached entry, in ms. Default 600 000 (10 min); 0 disables caching. */
  readonly segmentsCacheTimeoutMs?: number;
  /** Bound on a segments request, in ms. Default 10 000. */
  readonly segmentsApiTimeoutMs?: number;
  /** Events per request. Default 10. */
  readonly eventBatchSize?: number;
  /** Longest wait for a batch to fill, in ms. Default 1 000; 0 sends each event alone. */
  readonly eventFlushIntervalMs?: number;
  /** Most events waiting to be sent. Default 10 000. */
  readonly eventQueueSize?: number;
  /** Bound on an events request, in ms. Default 10 000. */
  readonly eventApiTimeoutMs?: number;
  /** Retries of a batch after a 5xx or network failure. Default 2. */
  readonly eventMaxRetries?: number;
  /** Keep a visitor id (VUID) and send `client_initialized`. Default false, as Optimizely's. */
  readonly enableVuid?: boolean;
  /** Where the VUID is kept (key `optimizely-vuid`); default in memory only. */
  readonly vuidStore?: KeyValueStore;
  /** `data_source` of every event. Default `javascript-sdk`, as the official SDK sends. */
  readonly dataSource?: string;
  /** `data_source_version` of every event. Default this package's version. */
  readonly dataSourceVersion?: string;
}

/** An {@link OdpManager} with delivery counters. */
export interface FlagKitOdpManager extends OdpManager {
  /** False when created with `disabled: true`. */
  isEnabled(): boolean;
  /** Resolves once the VUID (if enabled) is loaded. Never rejects. */
  onReady(): Promise<void>;
  /** The visitor id, when VUIDs are enabled and loaded. */
  getVuid(): string | undefined;
  /** Counters of the event pipeline: queued, sent, dropped, refused for a full queue, retries. */
  metrics(): OdpEventMetrics;
}

type RefusalReason = Extract<OdpSendResult, { ok: false }>['reason'];

const ACCEPTED: OdpSendResult = { ok: true };
const NOT_ENABLED = 'ODP is not enabled';

/**
 * The ODP manager with the segments cache given: what `createOdpManager` builds around
 * `lru-cache`, for entrypoints that bring a smaller cache (browsers keep a handful of users) and
 * so leave `lru-cache` out of their bundle. `segmentsCache` takes precedence over this argument.
 *
 * The ODP manager: qualified segments for audience targeting and `sendOdpEvent`, for
 * `createInstance({ odpManager })`. Config comes from each datafile's `odp` integration; when it
 * changes, the segments cache is reset and queued events are sent with the old settings first.
 */
export function createOdpManagerWithCache(
  segmentsCache: SegmentsCache,
  options: OdpManagerOptions,
): FlagKitOdpManager {
  return new DefaultOdpManager(segmentsCache, options);
}

class DefaultOdpManager implements FlagKitOdpManager {
  readonly #options: OdpManagerOptions;
  readonly #enabled: boolean;
  readonly #logger: Logger;
  readonly #segments: SegmentManager;
  readonly #events: OdpEventManager;
  /** The visitor id, once loaded; undefined when VUIDs are disabled. */
  #vuid: string | undefined;
  readonly #common: CommonEventData;
  /** undefined until the first datafile; null when it does not integrate ODP. */
  #config: OdpConfig | null | undefined;
  #ready: Promise<void> = Promise.resolve();
  #started = false;
  #stopped = false;
  #sentInitialized = false;

  constructor(defaultCache: SegmentsCache, options: OdpManagerOptions) {
    this.#options = options;
    this.#enabled = options.disabled !== true;
    this.#logger = options.logger ?? noopLogger;
    this.#segments = new SegmentManager(
      options.segmentsCache ?? defaultCache,
      new GraphqlSegmentsClient(options.requester, options.segmentsApiTimeoutMs),
      this.#logger,
    );
    this.#events = new OdpEventManager(options.requester, this.#logger, {
      batchSize: options.eventBatchSize,
      flushIntervalMs: options.eventFlushIntervalMs,
      queueSize: options.eventQueueSize,
      requestTimeoutMs: options.eventApiTimeoutMs,
      maxRetries: options.eventMaxRetries,
    });
    this.#common = {
      idempotenceId: uuidV4,
      dataSource: options.dataSource ?? 'javascript-sdk',
      dataSourceVersion: options.dataSourceVersion ?? __PACKAGE_VERSION__,
    };
  }

  isEnabled(): boolean {
    return this.#enabled;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    const { enableVuid, vuidStore } = this.#options;
    const loading = startVuid(this.#enabled && enableVuid === true, vuidStore, this.#logger, (vuid) => {
      this.#vuid = vuid;
    });
    if (loading) {
      this.#ready = loading.then(() => this.#maybeSendInitialized());
    } else {
      this.#maybeSendInitialized();
    }
  }

  onReady(): Promise<void> {
    return this.#ready;
  }

  updateConfig(integration: OdpIntegration): void {
    if (!this.#enabled || this.#stopped) return;
    const next = toOdpConfig(integration);
    // Unchanged (same host, key and segments, in order)? Both configs come from toOdpConfig, so
    // equal ones serialise alike; undefined (none yet) equals nothing.
    if (JSON.stringify(this.#config) === JSON.stringify(next)) return;
    if (integration.integrated && next === null) {
      this.#logger.log('warn', `The ODP integration has no host or public key: ${ODP_NOT_INTEGRATED}.`);
    }
    this.#config = next;
    this.#segments.updateConfig(next);
    this.#events.updateConfig(next);
    this.#maybeSendInitialized();
  }

  fetchQualifiedSegments(
    userKey: OdpUserKey,
    userValue: string,
    options?: readonly OdpSegmentOption[],
  ): Promise<string[] | null> {
    if (this.#enabled) return this.#segments.fetchQualifiedSegments(userKey, userValue, options);
    this.#logger.log('error', `${NOT_ENABLED}: fetchQualifiedSegments failed.`);
    return Promise.resolve(null);
  }

  /**
   * Sends `identified`, linking the user id to the VUID, when there are two identifiers to link:
   * the id and a VUID (given, or this manager's own). One identifier links nothing, so nothing is sent.
   */
  identifyUser(userId: string, vuid?: string): void {
    // No config when disabled: updateConfig ignores every datafile then.
    if (!this.#config) return;
    const visitor = vuid ?? this.#vuid;
    // A VUID passed as the user id (with no VUID beside it) leaves no user id to link.
    if (!userId || (vuid === undefined && isVuid(userId)) || !visitor || userId === visitor) {
      this.#logger.log('debug', 'ODP identify event is not dispatched (fewer than 2 valid identifiers).');
      return;
    }
    // No type: the default one (fullstack), as for client_initialized.
    this.sendEvent({ action: ODP_ACTION_IDENTIFIED, identifiers: { fs_user_id: userId, vuid: visitor } });
  }

  sendEvent(input: OdpEventInput): OdpSendResult {
    if (!this.#enabled) return this.#refuse('odpNotEnabled', NOT_ENABLED);
    if (this.#stopped) return this.#refuse('closed', 'ODP manager is closed');
    if (this.#config === undefined) return this.#refuse('sdkNotReady', NO_ODP_CONFIG);
    if (this.#config === null) return this.#refuse('odpNotIntegrated', ODP_NOT_INTEGRATED);
    // Input that throws when read (a getter, a Proxy) is the client's to catch: it refuses such an
    // event as invalidInput and reports the error.
    const event = buildOdpEvent(input, this.#common, this.#vuid);
    if (event instanceof OdpEventError) {
      this.#logger.log('error', `${event.message} sendOdpEvent failed.`);
      return { ok: false, reason: 'invalidInput', message: event.message, error: event };
    }
    // The manager refuses once stopped, so the event manager cannot be closed here: it has room or not.
    return this.#events.enqueue(event) === 'queued'
      ? ACCEPTED
      : this.#refuse('queueFull', 'ODP event queue is full');
  }

  getVuid(): string | undefined {
    return this.#vuid;
  }

  flush(): Promise<void> {
    return this.#events.flush();
  }

  /** A second call waits for the same deliveries as the first. */
  stop(): Promise<void> {
    this.#stopped = true;
    return this.#events.stop();
  }

  metrics(): OdpEventMetrics {
    return this.#events.metrics();
  }

  /** `client_initialized`, once, when there is a VUID and an integrated config. */
  #maybeSendInitialized(): void {
    const vuid = this.#vuid;
    if (this.#sentInitialized || !vuid || !this.#config) return;
    this.#sentInitialized = true;
    this.sendEvent({ action: ODP_ACTION_CLIENT_INITIALIZED, identifiers: { vuid } });
  }

  /** Logs and returns the refusal `${why}: sendOdpEvent failed.`. */
  #refuse(reason: RefusalReason, why: string): OdpSendResult {
    const message = `${why}: sendOdpEvent failed.`;
    this.#logger.log('error', message);
    return { ok: false, reason, message };
  }
}
