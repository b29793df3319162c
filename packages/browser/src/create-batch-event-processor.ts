import type { EventProcessor, KeyValueStore } from '@flagkit/core';
import { createFetchRequester } from '@flagkit/edge';
import {
  BatchEventProcessor,
  type BatchEventProcessorOptions,
  createKeyValueEventStore,
  createStringifyRequesterDispatcher,
  type EventMetricsSnapshot,
  type EventStore,
} from '@flagkit/event-processor';
import { createCrossTabEventStore } from './cross-tab-event-store';
import { onPageHide } from './page-lifecycle';
import { createBeaconRequester } from './platform/beacon-dispatcher';
import { createLocalStorageStore } from './platform/local-storage-store';

/** Browsers flush every second, as Optimizely's browser SDK does: pages are short-lived. */
export const BROWSER_EVENT_FLUSH_INTERVAL_MS = 1_000;
/** Stored events older than this are dropped on load: Optimizely's 10 days. */
export const BROWSER_EVENT_STORE_TTL_MS = 10 * 24 * 60 * 60 * 1000;
/** At most this many events are kept in localStorage. */
export const BROWSER_EVENT_STORE_MAX_SIZE = 500;

/** Options of the browser's {@link createBatchEventProcessor}; every core option is accepted too. */
export interface BrowserBatchEventProcessorOptions
  extends Partial<Omit<BatchEventProcessorOptions, 'eventStore'>> {
  /**
   * Where pending events are kept across reloads. Default: localStorage (bounded to
   * {@link BROWSER_EVENT_STORE_MAX_SIZE} events, {@link BROWSER_EVENT_STORE_TTL_MS} TTL), shared
   * safely between tabs, in memory when storage is blocked. `false` keeps events in memory only.
   */
  readonly eventStore?: EventStore | false;
  /** The key-value storage behind the default event store; default localStorage. */
  readonly storage?: KeyValueStore;
  /**
   * Send what is queued by `sendBeacon` when the page is hidden (pagehide, tab hidden), without
   * closing the processor, so back/forward-cache restores keep working. Default true. Only used
   * with the default dispatcher, as Optimizely does.
   */
  readonly flushOnPageHide?: boolean;
}

/** The browser's event processor: the batch processor plus its metrics. */
export interface BrowserEventProcessor extends EventProcessor {
  getMetrics(): EventMetricsSnapshot;
}

/** The batch processor that first removes its page listeners and releases its tab when stopped. */
class PageBatchEventProcessor extends BatchEventProcessor {
  readonly #beforeStop: () => void;

  constructor(options: BatchEventProcessorOptions, beforeStop: () => void) {
    super(options);
    this.#beforeStop = beforeStop;
  }

  override stop(): Promise<void> {
    this.#beforeStop();
    return super.stop();
  }
}

/**
 * A batch event processor with browser defaults: `fetch` with `keepalive` to logx, a 1 s flush
 * interval, events kept in localStorage until logx has them (delivered after a reload, never twice
 * by two tabs), and a `sendBeacon` flush when the page is hidden.
 */
export function createBatchEventProcessor(
  options: BrowserBatchEventProcessorOptions = {},
): BrowserEventProcessor {
  const { eventStore: storeOption, storage: storageOption, flushOnPageHide, ...rest } = options;
  const logger = rest.logger;
  let store: EventStore | undefined;
  let crossTab: ReturnType<typeof createCrossTabEventStore> | undefined;
  if (storeOption === undefined) {
    // Only the default store touches localStorage: with `eventStore: false` or a store of the
    // app's own, the page's storage is never read (nor a warning logged when it is blocked).
    const storage = storageOption ?? createLocalStorageStore({ logger });
    const kvStore = createKeyValueEventStore(storage, {
      maxSize: BROWSER_EVENT_STORE_MAX_SIZE,
      ttlMs: BROWSER_EVENT_STORE_TTL_MS,
      logger,
    });
    crossTab = createCrossTabEventStore(kvStore, storage, { logger });
    store = crossTab;
  } else if (storeOption !== false) {
    store = storeOption;
  }

  // While the page is being hidden, requests go by beacon: fetch may not outlive the page.
  let hiding = false;
  const fetchRequester = createFetchRequester();
  const beaconRequester = createBeaconRequester();
  const defaultDispatcher = createStringifyRequesterDispatcher(
    { request: (request) => (hiding ? beaconRequester : fetchRequester).request(request) },
    { keepalive: true },
  );

  let removePageListeners: () => void = () => {};
  const processor = new PageBatchEventProcessor(
    {
      flushInterval: BROWSER_EVENT_FLUSH_INTERVAL_MS,
      ...rest,
      eventDispatcher: rest.eventDispatcher ?? defaultDispatcher,
      eventStore: store,
    },
    () => {
      removePageListeners();
      crossTab?.release();
    },
  );

  if (flushOnPageHide !== false && !rest.eventDispatcher) {
    removePageListeners = onPageHide(
      (cause) => {
        hiding = true;
        // The processor hands batches to the dispatcher synchronously inside flush(). Only queued
        // events go by beacon; ones whose requests failed stay stored for the next page, since a
        // beacon is never acknowledged.
        void processor.flush({ pending: false }).catch(() => {});
        hiding = false;
        // Only a page that is really going away lets other tabs take its stored events.
        if (cause === 'pagehide') crossTab?.release();
      },
      () => crossTab?.resume(),
    );
  }
  return processor;
}
