// The live feed of what the stand-in services received, read from the server's event stream.

import type { ActivityEntry } from '../shared/activity';
import { el, formatValue } from './dom';

const MAX_SHOWN = 200;

/** Streams the activity log into `list`; `onEntry` sees each entry (the page tracks datafile revisions). */
export function startActivityFeed(
  list: HTMLElement,
  filters: readonly HTMLInputElement[],
  onEntry: (entry: ActivityEntry) => void,
): void {
  const applyFilters = () => {
    for (const filter of filters) list.classList.toggle(`hide-${filter.dataset.kind}`, !filter.checked);
  };
  for (const filter of filters) filter.addEventListener('change', applyFilters);
  applyFilters();

  const source = new EventSource('/api/activity/stream');
  let lastSeq = 0;
  source.addEventListener('message', (message: MessageEvent<string>) => {
    const entry = JSON.parse(message.data) as ActivityEntry;
    // A reconnect replays the log: skip what is already shown.
    if (entry.seq <= lastSeq) return;
    lastSeq = entry.seq;
    list.prepend(renderEntry(entry));
    while (list.children.length > MAX_SHOWN) list.lastElementChild?.remove();
    onEntry(entry);
  });
}

/** The fields the SDK adds to every ODP event; the feed shows only what the caller sent. */
const SDK_DATA_FIELDS = new Set(['idempotence_id', 'data_source_type', 'data_source', 'data_source_version']);

function userData(data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !SDK_DATA_FIELDS.has(key)));
}

function renderEntry(entry: ActivityEntry): HTMLElement {
  const time = new Date(entry.at).toLocaleTimeString([], { hour12: false });
  const head = (label: string, summary: string, group: string) =>
    el(
      'div',
      { class: 'entry-head' },
      el('span', { class: `kind kind-${group}` }, label),
      el('span', { class: 'entry-summary' }, summary),
      el('time', { datetime: entry.at }, time),
    );

  switch (entry.kind) {
    case 'logx':
      return el(
        'li',
        { class: 'entry entry-logx', 'data-kind': 'logx' },
        head('logx', `batch of ${entry.events.length} event${entry.events.length === 1 ? '' : 's'}`, 'logx'),
        el(
          'ul',
          { class: 'entry-lines' },
          ...entry.events.map((event) =>
            el(
              'li',
              {},
              el('code', {}, event.visitorId),
              ' ',
              event.key === 'campaign_activated'
                ? event.ruleKey
                  ? `impression ${event.flagKey} → ${event.variationKey} (rule ${event.ruleKey})`
                  : `impression ${event.flagKey}: no rule matched`
                : `conversion ${event.key}${event.tags && Object.keys(event.tags).length > 0 ? ` ${formatValue(event.tags)}` : ''}`,
            ),
          ),
        ),
      );
    case 'odp-segments':
      return el(
        'li',
        { class: 'entry entry-odp', 'data-kind': 'odp' },
        head('ODP', `segments query for ${entry.userKey} ${formatValue(entry.userValue)}`, 'odp'),
        el(
          'ul',
          { class: 'entry-lines' },
          el('li', {}, `asked about: ${entry.subset.join(', ') || '(none)'}`),
          el(
            'li',
            {},
            entry.qualified === null
              ? 'answered InvalidIdentifierException (not a known customer)'
              : `qualified: ${entry.qualified.filter((s) => entry.subset.includes(s)).join(', ') || '(none)'}`,
          ),
        ),
      );
    case 'odp-events':
      return el(
        'li',
        { class: 'entry entry-odp', 'data-kind': 'odp' },
        head('ODP', `batch of ${entry.events.length} event${entry.events.length === 1 ? '' : 's'}`, 'odp'),
        el(
          'ul',
          { class: 'entry-lines' },
          ...entry.events.map((event) =>
            el(
              'li',
              {},
              el('code', {}, `${event.type}/${event.action}`),
              ` ${formatValue(event.identifiers)} `,
              el('span', { class: 'muted' }, formatValue(userData(event.data))),
            ),
          ),
        ),
      );
    case 'datafile':
      return el(
        'li',
        { class: 'entry entry-datafile', 'data-kind': 'datafile' },
        head('datafile', `revision ${entry.revision}`, 'datafile'),
        el('ul', { class: 'entry-lines' }, el('li', {}, entry.change)),
      );
  }
}
