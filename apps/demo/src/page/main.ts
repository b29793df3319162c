// The demo page: @flagkit/browser polling the CDN stand-in, sending events to the logx stand-in and
// talking to the ODP stand-in, with the server's @flagkit/node decisions shown beside its own.

import {
  createBatchEventProcessor,
  createInstance,
  createOdpManager,
  createPollingConfigManager,
  OptimizelyDecideOption,
  type OptimizelyDecision,
  type OptimizelyUserContext,
} from '@flagkit/browser';
import type { DemoConfig, ServerDecideResponse } from '../shared/api';
import { startActivityFeed } from './activity-feed';
import { createDatafileEditor } from './datafile-editor';
import { agrees, type DecisionRow, renderDecisionRows } from './decisions-view';
import { byId, el, showResult } from './dom';
import { createOdpEventForm } from './odp-event-form';
import { createTrackForm } from './track-form';

type AttributeValue = string | number | boolean;

/** What the person has entered; decisions are recomputed from it on every change. */
interface PageState {
  userId: string;
  attributes: Record<string, AttributeValue>;
  /** Flag key → forced variation key. */
  forced: Map<string, string>;
  /** The ODP segments fetched for `userId`, or null before a fetch (and after a failed one). */
  segments: string[] | null;
}

const config = (await (await fetch('/api/config')).json()) as DemoConfig;

const client = createInstance({
  projectConfigManager: createPollingConfigManager({
    sdkKey: config.sdkKey,
    urlTemplate: config.cdnUrlTemplate,
    autoUpdate: true,
    updateIntervalMs: config.pollIntervalMs,
  }),
  // No stored events: every visit of the demo starts with an empty feed.
  eventProcessor: createBatchEventProcessor({
    endpoint: config.logxEndpoint,
    flushInterval: 1_000,
    eventStore: false,
  }),
  odpManager: createOdpManager({ eventFlushIntervalMs: 1_000 }),
});

// The server column is @flagkit/node in the demo process, or a FlagKit agent (`--agent`).
const serverLabel = document.getElementById('server-label');
if (serverLabel) serverLabel.textContent = config.serverLabel;

const first = config.users[0];
const state: PageState = {
  userId: first?.id ?? 'user-1',
  attributes: { ...first?.attributes },
  forced: new Map(),
  segments: null,
};

// ───────────────────────────── the user form ─────────────────────────────

const userIdInput = byId<HTMLInputElement>('user-id');
const attributeInputs = new Map<string, HTMLInputElement | HTMLSelectElement>();

for (const attribute of config.attributes) {
  const id = `attr-${attribute.key}`;
  let input: HTMLInputElement | HTMLSelectElement;
  if (attribute.type === 'boolean') {
    input = el(
      'select',
      { id, name: attribute.key },
      el('option', { value: '' }, 'not set'),
      el('option', { value: 'true' }, 'true'),
      el('option', { value: 'false' }, 'false'),
    );
  } else {
    input = el('input', {
      id,
      name: attribute.key,
      placeholder: attribute.hint,
      spellcheck: 'false',
      inputmode: attribute.type === 'number' ? 'decimal' : undefined,
    });
  }
  attributeInputs.set(attribute.key, input);
  byId('attribute-fields').append(
    el(
      'label',
      { class: 'field attribute', for: id },
      el('span', {}, attribute.key, el('small', { class: 'muted' }, ` ${attribute.type}`)),
      input,
    ),
  );
  input.addEventListener('input', () => {
    readAttributes();
    refresh();
  });
}

function readAttributes(): void {
  const attributes: Record<string, AttributeValue> = {};
  for (const attribute of config.attributes) {
    const raw = attributeInputs.get(attribute.key)?.value.trim() ?? '';
    if (raw === '') continue;
    if (attribute.type === 'number') {
      const value = Number(raw);
      // Not a number yet (e.g. "-"): sent as text, which a numeric condition treats as unknown.
      attributes[attribute.key] = Number.isFinite(value) ? value : raw;
    } else if (attribute.type === 'boolean') attributes[attribute.key] = raw === 'true';
    else attributes[attribute.key] = raw;
  }
  state.attributes = attributes;
}

function showUser(userId: string, attributes: Readonly<Record<string, AttributeValue>>): void {
  userIdInput.value = userId;
  for (const [key, input] of attributeInputs) input.value = key in attributes ? String(attributes[key]) : '';
  setUser(userId);
  readAttributes();
  refresh();
}

