// The demo end to end: starts it on free ports, drives the page in Debian's headless Chromium and
// checks what the stand-in CDN, logx and ODP received.

import { mkdir } from 'node:fs/promises';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from '../src/demo';
import type { ActivityEntry, LogxEntry, OdpEventsEntry, OdpSegmentsEntry } from '../src/shared/activity';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = new URL('../test-results/demo.png', import.meta.url);

let demo: RunningDemo;
let browser: Browser;
let page: Page;

function entries<K extends ActivityEntry['kind']>(kind: K): Extract<ActivityEntry, { kind: K }>[] {
  return demo.activity.all().filter((e): e is Extract<ActivityEntry, { kind: K }> => e.kind === kind);
}

async function eventually<T>(find: () => T | undefined | false, what: string, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const row = (flagKey: string) => page.locator(`tr[data-flag="${flagKey}"]`);

/** Waits until the page shows both SDKs agreeing on every flag. */
async function bothAgree(): Promise<void> {
  await page.locator('#agreement', { hasText: 'agree on all' }).waitFor();
  expect(await page.locator('[data-agree="no"]').count()).toBe(0);
}

beforeAll(async () => {
  demo = await startDemo({ ports: { app: 0, cdn: 0, logx: 0, odp: 0 }, pollIntervalMs: 300 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(demo.url);
  await page
    .locator('body[data-ready="true"]')
    .waitFor({ timeout: 15_000 })
    .catch((error: unknown) => {
      throw new Error(`page not ready: ${errors.join('; ') || String(error)}`);
    });
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

describe('the demo page', () => {
  it('decides every flag live, beside the server, and Enter sends the impressions to logx', async () => {
    await page.getByRole('button', { name: /^Bob/ }).click();
    await expect.poll(() => page.inputValue('#user-id')).toBe('bob');
    await bothAgree();
    expect(await page.locator('tr[data-flag]').count()).toBe(6);
    // Bob (DE, 22, free, app 1.9.4) is no beta tester and runs app 1.x: Everyone Else for the dashboard.
    expect(await row('new_dashboard').getAttribute('data-rule')).toBe('everyone_else_dashboard');
    // Reasons are shown for each decision.
    await row('new_dashboard').locator('summary').click();
    await expect.poll(() => row('new_dashboard').locator('.reasons li').count()).toBeGreaterThan(0);

    // Nothing is sent while deciding live; Enter (the form's submit) decides for real.
    expect(entries('logx')).toHaveLength(0);
    // The datafile has sendFlagDecisions: every flag sends an impression, decided by a rule or not.
    const decidedFlags = await page
      .locator('tr[data-flag]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-flag')));
    await page.focus('#user-id');
    await page.keyboard.press('Enter');
    const impressions = await eventually(() => {
      const seen = entries('logx').flatMap((e) => e.events.filter((ev) => ev.key === 'campaign_activated'));
      return seen.length >= decidedFlags.length && seen;
    }, 'impressions at logx');
    expect(impressions.every((e) => e.visitorId === 'bob')).toBe(true);
    expect(new Set(impressions.map((e) => e.flagKey))).toEqual(new Set(decidedFlags));
    const dashboard = impressions.find((e) => e.flagKey === 'new_dashboard');
    expect(dashboard).toMatchObject({ ruleKey: 'everyone_else_dashboard', variationKey: 'off' });
  });

  it('sets and clears a forced decision, on both sides', async () => {
    const before = await row('checkout_redesign').getAttribute('data-variation');
    const forcedTo = before === 'one_page' ? 'control' : 'one_page';
    await page.selectOption('[data-force-flag="checkout_redesign"]', forcedTo);
    await expect.poll(() => row('checkout_redesign').getAttribute('data-variation')).toBe(forcedTo);
    expect(await row('checkout_redesign').locator('.tag-forced').count()).toBe(1);
    await bothAgree();
    await page.selectOption('[data-force-flag="checkout_redesign"]', '');
    await expect.poll(() => row('checkout_redesign').getAttribute('data-variation')).toBe(before);
    await bothAgree();
  });

  it('fetches ODP segments and the segment audience flips', async () => {
    await page.getByRole('button', { name: /^Carol/ }).click();
    await page.fill('#attr-email', ''); // not staff: only the vip segment can open the lounge
    await bothAgree();
    expect(await row('vip_lounge').getAttribute('data-enabled')).toBe('false');

    await page.getByRole('button', { name: 'Fetch segments' }).click();
    const query = await eventually(
      () => entries('odp-segments').find((e: OdpSegmentsEntry) => e.userValue === 'carol'),
      'a segments query for carol',
    );
    expect(query.userKey).toBe('fs_user_id');
    expect(query.subset).toContain('vip');
    await expect.poll(() => row('vip_lounge').getAttribute('data-rule')).toBe('vip_segment');
    expect(await row('vip_lounge').getAttribute('data-enabled')).toBe('true');
    await page.locator('#segments .tag-segment', { hasText: 'vip' }).waitFor();
    await bothAgree();
  });

  it('validates sendOdpEvent input and delivers a valid event to ODP', async () => {
    await page.fill('#odp-action', 'bad_event');
    await page.fill('#odp-data', '{"price": {"amount": 12}}');
    await page.click('#send-odp');
    await page.locator('#odp-result', { hasText: 'invalidInput' }).waitFor();
    expect(await page.textContent('#odp-result')).toContain('data');

    await page.fill('#odp-data', '{"sku": "mug-42"');
    await page.click('#send-odp');
    await page.locator('#odp-result', { hasText: 'not valid JSON' }).waitFor();

    await page.fill('#odp-action', 'added_to_cart');
    await page.fill('#odp-data', '{"sku": "mug-42", "price": 12.5}');
    await page.click('#send-odp');
    await page.locator('#odp-result', { hasText: 'Accepted' }).waitFor();
    const event = await eventually(
      () =>
        entries('odp-events')
          .flatMap((e: OdpEventsEntry) => e.events)
          .find((e) => e.action === 'added_to_cart'),
      'the ODP event',
    );
    expect(event.type).toBe('fullstack');
    expect(event.identifiers.fs_user_id).toBe('carol');
    expect(event.data).toMatchObject({ sku: 'mug-42', price: 12.5, data_source_type: 'sdk' });
    const actions = entries('odp-events').flatMap((e) => e.events.map((ev) => ev.action));
    expect(actions).not.toContain('bad_event');
  });

  it('tracks a conversion to logx', async () => {
    await page.selectOption('#track-event', 'purchase');
    await page.fill('#track-revenue', '4200');
    await page.click('#track');
    await page.locator('#track-result', { hasText: 'Tracked purchase' }).waitFor();
    const conversion = await eventually(
      () =>
        entries('logx')
          .flatMap((e: LogxEntry) => e.events)
          .find((e) => e.key === 'purchase'),
      'the conversion at logx',
    );
    expect(conversion).toMatchObject({ visitorId: 'carol', tags: { revenue: 4200 } });
  });

  it('picks up traffic and audience changes on the CDN', async () => {
    await page.getByRole('button', { name: /^Alice/ }).click();
    await bothAgree();
    expect(await row('checkout_redesign').getAttribute('data-rule')).not.toBe('everyone_else_checkout');
    await page.fill('[data-rule-traffic="checkout_ab_test"]', '0');
    await page.press('[data-rule-traffic="checkout_ab_test"]', 'Enter');
    await page.locator('#browser-status', { hasText: 'revision 2' }).waitFor();
    expect(demo.store.revision).toBe('2');
    expect(entries('datafile').map((e) => e.revision)).toEqual(['1', '2']);
    await expect
      .poll(() => row('checkout_redesign').getAttribute('data-rule'))
      .toBe('everyone_else_checkout');
    await bothAgree();
    await page.locator('#editor-result', { hasText: 'picked up revision 2' }).waitFor();

    // An audience change: the staff rule now targets everyone, so Alice (no staff e-mail) gets the lounge.
    expect(await row('vip_lounge').getAttribute('data-rule')).toBe('everyone_else_lounge');
    await page.selectOption('[data-rule-audience="staff"]', '');
    await page.locator('#browser-status', { hasText: 'revision 3' }).waitFor();
    await expect.poll(() => row('vip_lounge').getAttribute('data-rule')).toBe('staff');
    expect(await row('vip_lounge').getAttribute('data-enabled')).toBe('true');
    expect(entries('datafile').at(-1)).toMatchObject({ revision: '3', change: 'staff: audience everyone' });
    await bothAgree();

    await mkdir(new URL('.', SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT.pathname, fullPage: true });
  });
});
