import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { datafile as minimalDatafile } from '../../test-support/datafile-builder';
import { type FakeCdn, startFakeCdn } from '../../test-support/fake-cdn';
import { createFetchRequester } from '../../test-support/fetch-requester';
import { ConfigError } from '../errors/config-error';
import { DatafileError } from '../errors/datafile-error';
import type { Logger, LogLevel } from '../ports/logger';
import type { ProjectConfigManager } from '../ports/project-config-manager';
import type { HttpRequest, Requester } from '../ports/requester';
import { createPollingConfigManager, type PollingConfigManagerOptions } from './polling-config-manager';

const SDK_KEY = 'sdk-key-1';

/** A minimal valid datafile at `revision`. */
function datafile(revision: string): object {
  return minimalDatafile({ revision });
}

function recordingLogger(): Logger & {
  lines: [LogLevel, string][];
  has(level: LogLevel, text: string): boolean;
} {
  const lines: [LogLevel, string][] = [];
  return {
    lines,
    isEnabled: () => true,
    log: (level, message) => void lines.push([level, message]),
    has: (level, text) => lines.some(([l, m]) => l === level && m.includes(text)),
  };
}

async function rejection(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => {
      throw new Error('expected onReady() to reject');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let cdn: FakeCdn;
const managers: ProjectConfigManager[] = [];

beforeEach(async () => {
  cdn = await startFakeCdn();
});

afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.stop()));
  await cdn.close();
});

/** A started manager against the fake CDN, stopped after the test. */
function start(overrides: Partial<PollingConfigManagerOptions> = {}): ProjectConfigManager {
  const manager = createPollingConfigManager({
    sdkKey: SDK_KEY,
    requester: createFetchRequester(),
    urlTemplate: cdn.urlTemplate,
    updateIntervalMs: 50,
    initialBackoffMs: 20,
    ...overrides,
  });
  managers.push(manager);
  manager.start();
  return manager;
}

describe('createPollingConfigManager: fetching', () => {
  it('fetches at once on start and becomes ready', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    const startedAt = performance.now();
    const manager = start({ updateIntervalMs: 60_000 });
    await manager.onReady();
    expect(manager.getConfig()?.revision).toBe('1');
    expect(cdn.requests).toHaveLength(1);
    expect(cdn.requests[0]?.path).toBe(`/datafiles/${SDK_KEY}.json`);
    expect(cdn.requests[0]?.method).toBe('GET');
    // Immediately, not after the 60 s interval (loose bound: CI machines can be slow).
    expect(cdn.requests[0]!.at - startedAt).toBeLessThan(1000);
  });

  it('does nothing before start', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    const manager = createPollingConfigManager({
      sdkKey: SDK_KEY,
      requester: createFetchRequester(),
      urlTemplate: cdn.urlTemplate,
    });
    managers.push(manager);
    await sleep(30);
    expect(cdn.requests).toHaveLength(0);
    expect(manager.getConfig()).toBeNull();
  });

  it('picks up new revisions and notifies once per revision', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    const manager = start();
    const revisions: string[] = [];
    manager.onUpdate((config) => revisions.push(config.revision));
    await manager.onReady();
    expect(revisions).toEqual(['1']);

    // Republished with the same revision: a fresh 200, but no update.
    cdn.publish(SDK_KEY, datafile('1'));
    const seen = cdn.requests.length;
    await cdn.waitForRequests(seen + 2);
    expect(revisions).toEqual(['1']);

    cdn.publish(SDK_KEY, datafile('2'));
    await vi.waitFor(() => expect(revisions).toEqual(['1', '2']), { timeout: 1000, interval: 5 });
    expect(manager.getConfig()?.revision).toBe('2');

    // Later polls see the same revision again: still exactly one update for it.
    await cdn.waitForRequests(cdn.requests.length + 2);
    expect(revisions).toEqual(['1', '2']);
  });

  it('sends If-Modified-Since from Last-Modified and treats 304 as unchanged', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    const manager = start();
    const updates: string[] = [];
    await manager.onReady();
    const config = manager.getConfig();
    manager.onUpdate((c) => updates.push(c.revision));
    await cdn.waitForRequests(3);

    const [first, second, third] = cdn.requests;
    expect(first?.headers['if-modified-since']).toBeUndefined();
    expect(second?.headers['if-modified-since']).toBe(new Date(Date.UTC(2026, 0, 1, 0, 0, 1)).toUTCString());
    expect(third?.headers['if-modified-since']).toBe(second?.headers['if-modified-since']);
    expect(manager.getConfig()).toBe(config);
    expect(updates).toEqual([]);
  });

  it('sends custom headers', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    const manager = start({ customHeaders: { 'X-Tenant': 'acme' } });
    await manager.onReady();
    expect(cdn.requests[0]?.headers['x-tenant']).toBe('acme');
  });

  it('honours a urlTemplate override', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    const manager = start({ urlTemplate: `${cdn.origin}/mirror/v2/%s.json?env=prod` });
    await manager.onReady();
    expect(cdn.requests[0]?.url).toBe(`/mirror/v2/${SDK_KEY}.json?env=prod`);
  });

  it('sends the datafile access token as a bearer token', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    cdn.requireToken(SDK_KEY, 'secret-token');
    const manager = start({ urlTemplate: cdn.authUrlTemplate, datafileAccessToken: 'secret-token' });
    await manager.onReady();
    expect(cdn.requests[0]?.path).toBe(`/datafiles/auth/${SDK_KEY}.json`);
    expect(cdn.requests[0]?.headers.authorization).toBe('Bearer secret-token');
  });

  it('uses the Optimizely CDN URLs by default, the auth one when given a token', async () => {
    const urls: HttpRequest[] = [];
    const recording: Requester = {
      request: async (request) => {
        urls.push(request);
        return { status: 200, headers: { get: () => null }, text: async () => JSON.stringify(datafile('1')) };
      },
    };
    const plain = createPollingConfigManager({ sdkKey: 'KEY', requester: recording });
    const authed = createPollingConfigManager({
      sdkKey: 'KEY',
      requester: recording,
      datafileAccessToken: 'tok',
    });
    managers.push(plain, authed);
    plain.start();
    await plain.onReady();
    authed.start();
    await authed.onReady();
    expect(urls.map((r) => r.url)).toEqual([
      'https://cdn.optimizely.com/datafiles/KEY.json',
      'https://config.optimizely.com/datafiles/auth/KEY.json',
    ]);
    expect(urls[0]?.headers.Authorization).toBeUndefined();
    expect(urls[1]?.headers.Authorization).toBe('Bearer tok');
    expect(urls[0]?.timeoutMs).toBe(60_000);
  });

  it('warns about intervals below 30 s but honours them', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    const logger = recordingLogger();
    const manager = start({ updateIntervalMs: 40, logger });
    await manager.onReady();
    expect(logger.has('warn', '30000')).toBe(true);
    await cdn.waitForRequests(3);
  });
});