/** A new user id starts afresh: no forced decisions, no segments. */
function setUser(userId: string): void {
  if (userId === state.userId) return;
  state.userId = userId;
  state.forced.clear();
  state.segments = null;
  showSegments();
  odpForm.prefill();
  // Results about the previous user would now mislead.
  for (const id of ['decide-result', 'track-result', 'odp-result']) showResult(byId(id), 'info');
}

userIdInput.addEventListener('input', () => {
  setUser(userIdInput.value.trim());
  refresh();
});

for (const user of config.users) {
  const button = el('button', { type: 'button', class: 'chip', 'data-user': user.id }, user.label);
  button.addEventListener('click', () => showUser(user.id, user.attributes));
  byId('presets').append(button);
}

byId('user-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const user = currentUser();
  if (!user) return;
  // Deciding without DISABLE_DECISION_EVENT sends an impression for every flag a rule decided.
  const decisions = user.decideAll([OptimizelyDecideOption.INCLUDE_REASONS]);
  // The sample project has sendFlagDecisions on: each flag sends one, decided by a rule or not.
  showResult(
    byId('decide-result'),
    'ok',
    `Decided ${Object.keys(decisions).length} flags for ${state.userId}: impressions queued for logx.`,
  );
});

// ───────────────────────────── decisions ─────────────────────────────

/** A user context for the page's state, or null (with the reason shown) when it is not valid. */
function currentUser(): OptimizelyUserContext | null {
  if (state.userId === '') {
    showResult(byId('agreement'), 'error', 'Enter a user id.');
    return null;
  }
  const user = client.createUserContext(state.userId, state.attributes);
  for (const [flagKey, variationKey] of state.forced) user.setForcedDecision({ flagKey }, { variationKey });
  user.qualifiedSegments = state.segments ? [...state.segments] : null;
  return user;
}

/** Every variation key each flag can give, from the SDK's current config. */
function variationsByFlag(): Map<string, string[]> {
  const byFlag = new Map<string, string[]>();
  const optimizelyConfig = client.getOptimizelyConfig();
  for (const [flagKey, feature] of Object.entries(optimizelyConfig?.featuresMap ?? {})) {
    const keys = new Set<string>();
    for (const rule of [...feature.experimentRules, ...feature.deliveryRules])
      for (const key of Object.keys(rule.variationsMap)) keys.add(key);
    byFlag.set(flagKey, [...keys]);
  }
  return byFlag;
}

let serverAnswer: ServerDecideResponse | undefined;
let latestDecisions: Record<string, OptimizelyDecision> = {};
let refreshSeq = 0;

function browserRevision(): string | null {
  return client.getProjectConfig()?.revision ?? null;
}

/** Decides every flag again (no events), renders, and asks the server for its decisions. */
function refresh(): void {
  if (!browserRevision()) return;
  const user = currentUser();
  if (!user) return;
  latestDecisions = user.decideAll([
    OptimizelyDecideOption.INCLUDE_REASONS,
    OptimizelyDecideOption.DISABLE_DECISION_EVENT,
  ]);
  serverAnswer = undefined;
  render();
  void askServer(++refreshSeq, 0);
}

async function askServer(seq: number, attempt: number): Promise<void> {
  const response = await fetch('/api/decide', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      userId: state.userId,
      attributes: state.attributes,
      forcedDecisions: Object.fromEntries(state.forced),
      segments: state.segments,
    }),
  });
  if (seq !== refreshSeq) return; // a newer refresh is on its way
  const answer = (await response.json()) as ServerDecideResponse | { error: string };
  if ('error' in answer) {
    showResult(byId('agreement'), 'error', `Server: ${answer.error}`);
    return;
  }
  // Both SDKs poll the CDN on their own clocks; give the server a moment to reach our revision.
  if (answer.revision !== browserRevision() && attempt < 10) {
    setTimeout(() => void (seq === refreshSeq && askServer(seq, attempt + 1)), 300);
  }
  serverAnswer = answer;
  render();
}

