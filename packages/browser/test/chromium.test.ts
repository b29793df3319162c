import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundlePageScript, FakeLogx, startPageServer } from './browser-harness';

// Debian's Chromium; never a downloaded browser.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** One flag, on for everyone through a rollout; rollout impressions are sent (sendFlagDecisions). */
const DATAFILE = {
  version: '4',
  accountId: 'acc-1',
  projectId: 'proj-1',
  revision: '7',
  anonymizeIP: true,
  botFiltering: false,
  sendFlagDecisions: true,
  experiments: [],
  groups: [],
  attributes: [],
  events: [],
  audiences: [],
  integrations: [],
  featureFlags: [{ id: 'flag-1', key: 'banner', rolloutId: 'rollout-1', experimentIds: [], variables: [] }],
  rollouts: [
    {
      id: 'rollout-1',
      experiments: [
        {
          id: 'rule-1',
          key: 'everyone',
          status: 'Running',
          layerId: 'layer-1',
          audienceIds: [],
          variations: [{ id: '101', key: 'on', featureEnabled: true, variables: [] }],
          trafficAllocation: [{ entityId: '101', endOfRange: 10000 }],
          forcedVariations: {},
        },
      ],
    },
  ],
};

function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error('condition not met in time'));
      setTimeout(poll, 20);
    };
    poll();
  });
}

let browser: Browser;
let site: { origin: string; close(): Promise<void> };
let logx: FakeLogx;
let context: BrowserContext;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  site = await startPageServer(await bundlePageScript());
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

beforeEach(async () => {
  logx = await new FakeLogx().start();
  context = await browser.newContext();
});

afterEach(async () => {
  await context.close();
  await logx.close();
});

async function openPage(
  options: { flushInterval?: number; maxRetries?: number; batchSize?: number } = {},
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(site.origin);
  await page.waitForFunction(() => 'harness' in window);
  await page.evaluate(
    (config) =>
      (window as unknown as { harness: { init(c: unknown): Promise<boolean> } }).harness.init(config),
    { datafile: DATAFILE, logxUrl: logx.url, ...options },
  );
  return page;
}

type Harness = {
  decide(userId: string, flagKey: string): { enabled: boolean; variationKey: string | null };
  metrics(): { queued: number; dispatched: number; failed: number };
  storedEventKeys(): string[] | null;
  flush(): Promise<void>;
};
const harness = (page: Page) => ({
  decide: (userId: string) =>
    page.evaluate(
      ([id]) => (window as unknown as { harness: Harness }).harness.decide(id!, 'banner'),
      [userId],
    ),
  storedEventKeys: () =>
    page.evaluate(() => (window as unknown as { harness: Harness }).harness.storedEventKeys()),
  metrics: () => page.evaluate(() => (window as unknown as { harness: Harness }).harness.metrics()),
});

describe('given @flagkit/browser in headless Chromium', () => {
  it('decides from a static datafile', async () => {
    const page = await openPage();
    expect(await harness(page).decide('user-1')).toEqual({
      enabled: true,
      variationKey: 'on',
      ruleKey: 'everyone',
    });
  });

  it('delivers events to a cross-origin logx over fetch, and clears them from localStorage', async () => {
    const page = await openPage({ flushInterval: 50 });
    for (const id of ['a', 'b', 'c']) await harness(page).decide(id);
    await waitFor(() => logx.delivered().size === 3);
    expect(logx.requests.every((r) => r.contentType === 'application/json')).toBe(true);
    await waitFor(() => false, 100).catch(() => {});
    expect(await harness(page).storedEventKeys()).toEqual([]);
  });

  it('sends queued events by sendBeacon (text/plain, no preflight) when the page goes away', async () => {
    const page = await openPage({ flushInterval: 60_000 });
    await harness(page).decide('leaving-user');
    expect(logx.requests).toHaveLength(0);
    await page.goto('about:blank');
    await waitFor(() => logx.delivered().size === 1);
    expect(logx.requests[0]?.contentType?.toLowerCase()).toBe('text/plain;charset=utf-8');
  });

  it('delivers events stored while logx was down exactly once after a reload', async () => {
    logx.down = true;
    // Each event is sent at once (batch of 1) and fails; the pending ones would only be retried on
    // the next timer, 60 s away, so nothing is in flight when the page reloads. (A request in flight
    // at unload is the one case a page cannot settle: see the README.)
    const page = await openPage({ flushInterval: 60_000, maxRetries: 0, batchSize: 1 });
    await harness(page).decide('u1');
    await harness(page).decide('u2');
    await waitFor(() => false, 400).catch(() => {});
    expect(await harness(page).storedEventKeys()).toHaveLength(2);
    expect(logx.delivered().size).toBe(0);

    logx.down = false;
    await page.reload();
    await page.waitForFunction(() => 'harness' in window);
    await page.evaluate(
      (config) =>
        (window as unknown as { harness: { init(c: unknown): Promise<boolean> } }).harness.init(config),
      { datafile: DATAFILE, logxUrl: logx.url, flushInterval: 50 },
    );
    await waitFor(() => logx.delivered().size === 2);
    await waitFor(() => false, 500).catch(() => {});
    expect([...logx.delivered().values()]).toEqual([1, 1]);
    expect(await harness(page).storedEventKeys()).toEqual([]);
  });

  it('never lets a second tab resend the first tab’s pending events', async () => {
    logx.down = true;
    const first = await openPage({ flushInterval: 50, maxRetries: 0 });
    await harness(first).decide('tab-user');
    await waitFor(() => false, 300).catch(() => {});
    expect(await harness(first).storedEventKeys()).toHaveLength(1);

    logx.down = false;
    const second = await openPage({ flushInterval: 50 });
    await waitFor(() => false, 500).catch(() => {});
    // The second tab leaves them alone: the first is alive and resends its own.
    await first.evaluate(() => (window as unknown as { harness: Harness }).harness.flush());
    await waitFor(() => logx.delivered().size === 1);
    await waitFor(() => false, 300).catch(() => {});
    expect([...logx.delivered().values()]).toEqual([1]);
    expect((await harness(second).metrics()).queued).toBe(0);
  });

  it('keeps deciding and delivering when localStorage is blocked', async () => {
    await context.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      });
    });
    const page = await openPage({ flushInterval: 50 });
    expect((await harness(page).decide('blocked-user')).enabled).toBe(true);
    await waitFor(() => logx.delivered().size === 1);
    expect(await harness(page).storedEventKeys()).toBeNull();
  });
});