describe('createPollingConfigManager: failures', () => {
  it('backs off exponentially on 500s, then resumes the normal interval', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    cdn.failNext(4);
    const logger = recordingLogger();
    const manager = start({ initialBackoffMs: 20, updateIntervalMs: 200, logger });
    await manager.onReady();
    await cdn.waitForRequests(6);

    const at = cdn.requests.map((r) => r.at);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    // Backoffs of 20, 40, 80 and 160 ms, each plus jitter of at most half. Timers never fire
    // early, so the lower bounds hold even on a loaded machine; upper bounds are kept loose
    // (the first gap is ~20-30 ms) for the same reason.
    expect(gaps[0]).toBeGreaterThanOrEqual(19);
    expect(gaps[1]).toBeGreaterThanOrEqual(39);
    expect(gaps[2]).toBeGreaterThanOrEqual(79);
    expect(gaps[3]).toBeGreaterThanOrEqual(159);
    expect(gaps[0]).toBeLessThan(120);
    expect(gaps[0]).toBeLessThan(gaps[3]!);
    // After the success on the fifth request: the plain 200 ms interval.
    expect(gaps[4]).toBeGreaterThanOrEqual(199);
    expect(manager.getConfig()?.revision).toBe('1');
    expect(logger.has('warn', 'HTTP 500')).toBe(true);
  });

  it('caps the backoff at the update interval', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    cdn.failNext(4);
    const manager = start({ initialBackoffMs: 100, updateIntervalMs: 100 });
    await manager.onReady();
    const at = cdn.requests.map((r) => r.at);
    // Capped: 3 × 100 ms plus at most 3 × 50 ms of jitter; uncapped it would be 200 + 400 + 800.
    expect(at[4]! - at[1]!).toBeLessThan(900);
  });

  it('rejects onReady at once with invalid-sdk-key on 403 and stops polling', async () => {
    const logger = recordingLogger();
    const startedAt = performance.now();
    const manager = start({ sdkKey: 'no-such-key', updateIntervalMs: 20, initialBackoffMs: 10, logger });
    const error = await rejection(manager.onReady());
    // With unlimited retries, any other failure would never reject at all.
    expect(performance.now() - startedAt).toBeLessThan(1000);
    expect(error.reason).toBe('invalid-sdk-key');
    expect(error.code).toBe('INVALID_SDK_KEY');
    expect(error.message).toContain('no-such-key');
    expect(error.message).toContain('403');
    expect(logger.has('error', 'no-such-key')).toBe(true);
    await sleep(100);
    expect(cdn.requests).toHaveLength(1);
  });

  it('rejects with invalid-sdk-key on 401 for a wrong access token', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    cdn.requireToken(SDK_KEY, 'right');
    const manager = start({ urlTemplate: cdn.authUrlTemplate, datafileAccessToken: 'wrong' });
    const error = await rejection(manager.onReady());
    expect(error.reason).toBe('invalid-sdk-key');
    expect(error.message).toContain('401');
  });

  it('rejects with invalid-datafile when the first fetched datafile is invalid', async () => {
    cdn.publish(SDK_KEY, 'this is not JSON');
    const logger = recordingLogger();
    const manager = start({ logger });
    const error = await rejection(manager.onReady());
    expect(error.reason).toBe('invalid-datafile');
    expect(error.cause).toBeInstanceOf(DatafileError);
    expect(manager.getConfig()).toBeNull();
    expect(logger.has('error', 'invalid')).toBe(true);
    await sleep(100);
    expect(cdn.requests).toHaveLength(1);
  });

  it('keeps the current config when a later datafile is invalid, and recovers', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    const logger = recordingLogger();
    const manager = start({ logger });
    const revisions: string[] = [];
    manager.onUpdate((c) => revisions.push(c.revision));
    await manager.onReady();

    cdn.publish(SDK_KEY, { ...datafile('2'), version: '1' });
    await vi.waitFor(() => expect(logger.has('error', 'fetched datafile is invalid')).toBe(true), {
      timeout: 1000,
    });
    expect(manager.getConfig()?.revision).toBe('1');

    cdn.publish(SDK_KEY, datafile('3'));
    await vi.waitFor(() => expect(manager.getConfig()?.revision).toBe('3'), { timeout: 1000 });
    expect(revisions).toEqual(['1', '3']);
  });

  it('retries after a request timeout', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    cdn.delayNext(1000);
    const startedAt = performance.now();
    const manager = start({ requestTimeoutMs: 100, initialBackoffMs: 20 });
    await manager.onReady();
    // Sooner than the held first response would have arrived.
    expect(performance.now() - startedAt).toBeLessThan(950);
    expect(cdn.requests).toHaveLength(2);
  });

  it('rejects with fetch-failed once bounded startup retries run out', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    cdn.failNext(100, 503);
    const logger = recordingLogger();
    const manager = start({ initialBackoffMs: 10, maxInitRetries: 2, logger });
    const error = await rejection(manager.onReady());
    expect(error.reason).toBe('fetch-failed');
    expect(logger.has('error', 'Could not fetch the datafile')).toBe(true);
    expect(error.message).toContain(SDK_KEY);
    expect(error.message).toContain('HTTP 503');
    expect(cdn.requests).toHaveLength(3);
    await sleep(100);
    expect(cdn.requests).toHaveLength(3);
  });
});

