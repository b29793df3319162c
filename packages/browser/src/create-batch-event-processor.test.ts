import { createDecideClient, type DispatchResponse, type LogEvent } from '@flagkit/core';
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
});