function render(): void {
  const variations = variationsByFlag();
  const server = serverAnswer;
  const rows: DecisionRow[] = Object.entries(latestDecisions).map(([flagKey, browser]) => ({
    flagKey,
    browser,
    server: server?.decisions[flagKey],
    variations: variations.get(flagKey) ?? [],
    forced: state.forced.get(flagKey),
  }));
  renderDecisionRows(byId('decision-rows'), rows, (flagKey, variationKey) => {
    if (variationKey === null) state.forced.delete(flagKey);
    else state.forced.set(flagKey, variationKey);
    refresh();
  });

  const browserRev = browserRevision();
  byId('browser-status').className = 'pill pill-ok';
  byId('browser-status').textContent = `revision ${browserRev}`;
  const serverStatus = byId('server-status');
  serverStatus.className = `pill ${server ? 'pill-ok' : 'pill-wait'}`;
  serverStatus.textContent = server ? `revision ${server.revision}` : '…';

  const agreement = byId('agreement');
  if (!server) {
    showResult(agreement, 'info', 'Asking the server…');
    return;
  }
  if (server.revision !== browserRev) {
    showResult(
      agreement,
      'info',
      `Server on revision ${server.revision}, browser on ${browserRev}: waiting for both to poll…`,
    );
    return;
  }
  const differing = rows.filter((r) => !r.server || !agrees(r.browser, r.server)).map((r) => r.flagKey);
  if (differing.length === 0)
    showResult(
      agreement,
      'ok',
      `Browser and server agree on all ${rows.length} flags (revision ${browserRev}).`,
    );
  else showResult(agreement, 'error', `Browser and server differ on ${differing.join(', ')}.`);
}

// ───────────────────────────── ODP segments ─────────────────────────────

function showSegments(text?: string, kind: 'ok' | 'error' | 'info' = 'info'): void {
  const target = byId('segments');
  if (text !== undefined) showResult(target, kind, text);
  else if (state.segments === null) showResult(target, 'info', 'No segments fetched for this user.');
  else
    showResult(
      target,
      'ok',
      'Qualified: ',
      ...(state.segments.length === 0
        ? ['none']
        : state.segments.map((segment) => el('span', { class: 'tag tag-segment' }, segment))),
    );
}

byId('fetch-segments').addEventListener('click', async () => {
  const user = currentUser();
  if (!user) return;
  const userId = state.userId;
  showSegments(`Asking ODP about ${userId}…`);
  // Always ask ODP, so each click shows up in the feed.
  const ok = await user.fetchQualifiedSegments(['IGNORE_CACHE']);
  if (userId !== state.userId) return; // the user changed meanwhile
  if (!ok) {
    state.segments = null;
    showSegments(`ODP could not give segments for ${userId} (not a known customer?).`, 'error');
  } else {
    state.segments = user.qualifiedSegments ?? [];
    showSegments();
  }
  refresh();
});

byId('clear-segments').addEventListener('click', () => {
  state.segments = null;
  showSegments();
  refresh();
});

byId('customer-table').append(
  el(
    'thead',
    {},
    el('tr', {}, el('th', { scope: 'col' }, 'fs_user_id'), el('th', { scope: 'col' }, 'segments')),
  ),
  el(
    'tbody',
    {},
    ...Object.entries(config.customers).map(([id, segments]) =>
      el('tr', {}, el('td', {}, el('code', {}, id)), el('td', {}, segments.join(', ') || '—')),
    ),
  ),
);

// ───────────────────────────── events: sendOdpEvent and track ─────────────────────────────

const odpForm = createOdpEventForm(client, () => state.userId);
const trackForm = createTrackForm(client, currentUser, () => state.userId);

// ───────────────────────────── datafile editor and the live feed ─────────────────────────────

const servedRevision = byId('served-revision');
const editor = createDatafileEditor(byId('rule-rows'), byId('editor-result'), (summary) => {
  servedRevision.textContent = `revision ${summary.revision}`;
});

startActivityFeed(
  byId('activity'),
  [...document.querySelectorAll<HTMLInputElement>('.filters input')],
  (entry) => {
    if (entry.kind !== 'datafile') return;
    servedRevision.textContent = `revision ${entry.revision}`;
    void fetch('/api/datafile')
      .then((r) => r.json())
      .then((summary) => editor.show(summary));
  },
);

// A new revision reached the browser SDK: everything is decided again.
client.notificationCenter.addNotificationListener('OPTIMIZELY_CONFIG_UPDATE', () => {
  trackForm.showEventKeys();
  refresh();
  const result = byId('editor-result');
  if (result.textContent?.startsWith('Published'))
    showResult(result, 'ok', `The browser SDK picked up revision ${browserRevision()}.`);
});

try {
  await client.onReady({ timeout: 10_000 });
  trackForm.showEventKeys();
  showUser(state.userId, state.attributes);
  refresh();
  document.body.dataset.ready = 'true';
} catch (error) {
  const status = byId('browser-status');
  status.className = 'pill pill-error';
  status.textContent = `not ready: ${error instanceof Error ? error.message : String(error)}`;
}
