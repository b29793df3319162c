// `--check` (and CI): proves a started demo answers, then lets main shut it down. It fetches the
// page, its script, the config, the datafile from the CDN, a server-side decision, and posts one
// event each to logx and ODP, checking each landed in the activity feed.

import type { RunningDemo } from './demo';
import { SAMPLE_ODP_PUBLIC_KEY, SAMPLE_SDK_KEY } from './sample-project';

async function expectOk(what: string, response: Promise<Response>, contains?: string): Promise<string> {
  const res = await response;
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status}`);
  if (contains !== undefined && !text.includes(contains)) throw new Error(`${what}: "${contains}" missing`);
  console.log(`  ok  ${what}`);
  return text;
}

export async function selfCheck(demo: RunningDemo): Promise<void> {
  await expectOk('page', fetch(demo.url), 'FlagKit');
  await expectOk('page script', fetch(`${demo.url}app.js`), 'createPollingConfigManager');
  await expectOk('config API', fetch(`${demo.url}api/config`), demo.logxEndpoint);
  await expectOk(
    'CDN datafile',
    fetch(`${demo.cdnOrigin}/datafiles/${SAMPLE_SDK_KEY}.json`),
    '"checkout_ab_test"',
  );
  const decided = await expectOk(
    'server-side decision (@flagkit/node)',
    fetch(`${demo.url}api/decide`, {
      method: 'POST',
      body: JSON.stringify({
        userId: 'carol',
        attributes: { plan: 'enterprise' },
        forcedDecisions: {},
        segments: ['vip'],
      }),
    }),
  );
  const lounge = (JSON.parse(decided) as { decisions: Record<string, { ruleKey: string }> }).decisions
    .vip_lounge;
  if (lounge?.ruleKey !== 'vip_segment')
    throw new Error(`server decision: vip_lounge gave ${JSON.stringify(lounge)}`);

  const before = demo.activity.all().length;
  await expectOk(
    'logx stand-in',
    fetch(demo.logxEndpoint, {
      method: 'POST',
      body: JSON.stringify({
        account_id: '10001',
        project_id: '20001',
        client_name: 'self-check',
        visitors: [{ visitor_id: 'self-check', snapshots: [{ decisions: [], events: [{ key: 'signup' }] }] }],
      }),
    }),
  );
  await expectOk(
    'ODP stand-in',
    fetch(`${demo.odpHost}/v3/events`, {
      method: 'POST',
      headers: { 'x-api-key': SAMPLE_ODP_PUBLIC_KEY, 'content-type': 'application/json' },
      body: JSON.stringify([
        { type: 'fullstack', action: 'self_check', identifiers: { fs_user_id: 'self-check' }, data: {} },
      ]),
    }),
  );
  if (demo.activity.all().length !== before + 2)
    throw new Error('activity feed did not record the two batches');
  console.log('  ok  activity feed');
}
