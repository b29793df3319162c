import {
  type Client,
  type ClientOptions,
  type CmabServiceOptions,
  createCmabService,
  createInstance as createCoreInstance,
  createLogger,
  createPollingConfigManager,
  createStaticConfigManager,
  type EventProcessor,
  type Logger,
  type LogLevel,
  type OdpManager,
  type PollingConfigManagerOptions,
  type ProjectConfigManager,
  type Requester,
} from '@flagkit/core';
import {
  type BatchEventProcessorOptions,
  createBatchEventProcessor,
  createRequesterDispatcher,
} from '@flagkit/event-processor';
import { createOdpManager, type OdpManagerOptions } from '@flagkit/odp';
import { sharedUndiciRequester } from './platform/shared-requester';

/** Node's batch defaults: Optimizely's Node SDK flushes every 30 s. */
export const NODE_EVENT_FLUSH_INTERVAL_MS = 30_000;

/** The `client_name` written into events, as Optimizely's Node SDK writes it. */
export const NODE_CLIENT_NAME = 'node-sdk';

/** Options of the Node entrypoint's {@link createInstance}. */
export interface NodeClientOptions extends Omit<ClientOptions, 'eventProcessor' | 'odpManager' | 'logger'> {
  /**
   * The environment's SDK key. With it the client polls the CDN for the datafile (5-minute default
   * interval, `If-Modified-Since`, backoff on failure); a rejected key (401/403) fails `onReady` at once.
   */
  readonly sdkKey?: string;
  /** A datafile to start from: alone it gives a static client; with `sdkKey` it serves until the first fetch. */
  readonly datafile?: string | object;
  /** Token for authenticated datafiles (`sdkKey` required). */
  readonly datafileAccessToken?: string;
  /** Polling options beyond the key and token: `urlTemplate`, `updateIntervalMs`, `autoUpdate`, `cache`… */
  readonly polling?: Omit<
    PollingConfigManagerOptions,
    'sdkKey' | 'requester' | 'datafile' | 'datafileAccessToken'
  >;
  /**
   * Where impressions and conversions go. Default: a batch processor (batches of 10, flushed every
   * 30 s and on close) that posts to logx over undici. `false` sends no events.
   */
  readonly eventProcessor?: EventProcessor | false;
  /** Options for the default batch processor (ignored when `eventProcessor` is given). */
  readonly events?: Omit<BatchEventProcessorOptions, 'eventDispatcher'> & {
    readonly dispatchTimeoutMs?: number;
  };
  /**
   * Real-Time Segments and `sendOdpEvent`. Default: an ODP manager over undici that stays idle until a
   * datafile integrates ODP. `false` turns ODP off (`sendOdpEvent` then refuses with `odpNotEnabled`).
   */
  readonly odpManager?: OdpManager | false;
  /** Options for the default ODP manager (ignored when `odpManager` is given). */
  readonly odp?: Omit<OdpManagerOptions, 'requester'>;
  /**
   * Options for the default CMAB service, which the async decide methods ask for predictions on
   * CMAB rules (over `requester`, at Optimizely's prediction endpoint unless
   * `predictionEndpointTemplate` says otherwise). `false` turns it off: async decide then skips
   * CMAB rules as sync decide does. Ignored when `cmabService` is given.
   */
  readonly cmab?: Omit<CmabServiceOptions, 'requester'> | false;
  /** The HTTP port for datafiles, events, ODP and CMAB. Default: one keep-alive undici pool per process. */
  readonly requester?: Requester;
  /** A logger; or a level for the console logger. Default: the console at `warn`. `'none'` logs nothing. */
  readonly logger?: Logger | LogLevel | 'none';
}

/** A Node client: everything `Client` does, plus `await using client = createInstance(…)`. */
export type NodeClient = Client & AsyncDisposable;

/**
 * Creates a client wired for Node: polling over undici when `sdkKey` is given, batched events to
 * logx, ODP when the datafile integrates it, console logging at `warn`. Each part can be replaced
 * by passing your own, or turned off with `false`. It never throws: without a datafile or SDK key
 * the client serves error decisions and `onReady` rejects with the reason.
 */
export function createInstance(options: NodeClientOptions = {}): NodeClient {
  // Node's own options; everything else is core's and passes through.
  const {
    sdkKey: _sdkKey,
    datafileAccessToken: _token,
    polling: _polling,
    events,
    odp,
    cmab,
    requester: requesterOption,
    eventProcessor: eventProcessorOption,
    odpManager: odpManagerOption,
    logger: loggerOption,
    ...coreOptions
  } = options;
  const logger = resolveLogger(loggerOption);
  const requester = requesterOption ?? sharedUndiciRequester();
  const projectConfigManager = options.projectConfigManager ?? configManagerFor(options, requester, logger);

  let eventProcessor: EventProcessor | undefined;
  if (eventProcessorOption !== false) {
    const { dispatchTimeoutMs, ...batchOptions } = events ?? {};
    eventProcessor =
      eventProcessorOption ??
      createBatchEventProcessor({
        flushInterval: NODE_EVENT_FLUSH_INTERVAL_MS,
        logger,
        ...batchOptions,
        eventDispatcher: createRequesterDispatcher(
          requester,
          dispatchTimeoutMs === undefined ? {} : { timeoutMs: dispatchTimeoutMs },
        ),
      });
  }
  const odpManager =
    odpManagerOption === false
      ? undefined
      : (odpManagerOption ?? createOdpManager({ logger, ...odp, requester }));

  const cmabService =
    options.cmabService ?? (cmab === false ? undefined : createCmabService({ logger, ...cmab, requester }));

  const client = createCoreInstance({
    ...coreOptions,
    ...(cmabService ? { cmabService } : {}),
    clientName: options.clientName ?? NODE_CLIENT_NAME,
    logger,
    ...(projectConfigManager ? { projectConfigManager } : {}),
    ...(eventProcessor ? { eventProcessor } : {}),
    ...(odpManager ? { odpManager } : {}),
  });
  Object.defineProperty(client, Symbol.asyncDispose, { value: () => client.close(), configurable: true });
  return client as NodeClient;
}

function configManagerFor(
  options: NodeClientOptions,
  requester: Requester,
  logger: Logger,
): ProjectConfigManager | undefined {
  if (options.sdkKey !== undefined) {
    return createPollingConfigManager({
      logger,
      ...options.polling,
      sdkKey: options.sdkKey,
      requester,
      ...(options.datafile === undefined ? {} : { datafile: options.datafile }),
      ...(options.datafileAccessToken === undefined
        ? {}
        : { datafileAccessToken: options.datafileAccessToken }),
    });
  }
  if (options.datafile !== undefined)
    return createStaticConfigManager({ datafile: options.datafile, logger });
  // Neither: core's createInstance gives a client that explains why it has no config.
  return undefined;
}

function resolveLogger(logger: NodeClientOptions['logger']): Logger {
  if (logger === undefined) return createLogger({ level: 'warn' });
  if (logger === 'none') return createLogger({ level: 'error', logHandler: { log() {} } });
  if (typeof logger === 'string') return createLogger({ level: logger });
  return logger;
}
