/**
 * The processor behind core's client: LOG_EVENT fires once per dispatched batch, track and
 * decide events arrive in logx form, and close() delivers what is queued.
 */
import { createDecideClient, createInstance, type DispatchResponse, type LogEvent } from '@flagkit/core';
import { describe, expect, it } from 'vitest';
import { createBatchEventProcessor } from './batch-event-processor';
import type { LogxBatch } from './log-event-builder';

const DATAFILE = {
  version: '4',
  accountId: '12',
  projectId: '34',
  revision: '5',
  region: 'EU',
  anonymizeIP: true,
  botFiltering: false,
  sendFlagDecisions: true,
  experiments: [],
  groups: [],
  audiences: [],
  typedAudiences: [],
  attributes: [{ id: '700', key: 'plan' }],
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
          audienceConditions: [],
          forcedVariations: {},
          variations: [{ id: '1200', key: 'on', featureEnabled: true, variables: [] }],
          trafficAllocation: [{ entityId: '1200', endOfRange: 10000 }],
        },
      ],
    },
  ],
  integrations: [],
};

// The decide-only client builds events only with the processor's builder: both must send alike.
describe.each([
  ['createInstance', createInstance],
  ['createDecideClient', createDecideClient],
] as const)('with the client of %s', (_name, createClient) => {
  it('sends decide and track events in batches and fires LOG_EVENT once per batch', async () => {
    const sent: LogEvent[] = [];
    const processor = createBatchEventProcessor({
      eventDispatcher: {
        dispatchEvent: (logEvent): Promise<DispatchResponse> => {
          sent.push(logEvent);
          return Promise.resolve({ statusCode: 204 });
        },
      },
      batchSize: 3,
    });
    const client = createClient({ datafile: DATAFILE, eventProcessor: processor });
    await client.onReady();
    const notified: LogEvent[] = [];
    client.notificationCenter.addNotificationListener('LOG_EVENT', (logEvent) => notified.push(logEvent));
    const user = client.createUserContext('u1', { plan: 'pro', unknown: 1 });
    user.decide('banner');
    user.trackEvent('purchase', { revenue: 500, value: '1.5' });
    user.decide('banner');
    user.decide('banner');
    await client.close();
    expect(sent.map((e) => (e.params as LogxBatch).visitors.length)).toEqual([3, 1]);
    expect(notified).toEqual(sent);
    expect(sent[0]!.url).toBe('https://eu.logx.optimizely.com/v1/events');
    const body = JSON.stringify(sent[0]!.params);
    expect(body).toContain('"rule_type":"rollout"');
    expect(body).toContain('"revenue":500');
    expect(body).toContain('"value":1.5');
    expect(body).toContain('{"entity_id":"700","key":"plan","type":"custom","value":"pro"}');
    expect(body).not.toContain('unknown');
    expect(processor.getMetrics()).toMatchObject({ queued: 4, dispatched: 4, queueSize: 0 });
    // After close, decisions still work and their events are refused quietly.
    user.decide('banner');
    expect(processor.getMetrics().dropped.closed).toBe(1);
  });
});
