import {
  type CmabCache,
  ConfigError,
  createInstance,
  type Logger,
  type NodeClient,
  type NodeClientOptions,
  ReadyError,
  type Requester,
  type SegmentsCache,
  type UserProfileServiceAsync,
} from '@flagkit/node';
import type { AgentConfig } from '../config/agent-config';
import { parseDuration } from '../config/parse-duration';
import { AgentHttpError } from '../http/agent-http-error';
import type { DatafileSyncChannel } from '../sync/datafile-sync';
import type { NotificationBus } from '../sync/notification-bus';
import type { EventCounters } from './event-counters';
import { publishNotifications } from './go-notifications';
import { createInMemoryUserProfileService } from './in-memory-user-profile-service';
import { createRefreshableConfigManager, type RefreshableConfigManager } from './refreshable-config-manager';
import {
  createRestUserProfileService,
  type RestUserProfileServiceOptions,
} from './rest-user-profile-service';
import { parseSdkKeyHeader } from './sdk-key';

/** Builds a user profile service for one SDK key from its config entry. */
export type UserProfileServiceFactory = (
  sdkKey: string,
  options: Readonly<Record<string, unknown>>,
) => UserProfileServiceAsync;

/** Builds an ODP segments cache for one SDK key from its config entry. */
export type SegmentsCacheFactory = (
  sdkKey: string,
  options: Readonly<Record<string, unknown>>,
) => SegmentsCache;

/** The pluggable, possibly shared, parts of the agent (Redis lives here). */
export interface AgentPlugins {
  /** User profile services by the name used in `client.userProfileService.services`. */
  readonly userProfileServices?: Readonly<Record<string, UserProfileServiceFactory>>;
  /** Segment caches by the name used in `client.odp.segmentsCache.services`; `in-memory` is built in. */
  readonly segmentsCaches?: Readonly<Record<string, SegmentsCacheFactory>>;
  /** CMAB caches by the name used in `client.cmab.cache.services`; `in-memory` is built in. */
  readonly cmabCaches?: Readonly<Record<string, () => CmabCache>>;
  readonly notificationBus?: NotificationBus;
  readonly datafileSync?: DatafileSyncChannel;
}

/**
 * Per-key choices a request may make before the key's client exists (Agent's
 * `X-Optimizely-UPS-Name` and `X-Optimizely-ODP-Cache-Name` headers); later requests cannot change them.
 */
export interface ClientChoices {
  /** A service name of `client.userProfileService.services`, instead of its `default`. */
  readonly userProfileService?: string | undefined;
  /** A service name of `client.odp.segmentsCache.services`, instead of its `default`. */
  readonly segmentsCache?: string | undefined;
}

/** One SDK client of the agent, for one `X-Optimizely-SDK-Key` value. */
export interface AgentClient {
  /** The header value: `sdkKey` or `sdkKey:token`. */
  readonly key: string;
  readonly sdkKey: string;
  readonly client: NodeClient;
  readonly configManager: RefreshableConfigManager;
  /** The user profile service, when `client.userProfileService.default` names one. */
  readonly userProfileService: UserProfileServiceAsync | undefined;
}

const BUILT_IN_UPS: Record<string, UserProfileServiceFactory> = {
  'in-memory': (_sdkKey, options) =>
    createInMemoryUserProfileService({
      capacity: typeof options.capacity === 'number' ? options.capacity : 0,
      storageStrategy: options.storageStrategy === 'lifo' ? 'lifo' : 'fifo',
    }),
};

/**
 * One SDK client per header value, created on first use and cached, as Agent's cache does. The
 * first request for a key waits for its datafile; a key the CDN refuses is not cached.
 */
export class ClientCache {
  private readonly clients = new Map<string, Promise<AgentClient>>();
  private readonly ready = new Map<string, AgentClient>();
  private readonly unsubscribeSync: () => void;
  private warnedCmabCache = false;

