/**
 * Delivery against a real HTTP server on 127.0.0.1 that fails in scripted ways: 5xx, 429,
 * responses slower than the client's timeout, connection resets, 400, and being down then up.
 */
import type { Requester, UserEvent } from '@flagkit/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeContext, makeConversion, makeImpression } from '../test-support/events';
import { type Behaviour, createFetchRequester, ScriptedServer } from '../test-support/scripted-server';
import { createBatchEventProcessor } from './batch-event-processor';
import { createRequesterDispatcher } from './requester-dispatcher';

// Far above any response time of a busy CI machine, so only `hang` requests time out (see
// ScriptedServer): a timeout on an answered request would be a real, but inherent, duplicate.
const TIMEOUT_MS = 600;
const FAST_BACKOFF = { initialMs: 5, maxMs: 20, jitterMs: 3 };
const requester = createFetchRequester();
// The same fetch, saying it takes byte bodies: the dispatcher then sends the processor's bytes.
const byteRequester: Requester = { acceptsByteBody: true, request: (request) => requester.request(request) };
const CONTEXTS = [makeContext(), makeContext({ revision: '8' }), makeContext({ region: 'EU' })];

const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Behaviour>({ kind: 'ok' }) },
  {
    weight: 12,
    arbitrary: fc.constantFrom<Behaviour>(
      { kind: 'status', status: 500 },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 429 },
      { kind: 'status', status: 408 },
      { kind: 'status', status: 400 },
      { kind: 'reset' },
    ),
  },
  // Each hang costs a full client timeout, so it is rarer.
  { weight: 1, arbitrary: fc.constant<Behaviour>({ kind: 'hang' }) },
);

const eventSpec = fc.record({
  conversion: fc.boolean(),
  context: fc.integer({ min: 0, max: CONTEXTS.length - 1 }),
  pauseAfter: fc.boolean(),
});

function eventFrom(spec: { conversion: boolean; context: number }): UserEvent {
  const context = CONTEXTS[spec.context]!;
  return spec.conversion ? makeConversion({ context }) : makeImpression({ context });
}

describe('delivery over HTTP', () => {
  let server: ScriptedServer;

  beforeAll(async () => {
    server = new ScriptedServer();
    await server.listen();
  });
  afterAll(() => server.close());

  it('every accepted event is delivered exactly once or counted dropped, for random failure scripts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventSpec, { minLength: 1, maxLength: 30 }),
        fc.array(behaviour, { maxLength: 8 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        async (specs, script, batchSize, maxRetries, maxConcurrentRequests, bytes) => {
          server.delivered.clear();
          server.rejected.clear();
          server.setScript(script);
          const processor = createBatchEventProcessor({
            eventDispatcher: createRequesterDispatcher(bytes ? byteRequester : requester, {
              timeoutMs: TIMEOUT_MS,
            }),
            endpoint: server.url(),
            batchSize,
            maxRetries,
            maxConcurrentRequests,
            flushInterval: 10,
            backoff: FAST_BACKOFF,
            closeTimeout: 20_000,
          });
          processor.start();
          const accepted: string[] = [];
          for (const spec of specs) {
            const event = eventFrom(spec);
            processor.process(event);
            accepted.push(event.uuid);
            if (spec.pauseAfter) await new Promise((resolve) => setTimeout(resolve, 2));
          }
          await processor.stop();
          const metrics = processor.getMetrics();

          // Exactly once: no uuid was acknowledged twice.
          for (const [uuid, times] of server.delivered) expect(times, uuid).toBe(1);
          // Every accepted event is delivered or rejected (a counted drop), never both, never neither.
          const delivered = [...server.delivered.keys()];
          expect(delivered.filter((u) => server.rejected.has(u))).toEqual([]);
          expect([...delivered, ...server.rejected].sort()).toEqual([...accepted].sort());
          expect(metrics.queued).toBe(accepted.length);
          expect(metrics.dispatched).toBe(delivered.length);
          expect(metrics.dropped.rejected).toBe(server.rejected.size);
          expect(metrics.dropped.close_timeout).toBe(0);
          expect(metrics.queueSize).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);

  it('close() delivers everything pending once the server is back up', async () => {
    const local = new ScriptedServer();
    await local.listen();
    await local.down();
    const processor = createBatchEventProcessor({
      eventDispatcher: createRequesterDispatcher(requester, { timeoutMs: TIMEOUT_MS }),
      endpoint: local.url(),
      batchSize: 4,
      maxRetries: 2,
      flushInterval: 50,
      backoff: FAST_BACKOFF,
      closeTimeout: 10_000,
    });
    const accepted: string[] = [];
    for (let i = 0; i < 25; i++) {
      const event = i % 3 === 0 ? makeConversion() : makeImpression();
      processor.process(event);
      accepted.push(event.uuid);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(processor.getMetrics().failed).toBeGreaterThan(0);
    expect(processor.getMetrics().queueSize).toBe(25);
    const stopped = processor.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await local.up();
    await stopped;
    expect([...local.delivered.keys()].sort()).toEqual(accepted.sort());
    for (const times of local.delivered.values()) expect(times).toBe(1);
    expect(processor.getMetrics()).toMatchObject({ dispatched: 25, queueSize: 0 });
    await local.close();
  });

  it('drops a batch that cannot be written as JSON instead of retrying it forever', async () => {
    const processor = createBatchEventProcessor({
      eventDispatcher: createRequesterDispatcher(requester, { timeoutMs: TIMEOUT_MS }),
      endpoint: server.url(),
      batchSize: 1,
      backoff: FAST_BACKOFF,
    });
    const requestsBefore = server.requests;
    processor.process(makeConversion({ tags: { big: 10n as unknown as number } }));
    await processor.flush();
    expect(server.requests).toBe(requestsBefore);
    expect(processor.getMetrics()).toMatchObject({ retried: 0, queueSize: 0 });
    expect(processor.getMetrics().dropped.invalid_event).toBe(1);
  });

  it('an answer slower than the timeout is retried, and only the retry counts', async () => {
    server.delivered.clear();
    server.setScript([{ kind: 'hang' }]);
    const processor = createBatchEventProcessor({
      eventDispatcher: createRequesterDispatcher(requester, { timeoutMs: TIMEOUT_MS }),
      endpoint: server.url(),
      batchSize: 1,
      backoff: FAST_BACKOFF,
    });
    const event = makeImpression();
    const requestsBefore = server.requests;
    processor.process(event);
    await processor.flush();
    expect(server.requests - requestsBefore).toBe(2);
    expect(server.delivered.get(event.uuid)).toBe(1);
    expect(processor.getMetrics()).toMatchObject({ retried: 1, dispatched: 1 });
  });
});
