import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeOdpServer, recordingLogger } from '../test-support/fake-odp-server';
import { createFetchRequester } from '../test-support/fetch-requester';
import type { OdpConfig } from './odp-config';
import type { OdpEvent } from './odp-event';
import { OdpEventManager, type OdpEventManagerOptions } from './odp-event-manager';

let server: FakeOdpServer;
let config: OdpConfig;
let logger: ReturnType<typeof recordingLogger>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(async () => {
  server = await new FakeOdpServer().start();
  config = { apiHost: server.host, apiKey: server.apiKey, segmentsToCheck: [] };
  logger = recordingLogger();
});
afterEach(() => server.stop());

function event(n: number): OdpEvent {
  return {
    type: 'fullstack',
    action: `a${n}`,
    identifiers: new Map([['fs_user_id', `u${n}`]]),
    data: new Map([['n', n]]),
  };
}

/** An event as the server receives it. */
function wire(n: number): Record<string, unknown> {
  return { type: 'fullstack', action: `a${n}`, identifiers: { fs_user_id: `u${n}` }, data: { n } };
}

function manager(options: OdpEventManagerOptions = {}): OdpEventManager {
  const m = new OdpEventManager(createFetchRequester(), logger, {
    flushIntervalMs: 60_000,
    minBackoffMs: 5,
    maxBackoffMs: 20,
    ...options,
  });
  m.updateConfig(config);
  return m;
}

const actions = () => server.events.map((e) => e.action);