  constructor(
    private readonly config: AgentConfig,
    private readonly requester: Requester,
    private readonly logger: Logger,
    private readonly plugins: AgentPlugins,
    private readonly bus: NotificationBus,
    private readonly datafileSync: DatafileSyncChannel,
    private readonly eventCounters: EventCounters,
  ) {
    // A key's clients all refresh, `key:token` ones included (Agent matches by prefix).
    this.unsubscribeSync = datafileSync.subscribe((sdkKey) => {
      for (const entry of this.ready.values()) if (entry.sdkKey === sdkKey) entry.configManager.refresh();
    });
  }

  /** The ready client for this header value, if one was built. Synchronous: the hot path. */
  getReady(key: string): AgentClient | undefined {
    return this.ready.get(key);
  }

  /** The client for this header value; builds it and waits for its datafile the first time. */
  get(key: string, choices: ClientChoices = {}): Promise<AgentClient> {
    const ready = this.ready.get(key);
    if (ready) return Promise.resolve(ready);
    let pending = this.clients.get(key);
    if (!pending) {
      pending = this.build(key, choices);
      this.clients.set(key, pending);
      pending.then(
        (entry) => this.ready.set(key, entry),
        () => this.clients.delete(key),
      );
    }
    return pending;
  }

  /** Drops and closes the client for this header value (`/v1/reset`); the next request builds a new one. */
  async reset(key: string): Promise<void> {
    const pending = this.clients.get(key);
    this.clients.delete(key);
    this.ready.delete(key);
    const entry = await pending?.catch(() => undefined);
    await entry?.client.close();
  }

  /** Every ready client, for the admin endpoints. */
  readyClients(): AgentClient[] {
    return [...this.ready.values()];
  }

  /** Asks every node (through the sync channel) to re-fetch this key's datafile. */
  announceDatafileChange(sdkKey: string): void {
    this.datafileSync.publish(sdkKey);
  }

  async close(): Promise<void> {
    this.unsubscribeSync();
    const entries = await Promise.allSettled(this.clients.values());
    this.clients.clear();
    this.ready.clear();
    await Promise.all(entries.map((e) => (e.status === 'fulfilled' ? e.value.client.close() : undefined)));
  }

  private async build(key: string, choices: ClientChoices): Promise<AgentClient> {
    const { sdkKey, datafileAccessToken } = parseSdkKeyHeader(key);
    const c = this.config.client;
    const configManager = createRefreshableConfigManager({
      sdkKey,
      requester: this.requester,
      logger: this.logger,
      updateIntervalMs: c.pollingInterval,
      ...(c.datafileURLTemplate ? { urlTemplate: c.datafileURLTemplate } : {}),
      ...(datafileAccessToken ? { datafileAccessToken } : {}),
    });
    const userProfileService = this.userProfileServiceFor(sdkKey, choices.userProfileService);
    const segmentsCache = this.segmentsCacheFor(sdkKey, choices.segmentsCache);
    const inMemoryCache = c.odp.segmentsCache.services['in-memory'] ?? {};
    const client = createInstance({
      projectConfigManager: configManager,
      requester: this.requester,
      logger: this.logger,
      events: {
        batchSize: c.batchSize,
        flushInterval: c.flushInterval,
        maxQueueSize: c.queueSize,
        metrics: this.eventCounters.recorder(),
        ...(c.eventURL ? { endpoint: c.eventURL } : {}),
      },
      ...(c.odp.disable
        ? { odpManager: false as const }
        : {
            odp: {
              segmentsApiTimeoutMs: c.odp.segmentsRequestTimeout,
              eventApiTimeoutMs: c.odp.eventsRequestTimeout,
              eventFlushIntervalMs: c.odp.eventsFlushInterval,
              ...(segmentsCache
                ? { segmentsCache }
                : {
                    segmentsCacheSize: numberOr(inMemoryCache.size, 10_000),
                    segmentsCacheTimeoutMs: parseDuration(inMemoryCache.timeout) ?? 600_000,
                  }),
            },
          }),
      cmab: this.cmabOptions(),
      ...(userProfileService ? { userProfileServiceAsync: userProfileService } : {}),
    });
    const sync = this.config.synchronization.notification;
    if (this.config.api.enableNotifications || sync.enable) {
      publishNotifications(client, sdkKey, this.bus, () => client.getProjectConfig());
    }
    try {
      await client.onReady({ timeout: c.datafileTimeout });
    } catch (error) {
      void client.close();
      throw clientFailure(key, error);
    }
    return { key, sdkKey, client, configManager, userProfileService };
  }

