import { createClient } from '@redis/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryLogger } from '../test-support/memory-logger';
import { RedisServer, waitFor } from '../test-support/redis-server';
import { createRedisSyncChannel, type RedisSyncChannel, type SyncDatafileUpdate } from './redis-sync-channel';
import type { SyncNotification } from './sync-messages';

let server: RedisServer;
let raw: ReturnType<typeof createClient>;
const open: RedisSyncChannel[] = [];

beforeAll(async () => {
  server = await RedisServer.launch();
  raw = createClient({ url: server.url });
  await raw.connect();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((channel) => channel.close()));
});

afterAll(async () => {
  raw.destroy();
  await server.kill();
});

function node(nodeId: string, logger?: MemoryLogger, ignoreOwnNotifications?: boolean): RedisSyncChannel {
  const channel = createRedisSyncChannel({
    client: { url: server.url },
    nodeId,
    logger,
    errorLogIntervalMs: 1,
    ignoreOwnNotifications,
  });
  open.push(channel);
  return channel;
}

/** Lets any message already published arrive (pub/sub gives no receipt for "nothing came"). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('createRedisSyncChannel', () => {
  it('sends a datafile update from node A to node B as Agent does: the bare sdkKey on optimizely-sync-datafile', async () => {
    const a = node('a');
    const b = node('b');
    const onA: SyncDatafileUpdate[] = [];
    const onB: SyncDatafileUpdate[] = [];
    a.onDatafileUpdate((update) => onA.push(update));
    b.onDatafileUpdate((update) => onB.push(update));
    const spy: string[] = [];
    const watcher = raw.duplicate();
    await watcher.connect();
    await watcher.subscribe('optimizely-sync-datafile', (message) => spy.push(message));
    expect(await a.whenSubscribed()).toBe(true);
    expect(await b.whenSubscribed()).toBe(true);

    expect(await a.publishDatafileUpdate('sdk-key-1')).toBe(true);
    await waitFor(() => onB.length === 1);
    expect(onB).toEqual([{ sdkKey: 'sdk-key-1' }]);
    expect(spy).toEqual(['sdk-key-1']);
    await settle();
    expect(onA).toEqual([]); // A took the webhook and refreshed already
    expect(a.health().ignoredOwn).toBe(1);

    // An Agent node's update (same format) reaches both.
    await raw.publish('optimizely-sync-datafile', 'sdk-key-2:secure-token=');
    await waitFor(() => onA.length === 1 && onB.length === 2);
    expect(onA).toEqual([{ sdkKey: 'sdk-key-2:secure-token=' }]);
    watcher.destroy();
  });

  it("sends notifications on optimizely-sync-<sdkKey> in Agent's {type, message} envelope", async () => {
    const a = node('node-a');
    const b = node('node-b');
    const onB: SyncNotification[] = [];
    const onA: SyncNotification[] = [];
    b.onNotification('sdk-key-1', (n) => onB.push(n));
    a.onNotification('sdk-key-1', (n) => onA.push(n));
    const spy: string[] = [];
    const watcher = raw.duplicate();
    await watcher.connect();
    await watcher.subscribe('optimizely-sync-sdk-key-1', (message) => spy.push(message));
    await a.whenSubscribed();
    await b.whenSubscribed();

    const message = { type: 'flag', userId: 'u1', decisionInfo: { flagKey: 'checkout', enabled: true } };
    expect(await a.publishNotification('sdk-key-1', 'decision', message)).toBe(true);
    await waitFor(() => onB.length === 1);
    expect(onB[0]).toEqual({ sdkKey: 'sdk-key-1', type: 'decision', message, origin: 'node-a' });
    expect(JSON.parse(spy[0] as string)).toEqual({ type: 'decision', message, origin: 'node-a' });
    // By default a node hears its own notifications too (as an Agent stream does): one source for all.
    await waitFor(() => onA.length === 1);
    expect(onA[0]?.origin).toBe('node-a');

    // A secure key's token is not part of the channel, as in Agent 4.2.1+.
    expect(await a.publishNotification('sdk-key-1:token', 'track', { eventKey: 'buy' })).toBe(true);
    await waitFor(() => onB.length === 2);
    expect(onB[1]?.type).toBe('track');

    // An Agent node's notification (no origin) reaches everyone.
    await raw.publish('optimizely-sync-sdk-key-1', '{"type":"decision","message":{"Type":"flag"}}');
    await waitFor(() => onA.length === 3 && onB.length === 3);
    expect(onA[2]).toEqual({
      sdkKey: 'sdk-key-1',
      type: 'decision',
      message: { Type: 'flag' },
      origin: null,
    });
    watcher.destroy();
  });

  it('with ignoreOwnNotifications, a node skips the notifications it published itself', async () => {
    const quiet = node('quiet', undefined, true);
    const b = node('b');
    const onQuiet: SyncNotification[] = [];
    const onB: SyncNotification[] = [];
    quiet.onNotification('k2', (n) => onQuiet.push(n));
    b.onNotification('k2', (n) => onB.push(n));
    await quiet.whenSubscribed();
    await b.whenSubscribed();
    await quiet.publishNotification('k2', 'decision', { from: 'quiet' });
    await b.publishNotification('k2', 'decision', { from: 'b' });
    await waitFor(() => onB.length === 2 && onQuiet.length === 1);
    await settle();
    expect(onQuiet.map((n) => n.origin)).toEqual(['b']);
    expect(quiet.health().ignoredOwn).toBe(1);
  });

  it('drops garbage without crashing, counts and logs it, and keeps delivering', async () => {
    const logger = new MemoryLogger();
    const b = createRedisSyncChannel({
      client: { url: server.url },
      nodeId: 'b',
      logger,
      errorLogIntervalMs: 1,
      maxMessageBytes: 10_000,
    });
    open.push(b);
    const got: SyncNotification[] = [];
    const updates: SyncDatafileUpdate[] = [];
    b.onNotification('key', (n) => got.push(n));
    b.onDatafileUpdate((u) => updates.push(u));
    await b.whenSubscribed();
    const garbage = [
      'not json',
      '[]',
      'null',
      '{"type":"decision"}',
      '{"type":"nonsense","message":1}',
      '{"type":7,"message":1}',
      '{"type":"decision","message":1,"origin":5}',
      `{"type":"decision","message":"${'x'.repeat(10_001)}"}`,
    ];
    for (const message of garbage) await raw.publish('optimizely-sync-key', message);
    for (const message of ['', 'has space', '{"sdkKey":"x"}', 'k'.repeat(600)]) {
      await raw.publish('optimizely-sync-datafile', message);
    }
    await raw.publish(
      'optimizely-sync-key',
      '{"type":"decision","message":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"ok":1}}',
    );
    await waitFor(() => got.length === 1);
    expect(got[0]?.message).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(got[0]?.message)).toBe(Object.prototype);
    expect(updates).toEqual([]);
    expect(b.health().invalidMessages).toBe(garbage.length + 4);
    expect(logger.matching('error', 'dropped an invalid message').length).toBeGreaterThan(0);
  });

  it('isolates a throwing listener, refuses bad sdkKeys and unsubscribes', async () => {
    const logger = new MemoryLogger();
    const a = node('a', logger);
    const b = node('b');
    const got: string[] = [];
    b.onNotification('k1', () => {
      throw new Error('listener bug');
    });
    const stop = b.onNotification('k1', (n) => got.push(String((n.message as { n: number }).n)));
    await b.whenSubscribed();
    expect(b.health().subscribedChannels).toBe(1);
    await a.publishNotification('k1', 'decision', { n: 1 });
    await waitFor(() => got.length === 1);
    stop();
    await settle();
    await a.publishNotification('k1', 'decision', { n: 2 });
    await settle();
    expect(got).toEqual(['1']);

    expect(await a.publishNotification('bad key with spaces', 'decision', {})).toBe(false);
    expect(await a.publishDatafileUpdate('')).toBe(false);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await a.publishNotification('k1', 'decision', cyclic)).toBe(false);
    expect(a.health().lastError).toContain('not serialisable');
    expect(b.health().lastError).toContain('a listener threw: listener bug');
  });
});
