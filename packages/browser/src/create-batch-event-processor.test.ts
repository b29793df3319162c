import { createDecideClient, type DispatchResponse, type KeyValueStore, type LogEvent } from '@flagkit/core';
import { describe, expect, it } from 'vitest';
import { createBatchEventProcessor } from './create-batch-event-processor';

const DATAFILE = {
  version: '4',
  accountId: '12',
  projectId: '34',
  revision: '5',
  sendFlagDecisions: true,
  experiments: [],
  groups: [],
  audiences: [],
  attributes: [],
  events: [{ id: '800', key: 'purchase', experimentIds: [] }],
  featureFlags: [{ id: '900', key: 'banner', rolloutId: '1000', experimentIds: [], variables: [] }],
  rollouts: [
    {
      id: '1000',
      experiments: [
        {
          id: '1100',
          key: 'everyone',
          layerId: '1000',
          status: 'Running',
          audienceIds: [],
          forcedVariations: {},
          variations: [{ id: '1200', key: 'on', featureEnabled: true, variables: [] }],
          trafficAllocation: [{ entityId: '1200', endOfRange: 10000 }],
        },
      ],
    },
  ],
};

describe('given the browser batch event processor', () => {
  it('carries the event builder, so the decide-only client sends its events', async () => {
    const sent: LogEvent[] = [];
    const processor = createBatchEventProcessor({
      eventStore: false,
      eventDispatcher: {
        dispatchEvent: (logEvent): Promise<DispatchResponse> => {
          sent.push(logEvent);
          return Promise.resolve({ statusCode: 204 });
        },
      },
    });
    expect(typeof processor.userEventBuilder?.impression).toBe('function');
    const client = createDecideClient({ datafile: DATAFILE, eventProcessor: processor });
    await client.onReady();
    const user = client.createUserContext('u1');
    user.decide('banner');
    user.trackEvent('purchase');
    await client.close();
    const body = JSON.stringify(sent.map((logEvent) => logEvent.params));
    expect(body).toContain('"key":"campaign_activated"');
    expect(body).toContain('"key":"purchase"');
    expect(processor.getMetrics()).toMatchObject({ queued: 2, dispatched: 2 });
  });

  it('stop() removes its page listeners and releases its tab before closing', async () => {
    const listeners = new Set<string>();
    const win = globalThis as unknown as Record<string, unknown>;
    win.addEventListener = (type: string) => listeners.add(type);
    win.removeEventListener = (type: string) => listeners.delete(type);
    const data = new Map<string, string>();
    const storage: KeyValueStore = {
      get: (key) => data.get(key) ?? null,
      set: (key, value) => void data.set(key, value),
      remove: (key) => void data.delete(key),
      keys: () => [...data.keys()],
    };
    try {
      const processor = createBatchEventProcessor({ storage });
      processor.start();
      expect([...listeners].sort()).toEqual(['pagehide', 'pageshow']);
      expect([...data.keys()].some((key) => key.startsWith('flagkit_tab:'))).toBe(true);
      await processor.stop();
      expect(listeners.size).toBe(0);
      expect([...data.keys()].some((key) => key.startsWith('flagkit_tab:'))).toBe(false);
    } finally {
      delete win.addEventListener;
      delete win.removeEventListener;
    }
  });

  it('never touches localStorage when the app turns the event store off', async () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
    let reads = 0;
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get() {
        reads++;
        throw new Error('SecurityError: storage is blocked');
      },
    });
    const warnings: string[] = [];
    try {
      const processor = createBatchEventProcessor({
        eventStore: false,
        logger: {
          isEnabled: () => true,
          log: (level, message) => void (level === 'warn' && warnings.push(message)),
        },
        eventDispatcher: { dispatchEvent: () => Promise.resolve({ statusCode: 204 }) },
      });
      processor.start();
      await processor.stop();
    } finally {
      if (descriptor) Object.defineProperty(globalThis, 'localStorage', descriptor);
      else delete (globalThis as { localStorage?: unknown }).localStorage;
    }
    expect(reads).toBe(0);
    expect(warnings).toEqual([]);
  });
});