describe('createPollingConfigManager: provided datafile, cache and autoUpdate', () => {
  it('is ready from a provided datafile before the network answers, then updates', async () => {
    cdn.publish(SDK_KEY, datafile('2'));
    cdn.delayNext(100);
    const manager = start({ datafile: JSON.stringify(datafile('1')) });
    expect(manager.getConfig()?.revision).toBe('1');
    await manager.onReady();
    await vi.waitFor(() => expect(manager.getConfig()?.revision).toBe('2'), { timeout: 1000 });
  });

  it('logs and ignores an invalid provided datafile, waiting for the fetch', async () => {
    cdn.publish(SDK_KEY, datafile('5'));
    const logger = recordingLogger();
    const manager = start({ datafile: '{oops', logger });
    expect(manager.getConfig()).toBeNull();
    await manager.onReady();
    expect(manager.getConfig()?.revision).toBe('5');
    expect(logger.has('error', 'provided datafile is invalid')).toBe(true);
  });

  it('stops after the first successful fetch when autoUpdate is false', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    cdn.failNext(1);
    const manager = start({ autoUpdate: false, updateIntervalMs: 20, initialBackoffMs: 10 });
    await manager.onReady();
    await sleep(120);
    expect(cdn.requests).toHaveLength(2);
  });

  it('becomes ready from the cache before the network answers, then writes the fetched datafile', async () => {
    cdn.publish(SDK_KEY, datafile('2'));
    cdn.delayNext(200);
    const store = new Map([[`optimizely-datafile-${SDK_KEY}`, JSON.stringify(datafile('1'))]]);
    const writes: [string, string][] = [];
    const cache = {
      get: async (key: string) => store.get(key),
      set: async (key: string, value: string) => void writes.push([key, value]),
    };
    const manager = start({ cache });
    const revisions: string[] = [];
    manager.onUpdate((c) => revisions.push(c.revision));
    await manager.onReady();
    // Revision 1 exists only in the cache: ready came from it, not from the held CDN response.
    expect(manager.getConfig()?.revision).toBe('1');

    await vi.waitFor(() => expect(manager.getConfig()?.revision).toBe('2'), { timeout: 1000 });
    expect(revisions).toEqual(['1', '2']);
    await vi.waitFor(() => expect(writes).toHaveLength(1), { timeout: 500 });
    expect(writes[0]?.[0]).toBe(`optimizely-datafile-${SDK_KEY}`);
    expect(JSON.parse(writes[0]![1])).toMatchObject({ revision: '2' });
  });

  it('does not let a slow cache overwrite a fresher fetched datafile', async () => {
    cdn.publish(SDK_KEY, datafile('2'));
    const cache = {
      get: async () => {
        await sleep(150);
        return JSON.stringify(datafile('1'));
      },
      set: () => {},
    };
    const manager = start({ cache, updateIntervalMs: 60_000 });
    await manager.onReady();
    await sleep(200);
    expect(manager.getConfig()?.revision).toBe('2');
  });

  it('logs cache failures and carries on', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    const logger = recordingLogger();
    const cache = {
      get: () => Promise.reject(new Error('read broke')),
      set: () => {
        throw new Error('write broke');
      },
    };
    const manager = start({ cache, logger });
    await manager.onReady();
    await vi.waitFor(() => expect(logger.has('warn', 'write broke')).toBe(true), { timeout: 500 });
    expect(logger.has('warn', 'read broke')).toBe(true);
  });
});

