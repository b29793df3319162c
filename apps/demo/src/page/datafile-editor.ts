// The datafile editor: each rule's audience and traffic, changed on the CDN stand-in.

import type { DatafileSummary } from '../shared/api';
import { el, showResult } from './dom';

export interface DatafileEditor {
  /** Renders the rules of a datafile summary. */
  show(summary: DatafileSummary): void;
}

export function createDatafileEditor(
  tbody: HTMLElement,
  result: HTMLElement,
  onPublished: (summary: DatafileSummary) => void,
): DatafileEditor {
  const post = async (path: string, body: object, what: string) => {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as DatafileSummary | { error: string };
    if ('error' in answer) {
      showResult(result, 'error', answer.error);
      return;
    }
    showResult(result, 'ok', `Published revision ${answer.revision}: ${what}. Waiting for the SDKs to poll…`);
    onPublished(answer);
  };

  const show = (summary: DatafileSummary) => {
    let lastFlag = '';
    tbody.replaceChildren(
      ...summary.rules.map((rule) => {
        const firstOfFlag = rule.flagKey !== lastFlag;
        lastFlag = rule.flagKey;
        const audience = el(
          'select',
          {
            'aria-label': `Audience of ${rule.ruleKey}`,
            'data-rule-audience': rule.ruleKey,
            disabled: rule.kind === 'Everyone Else',
          },
          el('option', { value: '' }, 'Everyone'),
          ...summary.audiences.map((a) =>
            el('option', { value: a.id, selected: a.id === rule.audienceId }, a.name),
          ),
        );
        audience.addEventListener('change', () => {
          void post(
            '/api/datafile/audience',
            { ruleKey: rule.ruleKey, audienceId: audience.value },
            `${rule.ruleKey} targets ${audience.selectedOptions[0]?.textContent ?? 'everyone'}`,
          );
        });
        const traffic = el('input', {
          type: 'number',
          min: '0',
          max: '100',
          step: '1',
          value: String(rule.percent),
          'aria-label': `Traffic of ${rule.ruleKey} in percent`,
          'data-rule-traffic': rule.ruleKey,
        });
        const apply = el('button', { type: 'submit', class: 'small' }, 'Set');
        const form = el('form', { class: 'traffic' }, traffic, el('span', { class: 'muted' }, '%'), apply);
        form.addEventListener('submit', (event) => {
          event.preventDefault();
          void post(
            '/api/datafile/traffic',
            { ruleKey: rule.ruleKey, percent: Number(traffic.value) },
            `${rule.ruleKey} at ${traffic.value}%`,
          );
        });
        return el(
          'tr',
          { class: firstOfFlag ? 'flag-start' : undefined },
          el(
            'th',
            { scope: 'row' },
            firstOfFlag && el('code', { class: 'flag-key' }, rule.flagKey),
            el(
              'div',
              { class: 'rule-name' },
              el('code', {}, rule.ruleKey),
              el('span', { class: 'tag' }, rule.kind),
            ),
          ),
          el('td', {}, audience),
          el('td', {}, form),
        );
      }),
    );
  };

  return { show };
}