describe('OdpEventManager against a fake ODP', () => {
  it('sends a full batch at once, as a JSON array with the public key', async () => {
    const m = manager({ batchSize: 3 });
    for (let i = 0; i < 3; i++) m.enqueue(event(i));
    await m.flush();
    expect(server.eventBatches).toHaveLength(1);
    expect(server.eventBatches[0]).toEqual([wire(0), wire(1), wire(2)]);
    const [request] = server.received;
    expect(request?.headers['x-api-key']).toBe(server.apiKey);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(m.metrics()).toMatchObject({ sent: 3, dropped: 0, queued: 0 });
  });

  it('batches by 10 by default and sends the rest on flush', async () => {
    const m = manager();
    for (let i = 0; i < 25; i++) m.enqueue(event(i));
    expect(m.metrics().queued).toBe(5);
    await m.flush();
    expect(server.eventBatches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(actions()).toEqual(Array.from({ length: 25 }, (_, i) => `a${i}`));
  });

  it('sends a partial batch after the flush interval', async () => {
    const m = manager({ flushIntervalMs: 100 });
    const queued = performance.now();
    m.enqueue(event(1));
    await sleep(20);
    if (performance.now() - queued < 90) expect(server.received).toHaveLength(0);
    // Then it arrives without any flush call (waiting up to 3 s on a loaded machine).
    while (server.received.length === 0 && performance.now() - queued < 3_000) await sleep(10);
    expect(actions()).toEqual(['a1']);
    expect(performance.now() - queued).toBeGreaterThanOrEqual(95);
  });

  it('sends every event alone with a flush interval of 0', async () => {
    const m = manager({ flushIntervalMs: 0, batchSize: 10 });
    m.enqueue(event(1));
    m.enqueue(event(2));
    await m.flush();
    expect(server.eventBatches.map((b) => b.length)).toEqual([1, 1]);
  });

  it("never keeps the process alive: its flush timer is unref'd", () => {
    const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timeouts();
    const m = manager({ flushIntervalMs: 60_000 });
    m.enqueue(event(1)); // starts the flush timer
    expect(m.metrics().queued).toBe(1);
    expect(timeouts()).toBe(before);
  });

  it('retries a batch after 5xx answers, then delivers it once', async () => {
    server.script('/v3/events', { status: 500 }, { status: 503 });
    const m = manager({ batchSize: 2 });
    m.enqueue(event(1));
    m.enqueue(event(2));
    await m.flush();
    expect(server.received).toHaveLength(3);
    expect(m.metrics()).toMatchObject({ sent: 2, retries: 2, dropped: 0 });
  });

  it('retries after network errors', async () => {
    server.script('/v3/events', { destroy: true });
    const m = manager({ batchSize: 1 });
    m.enqueue(event(1));
    await m.flush();
    // The server saw the cut request too: the batch arrived twice, the second time answered.
    expect(actions()).toEqual(['a1', 'a1']);
    expect(m.metrics()).toMatchObject({ sent: 1, retries: 1, dropped: 0 });
  });

  it('keeps a batch whose retries ran out for the next flush', async () => {
    server.script('/v3/events', { status: 500 }, { status: 500 }, { status: 500 });
    const m = manager({ batchSize: 1 });
    m.enqueue(event(1));
    await m.flush();
    expect(m.metrics()).toMatchObject({ sent: 0, queued: 1, dropped: 0 });
    await m.flush();
    expect(m.metrics()).toMatchObject({ sent: 1, queued: 0 });
    expect(server.received).toHaveLength(4);
  });

  it('logs and drops a batch ODP refuses with a 4xx, without retrying', async () => {
    server.script('/v3/events', { status: 400, body: '{"message":"bad"}' });
    const m = manager({ batchSize: 2 });
    m.enqueue(event(1));
    m.enqueue(event(2));
    await m.flush();
    expect(server.received).toHaveLength(1);
    expect(m.metrics()).toMatchObject({ sent: 0, dropped: 2, retries: 0, queued: 0 });
    expect(logger.lines.some((l) => l.level === 'error' && l.message.includes('HTTP 400'))).toBe(true);
  });

  it('refuses events beyond the queue bound, counting them', () => {
    const m = manager({ queueSize: 3, batchSize: 100 });
    expect([1, 2, 3, 4].map((n) => m.enqueue(event(n)))).toEqual(['queued', 'queued', 'queued', 'queueFull']);
    expect(m.metrics()).toMatchObject({ queued: 3, rejectedQueueFull: 1 });
  });

  it('sends everything queued on stop, then refuses new events', async () => {
    const m = manager();
    m.enqueue(event(1));
    m.enqueue(event(2));
    await m.stop();
    expect(actions()).toEqual(['a1', 'a2']);
    expect(m.enqueue(event(3))).toBe('closed');
  });

  it('drops, counted, what still fails at stop', async () => {
    server.script('/v3/events', { status: 500 }, { status: 500 }, { status: 500 });
    const m = manager();
    m.enqueue(event(1));
    await m.stop();
    expect(m.metrics()).toMatchObject({ sent: 0, dropped: 1, queued: 0 });
  });

  it('sends queued events with the old host and key when the config changes', async () => {
    const other = await new FakeOdpServer().start();
    try {
      const m = manager();
      m.enqueue(event(1));
      m.updateConfig({ apiHost: other.host, apiKey: other.apiKey, segmentsToCheck: [] });
      m.enqueue(event(2));
      await m.flush();
      expect(actions()).toEqual(['a1']);
      expect(other.events.map((e) => e.action)).toEqual(['a2']);
    } finally {
      await other.stop();
    }
  });

  it('delivers any sequence exactly once, in order, in batches no larger than the batch size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        async (count, batchSize) => {
          server.received.length = 0;
          const m = manager({ batchSize });
          for (let i = 0; i < count; i++) expect(m.enqueue(event(i))).toBe('queued');
          await m.stop();
          expect(actions()).toEqual(Array.from({ length: count }, (_, i) => `a${i}`));
          for (const batch of server.eventBatches) expect(batch.length).toBeLessThanOrEqual(batchSize);
          expect(server.eventBatches.length).toBe(Math.ceil(count / batchSize));
        },
      ),
      { numRuns: 25 },
    );
  });
});