  private userProfileServiceFor(
    sdkKey: string,
    chosen: string | undefined,
  ): UserProfileServiceAsync | undefined {
    const settings = this.config.client.userProfileService;
    const name = chosen || settings.default;
    if (!name) return undefined;
    const factory = this.plugins.userProfileServices?.[name] ?? BUILT_IN_UPS[name] ?? this.restFactory(name);
    if (!factory) {
      this.logger.log('error', `User profile service "${name}" is not available; none is used.`);
      return undefined;
    }
    return factory(sdkKey, settings.services[name] ?? {});
  }

  /** Agent's `rest` service, which needs the agent's HTTP requester. */
  private restFactory(name: string): UserProfileServiceFactory | undefined {
    if (name !== 'rest') return undefined;
    return (_sdkKey, options) =>
      createRestUserProfileService(
        options as unknown as RestUserProfileServiceOptions,
        this.requester,
        this.logger,
      );
  }

  /**
   * The CMAB service's options from `client.cmab`: the cache named by `cache.default` (a plugin,
   * e.g. Redis), else the in-memory one. An empty endpoint or a zero timeout leaves the SDK's
   * default (Optimizely's service, 10 s).
   */
  private cmabOptions(): NonNullable<Exclude<NodeClientOptions['cmab'], false>> {
    const settings = this.config.client.cmab;
    const name = settings.cache.default;
    const shared = name && name !== 'in-memory' ? this.plugins.cmabCaches?.[name] : undefined;
    if (name && name !== 'in-memory' && !shared && !this.warnedCmabCache) {
      this.warnedCmabCache = true;
      this.logger.log('warn', `CMAB cache "${name}" is not available; the in-memory one is used.`);
    }
    const inMemory = settings.cache.services['in-memory'] ?? {};
    return {
      ...(settings.predictionEndpoint ? { predictionEndpointTemplate: settings.predictionEndpoint } : {}),
      ...(settings.requestTimeout > 0 ? { timeoutMs: settings.requestTimeout } : {}),
      ...(shared
        ? { cache: shared() }
        : {
            cacheSize: numberOr(inMemory.size, 10_000),
            cacheTtlMs: parseDuration(inMemory.timeout) ?? 1_800_000,
          }),
    };
  }

  private segmentsCacheFor(sdkKey: string, chosen: string | undefined): SegmentsCache | undefined {
    const settings = this.config.client.odp.segmentsCache;
    const name = chosen || settings.default;
    if (!name || name === 'in-memory') return undefined;
    const factory = this.plugins.segmentsCaches?.[name];
    if (!factory) {
      this.logger.log('error', `Segments cache "${name}" is not available; the in-memory one is used.`);
      return undefined;
    }
    return factory(sdkKey, settings.services[name] ?? {});
  }
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden' };

/** Agent's answers for a client that could not be built. */
function clientFailure(key: string, error: unknown): AgentHttpError {
  const cause = error instanceof ReadyError ? error.cause : error;
  if (cause instanceof ConfigError && cause.reason === 'invalid-sdk-key') {
    const status = Number(/HTTP (\d{3})/.exec(cause.message)?.[1] ?? 403);
    return new AgentHttpError(
      403,
      `unable to fetch fresh datafile (consider rechecking SDK key), status code: ${status} ${STATUS_TEXT[status] ?? ''}`.trimEnd(),
    );
  }
  return new AgentHttpError(500, `failed to instantiate Optimizely for SDK Key: ${key}`);
}
