// The sendOdpEvent form: action, type, identifiers and data (JSON), sent through the browser SDK,
// which validates them; its refusals are shown with the reason and the field.

import type { Client, OdpDataValue } from '@flagkit/browser';
import { byId, el, showResult } from './dom';

export interface OdpEventForm {
  /** Fills the identifiers with the current user's fs_user_id, unless the person edited them. */
  prefill(): void;
}

/** Parses a JSON object field of the form; a string is the error to show. */
function jsonObject(text: string, field: string): Record<string, unknown> | undefined | string {
  if (text.trim() === '') return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return `${field}: expected a JSON object.`;
    return value as Record<string, unknown>;
  } catch (error) {
    return `${field}: not valid JSON (${error instanceof Error ? error.message : String(error)}).`;
  }
}

export function createOdpEventForm(client: Client, userId: () => string): OdpEventForm {
  const identifiersField = byId<HTMLTextAreaElement>('odp-identifiers');
  let identifiersTouched = false;
  identifiersField.addEventListener('input', () => {
    identifiersTouched = true;
  });
  const prefill = () => {
    if (!identifiersTouched) identifiersField.value = JSON.stringify({ fs_user_id: userId() });
  };
  prefill();

  byId('odp-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const result = byId('odp-result');
    const identifiers = jsonObject(identifiersField.value, 'Identifiers');
    const data = jsonObject(byId<HTMLTextAreaElement>('odp-data').value, 'Data');
    if (typeof identifiers === 'string') return showResult(result, 'error', identifiers);
    if (typeof data === 'string') return showResult(result, 'error', data);
    const action = byId<HTMLInputElement>('odp-action').value;
    const type = byId<HTMLInputElement>('odp-type').value;
    // The values go to the SDK as typed: it is the SDK that refuses, e.g., a nested object.
    const outcome = client.sendOdpEvent(
      action,
      type === '' ? undefined : type,
      identifiers as Record<string, string> | undefined,
      data as Record<string, OdpDataValue> | undefined,
    );
    if (outcome.ok) {
      showResult(
        result,
        'ok',
        `Accepted: ${type || 'fullstack'}/${action} is queued; ODP gets the batch within a second.`,
      );
      return;
    }
    const error = outcome.error as { field?: string; key?: string } | undefined;
    showResult(
      result,
      'error',
      el('strong', {}, outcome.reason),
      error?.field ? ` (${error.field}${error.key ? ` "${error.key}"` : ''})` : '',
      `: ${outcome.message}`,
    );
  });

  return { prefill };
}
