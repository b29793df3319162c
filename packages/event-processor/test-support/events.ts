import type { ConversionEvent, EventContext, ImpressionEvent } from '@flagkit/core';

let counter = 0;

/** A context like core's (one frozen object per revision). */
export function makeContext(overrides: Partial<EventContext> = {}): EventContext {
  return Object.freeze({
    accountId: '111',
    projectId: '222',
    revision: '7',
    clientName: 'javascript-sdk',
    clientVersion: '1.0.0',
    anonymizeIP: true,
    botFiltering: true,
    region: 'US',
    ...overrides,
  });
}

const DEFAULT_CONTEXT = makeContext();

function nextUuid(): string {
  counter++;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

export function makeImpression(overrides: Partial<ImpressionEvent> = {}): ImpressionEvent {
  return {
    type: 'impression',
    uuid: nextUuid(),
    timestamp: 1_700_000_000_000 + counter,
    context: DEFAULT_CONTEXT,
    user: { id: 'user-1', attributes: [{ entityId: '900', key: 'plan', value: 'pro' }] },
    layer: { id: '333' },
    experiment: { id: '444', key: 'exp' },
    variation: { id: '555', key: 'v1' },
    ruleKey: 'exp',
    flagKey: 'flag',
    ruleType: 'feature-test',
    enabled: true,
    ...overrides,
  };
}

export function makeConversion(overrides: Partial<ConversionEvent> = {}): ConversionEvent {
  return {
    type: 'conversion',
    uuid: nextUuid(),
    timestamp: 1_700_000_000_000 + counter,
    context: DEFAULT_CONTEXT,
    user: { id: 'user-2', attributes: [] },
    event: { id: '666', key: 'purchase' },
    revenue: 1200,
    value: 3.5,
    tags: { revenue: 1200, value: 3.5, color: 'red' },
    ...overrides,
  };
}