describe('createPollingConfigManager: lifecycle', () => {
  it('stop() during a pending request rejects onReady and ignores the late response', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    cdn.delayNext(200);
    const manager = start();
    const updates: string[] = [];
    manager.onUpdate((c) => updates.push(c.revision));
    await cdn.waitForRequests(1);
    await manager.stop();
    await manager.stop();
    expect((await rejection(manager.onReady())).reason).toBe('stopped');
    await sleep(300);
    expect(manager.getConfig()).toBeNull();
    expect(updates).toEqual([]);
    expect(cdn.requests).toHaveLength(1);
  });

  it('stop() after ready clears the poll timer and keeps the config', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    const manager = start({ updateIntervalMs: 20 });
    await manager.onReady();
    await manager.stop();
    const seen = cdn.requests.length;
    await sleep(100);
    expect(cdn.requests).toHaveLength(seen);
    await expect(manager.onReady()).resolves.toBeUndefined();
    expect(manager.getConfig()?.revision).toBe('1');
  });

  it('start() after stop() does nothing', async () => {
    const manager = createPollingConfigManager({
      sdkKey: SDK_KEY,
      requester: createFetchRequester(),
      urlTemplate: cdn.urlTemplate,
    });
    await manager.stop();
    manager.start();
    expect((await rejection(manager.onReady())).reason).toBe('stopped');
    await sleep(30);
    expect(cdn.requests).toHaveLength(0);
  });

  it('rejects with no-datafile without an sdk key or datafile', async () => {
    const manager = start({ sdkKey: '' });
    expect((await rejection(manager.onReady())).reason).toBe('no-datafile');
    expect(cdn.requests).toHaveLength(0);
  });

  it('catches and logs listeners that throw', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    const logger = recordingLogger();
    const manager = start({ logger });
    const calls: string[] = [];
    manager.onUpdate(() => {
      throw new Error('listener broke');
    });
    const unsubscribe = manager.onUpdate(() => calls.push('removed'));
    manager.onUpdate((c) => calls.push(c.revision));
    unsubscribe();
    await manager.onReady();
    expect(calls).toEqual(['1']);
    expect(logger.has('error', 'listener broke')).toBe(true);
  });

  it('never leaves an unhandled rejection when nobody awaits onReady', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      cdn.publish('bad-json', '{');
      cdn.publish('slow', datafile('1'));
      start({ sdkKey: 'unknown' });
      start({ sdkKey: 'bad-json' });
      start({ sdkKey: '' });
      cdn.delayNext(50);
      const stopped = start({ sdkKey: 'slow' });
      await stopped.stop();
      await sleep(100);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('does not keep the process alive with its timers', async () => {
    cdn.publish(SDK_KEY, datafile('1'));
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const manager = start({ updateIntervalMs: 60_000 });
    await manager.onReady();
    await sleep(10);
    // The next poll is scheduled now; clearing it (synchronously, in stop) must not change the
    // count of timers keeping the process alive, because it was unref'd.
    const whilePolling = timers();
    void manager.stop();
    expect(timers()).toBe(whilePolling);
  });
});
