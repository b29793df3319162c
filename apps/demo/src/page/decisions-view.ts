// The decisions table: one row per flag with the browser's decision and reasons, its variables,
// the server's decision beside it (agree / disagree), and a forced-decision picker.

import type { OptimizelyDecision } from '@flagkit/browser';
import type { DecisionView } from '../shared/api';
import { el, formatValue } from './dom';

export interface DecisionRow {
  readonly flagKey: string;
  readonly browser: OptimizelyDecision;
  /** The server's decision, or undefined while it is on its way. */
  readonly server: DecisionView | undefined;
  /** Every variation the flag can give, for the forced-decision picker. */
  readonly variations: readonly string[];
  readonly forced: string | undefined;
}

/** True when both sides made the same decision. */
export function agrees(browser: OptimizelyDecision, server: DecisionView): boolean {
  return (
    browser.enabled === server.enabled &&
    browser.variationKey === server.variationKey &&
    browser.ruleKey === server.ruleKey &&
    JSON.stringify(browser.variables) === JSON.stringify(server.variables)
  );
}

export function renderDecisionRows(
  tbody: HTMLElement,
  rows: readonly DecisionRow[],
  onForce: (flagKey: string, variationKey: string | null) => void,
): void {
  // Keep focus on the picker the user is using while rows are rebuilt.
  const focusedFlag = (document.activeElement as HTMLElement | null)?.dataset?.forceFlag;
  tbody.replaceChildren(...rows.map((row) => renderRow(row, onForce)));
  if (focusedFlag) tbody.querySelector<HTMLElement>(`[data-force-flag="${focusedFlag}"]`)?.focus();
}

function renderRow(row: DecisionRow, onForce: (flagKey: string, variationKey: string | null) => void) {
  const { browser, server } = row;
  const reasons = browser.reasons;
  const state = browser.enabled ? 'on' : 'off';

  const picker = el(
    'select',
    { 'data-force-flag': row.flagKey, 'aria-label': `Forced decision for ${row.flagKey}` },
    el('option', { value: '' }, 'none'),
    ...row.variations.map((key) => el('option', { value: key, selected: key === row.forced }, key)),
  );
  picker.addEventListener('change', () => onForce(row.flagKey, picker.value === '' ? null : picker.value));

  let serverCell: HTMLElement;
  if (!server) serverCell = el('span', { class: 'muted' }, '…');
  else {
    const same = agrees(browser, server);
    serverCell = el(
      'div',
      { class: 'server' },
      el('span', { class: `badge badge-${server.enabled ? 'on' : 'off'}` }, server.enabled ? 'on' : 'off'),
      el('code', {}, server.variationKey ?? '—'),
      el(
        'span',
        { class: `agree ${same ? 'agree-yes' : 'agree-no'}`, 'data-agree': same ? 'yes' : 'no' },
        same ? '✓ agrees' : '✗ differs',
      ),
    );
  }

  return el(
    'tr',
    {
      'data-flag': row.flagKey,
      'data-enabled': String(browser.enabled),
      'data-variation': browser.variationKey ?? '',
      'data-rule': browser.ruleKey ?? '',
    },
    el(
      'th',
      { scope: 'row' },
      el('code', { class: 'flag-key' }, row.flagKey),
      el('label', { class: 'force' }, el('span', { class: 'muted' }, 'force'), picker),
    ),
    el(
      'td',
      {},
      el(
        'div',
        { class: 'decision' },
        el('span', { class: `badge badge-${state}` }, state),
        el('code', { class: 'variation' }, browser.variationKey ?? '—'),
        row.forced !== undefined && el('span', { class: 'tag tag-forced' }, 'forced'),
      ),
      el('div', { class: 'rule muted' }, browser.ruleKey ? `rule ${browser.ruleKey}` : 'no rule matched'),
      reasons.length > 0 &&
        el(
          'details',
          { class: 'reasons' },
          el('summary', {}, `Reasons (${reasons.length})`),
          el('ol', {}, ...reasons.map((reason) => el('li', {}, reason))),
        ),
    ),
    el('td', {}, renderVariables(browser.variables)),
    el('td', {}, serverCell),
  );
}

function renderVariables(variables: Readonly<Record<string, unknown>>) {
  const entries = Object.entries(variables);
  if (entries.length === 0) return el('span', { class: 'muted' }, '—');
  return el(
    'ul',
    { class: 'variables' },
    ...entries.map(([key, value]) =>
      el(
        'li',
        { class: 'variable' },
        el('span', { class: 'variable-key' }, key),
        el('span', { class: `value value-${value === null ? 'null' : typeof value}` }, formatValue(value)),
      ),
    ),
  );
}
