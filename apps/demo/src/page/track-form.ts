// The track form: a conversion (`trackEvent`) for the current user, with optional revenue.

import type { Client, OptimizelyUserContext } from '@flagkit/browser';
import { byId, el, formatValue, showResult } from './dom';

export interface TrackForm {
  /** Lists the event keys of the SDK's current datafile. */
  showEventKeys(): void;
}

export function createTrackForm(
  client: Client,
  currentUser: () => OptimizelyUserContext | null,
  userId: () => string,
): TrackForm {
  const eventSelect = byId<HTMLSelectElement>('track-event');

  byId('track-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const result = byId('track-result');
    const user = currentUser();
    if (!user) return;
    const revenueText = byId<HTMLInputElement>('track-revenue').value.trim();
    const revenue = Number(revenueText);
    if (revenueText !== '' && !Number.isInteger(revenue))
      return showResult(result, 'error', 'Revenue is a whole number of cents.');
    const tags = revenueText === '' ? undefined : { revenue };
    user.trackEvent(eventSelect.value, tags);
    showResult(
      result,
      'ok',
      `Tracked ${eventSelect.value}${tags ? ` ${formatValue(tags)}` : ''} for ${userId()}; logx gets it within a second.`,
    );
  });

  return {
    showEventKeys() {
      const keys = (client.getOptimizelyConfig()?.events ?? []).map((e) => e.key);
      const selected = eventSelect.value;
      eventSelect.replaceChildren(
        ...keys.map((key) => el('option', { value: key, selected: key === selected }, key)),
      );
    },
  };
}
