import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  datafile,
  flag,
  type Json,
  rollout,
  rule,
  variable,
  variation,
} from '../../test-support/datafile-builder';
import { ReadyError } from '../errors/ready-error';
import { userEventBuilder } from '../events/build-user-event';
import type { UserEvent } from '../events/user-event';
import type { EventProcessor } from '../ports/event-processor';
import type { LogLevel } from '../ports/logger';
import { Client } from './client';
import { createDecideClient } from './create-decide-client';
import { createInstance } from './create-instance';
import { DecideClient } from './decide-client';
import { OptimizelyDecideOption } from './decide-options';
import type { OptimizelyDecision } from './optimizely-decision';

/** An A/B test splitting traffic 50/50 on `flag`, a delivery rule on `rollout_flag`, an event. */
function fixture(): Json {
  return datafile({
    experiments: [
      rule('e1', 'exp', [variation('v-a', 'a', false), variation('v-b', 'b', true, { 'var-n': '2' })], {
        traffic: [
          ['v-a', 5000],
          ['v-b', 10000],
        ],
      }),
    ],
    rollouts: [
      rollout('ro1', [rule('r1', 'everyone', [variation('v-on', 'on')])]),
      rollout('ro2', [rule('r2', 'delivery', [variation('v-d', 'delivered')], { traffic: [['v-d', 3000]] })]),
    ],
    featureFlags: [
      flag('f1', 'flag', {
        experimentIds: ['e1'],
        rolloutId: 'ro1',
        variables: [variable('var-n', 'n', 'integer', '1')],
      }),
      flag('f2', 'rollout_flag', { rolloutId: 'ro2' }),
    ],
    events: [{ id: 'ev-1', key: 'purchase', experimentIds: ['e1'] }],
  });
}

/** A custom processor; with `withBuilder` false it carries no `userEventBuilder`. */
function recordingProcessor(withBuilder = true): EventProcessor & { events: UserEvent[] } {
  const events: UserEvent[] = [];
  return {
    ...(withBuilder ? { userEventBuilder } : {}),
    events,
    start() {},
    process: (event) => void events.push(event),
    flush: () => Promise.resolve(),
    stop: () => Promise.resolve(),
  };
}

/** A decision without its user context, so two clients' decisions compare by value. */
function plain(decision: OptimizelyDecision | undefined) {
  if (!decision) return decision;
  const { userContext: _user, ...rest } = decision;
  return rest;
}

describe('createDecideClient', () => {
  it('returns a decide-only client; createInstance returns the full client built on it', () => {
    const decideClient = createDecideClient({ datafile: fixture() });
    const full = createInstance({ datafile: fixture() });
    expect(decideClient).toBeInstanceOf(DecideClient);
    expect(decideClient).not.toBeInstanceOf(Client);
    expect(full).toBeInstanceOf(DecideClient);
    for (const legacy of ['activate', 'getVariation', 'track', 'isFeatureEnabled', 'getOptimizelyConfig']) {
      expect(legacy in decideClient, legacy).toBe(false);
      expect(typeof (full as unknown as Record<string, unknown>)[legacy], legacy).toBe('function');
    }
  });

  it('decides and sends impressions exactly as the full client does', () => {
    const decideEvents = recordingProcessor();
    // The full client builds events for a custom processor that carries no builder.
    const fullEvents = recordingProcessor(false);
    const decideClient = createDecideClient({ datafile: fixture(), eventProcessor: decideEvents });
    const full = createInstance({ datafile: fixture(), eventProcessor: fullEvents });
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), (userId) => {
        const ours = decideClient
          .createUserContext(userId)
          .decideAll([OptimizelyDecideOption.INCLUDE_REASONS]);
        const theirs = full.createUserContext(userId).decideAll([OptimizelyDecideOption.INCLUDE_REASONS]);
        expect(Object.keys(ours)).toEqual(Object.keys(theirs));
        for (const key of Object.keys(theirs)) expect(plain(ours[key])).toEqual(plain(theirs[key]));
      }),
      { numRuns: 200 },
    );
    const strip = (events: UserEvent[]) => events.map(({ uuid: _u, timestamp: _t, ...rest }) => rest);
    expect(decideEvents.events.length).toBeGreaterThan(0);
    expect(strip(decideEvents.events)).toEqual(strip(fullEvents.events));
  });

  it('tracks conversions through user contexts, dropping empty tags', () => {
    const events = recordingProcessor();
    const client = createDecideClient({ datafile: fixture(), eventProcessor: events });
    client.createUserContext('user-1').trackEvent('purchase', { revenue: 100, gone: null } as never);
    expect(events.events).toHaveLength(1);
    expect(events.events[0]).toMatchObject({ type: 'conversion', revenue: 100, tags: { revenue: 100 } });
    expect(Object.keys((events.events[0] as { tags: object }).tags)).toEqual(['revenue']);
  });

  it('with a custom processor that carries no event builder: logs an error once and sends nothing', () => {
    const events = recordingProcessor(false);
    const logged: [LogLevel, string][] = [];
    const logger = {
      isEnabled: () => true,
      log: (level: LogLevel, message: string) => logged.push([level, message]),
    };
    const client = createDecideClient({ datafile: fixture(), eventProcessor: events, logger });
    const errors = () => logged.filter(([level]) => level === 'error').map(([, message]) => message);
    expect(errors()).toEqual([
      'The event processor has no userEventBuilder, so no events are sent: set it to userEventBuilder from @flagkit/core, or use createInstance.',
    ]);
    const user = client.createUserContext('user-1');
    const decision = user.decide('flag');
    expect(decision.flagKey).toBe('flag');
    expect(decision.reasons).toEqual([]);
    user.trackEvent('purchase');
    expect(events.events).toEqual([]);
    expect(errors()).toContain('No event processor is provided; the event is not tracked.');
  });

  it('without a datafile or config manager: onReady rejects and decide gives an error decision', async () => {
    const client = createDecideClient({});
    const error = await client.onReady({ timeout: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadyError);
    expect((error as ReadyError).reason).toBe('config');
    const decision = client.createUserContext('user-1').decide('flag');
    expect(decision).toMatchObject({ enabled: false, variationKey: null });
    expect(decision.reasons).toEqual(['Optimizely SDK not configured properly yet.']);
    await client.close();
  });
});
