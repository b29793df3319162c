import { describe, expect, it } from 'vitest';
import { datafile, rule, variation } from '../../test-support/datafile-builder';
import { createProjectConfig } from '../config/create-project-config';
import type { ProjectConfig } from '../config/project-config';
import type { FlagDecision } from '../decision/flag-decision';
import { noopLogger } from '../logging/create-logger';
import type { Logger, LogLevel } from '../ports/logger';
import { buildConversionEvent, buildImpressionEvent } from './build-user-event';

const CLIENT = { clientName: 'test-sdk', clientVersion: '1.0.0' };

function config(): ProjectConfig {
  return createProjectConfig(
    datafile({
      attributes: [
        { id: 'att-country', key: 'country' },
        { id: 'att-age', key: 'age' },
      ],
      experiments: [rule('e1', 'exp', [variation('v-a', 'a'), variation('v-b', 'b')])],
      events: [{ id: 'ev-buy', key: 'buy', experimentIds: ['e1'] }],
    }),
  );
}

function decisionFor(projectConfig: ProjectConfig, variationKey: string): FlagDecision {
  const experiment = projectConfig.experimentsById.get('e1')!;
  const chosen = experiment.variations.find((v) => v.key === variationKey)!;
  return { experiment, variation: chosen, source: 'feature-test' };
}

function impression(projectConfig: ProjectConfig, attributes: Record<string, unknown>, logger = noopLogger) {
  return buildImpressionEvent(
    projectConfig,
    CLIENT,
    decisionFor(projectConfig, 'a'),
    'flag',
    'user-1',
    true,
    attributes,
    logger,
  );
}

describe('given events built for one attributes object', () => {
  it('shares one frozen visitor-attributes array while the attributes stay the same', () => {
    const projectConfig = config();
    const attributes = { country: 'us', age: 30 };
    const first = impression(projectConfig, attributes);
    const second = impression(projectConfig, attributes);
    const conversion = buildConversionEvent(
      projectConfig,
      CLIENT,
      'buy',
      'user-1',
      attributes,
      undefined,
      noopLogger,
    );
    expect(second.user.attributes).toBe(first.user.attributes);
    expect(conversion?.user.attributes).toBe(first.user.attributes);
    expect(Object.isFrozen(first.user.attributes)).toBe(true);
    expect(first.user.attributes.every((a) => Object.isFrozen(a))).toBe(true);
    expect(first.user.attributes).toEqual([
      { entityId: 'att-country', key: 'country', value: 'us' },
      { entityId: 'att-age', key: 'age', value: 30 },
    ]);
  });

  it.each([
    ['a changed value', (a: Record<string, unknown>) => (a.age = 31)],
    ['an added key', (a: Record<string, unknown>) => (a.$opt_extra = 'x')],
    ['a removed key', (a: Record<string, unknown>) => delete a.age],
    [
      'the same keys in another order',
      (a: Record<string, unknown>) => {
        const age = a.age;
        delete a.age;
        delete a.country;
        a.age = age;
        a.country = 'us';
      },
    ],
  ])('builds new visitor attributes after %s in place', (_label, change) => {
    const projectConfig = config();
    const attributes: Record<string, unknown> = { country: 'us', age: 30 };
    const before = impression(projectConfig, attributes).user.attributes;
    const expected = structuredClone(attributes);
    change(attributes);
    change(expected);
    const after = impression(projectConfig, attributes).user.attributes;
    expect(after).not.toBe(before);
    expect(after).toEqual(impression(projectConfig, structuredClone(expected)).user.attributes);
    expect(before.find((a) => a.key === 'age')?.value).toBe(30);
  });

  it('does not reuse the array of another config', () => {
    const attributes = { country: 'us' };
    const a = impression(config(), attributes).user.attributes;
    const b = impression(config(), attributes).user.attributes;
    expect(b).not.toBe(a);
    expect(b).toEqual(a);
  });

  it('logs pruned attributes at debug for every event, as without sharing', () => {
    const lines: string[] = [];
    const logger: Logger = {
      isEnabled: (level: LogLevel) => level === 'debug',
      log: (_level, message) => lines.push(message),
    };
    const projectConfig = config();
    const attributes = { country: 'us', unknown: 'x' };
    impression(projectConfig, attributes, logger);
    impression(projectConfig, attributes, logger);
    expect(lines.filter((line) => line.includes('Unrecognized attribute unknown'))).toHaveLength(2);
  });

  it('shares one frozen experiment and variation projection per config entity', () => {
    const projectConfig = config();
    const first = impression(projectConfig, {});
    const second = impression(projectConfig, {});
    expect(second.variation).toBe(first.variation);
    expect(second.experiment).toBe(first.experiment);
    expect(first.variation).toEqual({ id: 'v-a', key: 'a' });
    expect(first.experiment).toEqual({ id: 'e1', key: 'exp' });
    expect(Object.isFrozen(first.variation)).toBe(true);
  });
});

describe('given a conversion to build', () => {
  function build(
    eventKey: unknown,
    userId: unknown,
    attributes: unknown,
    tags: unknown,
  ): { event: ReturnType<typeof buildConversionEvent>; lines: string[] } {
    const lines: string[] = [];
    const logger: Logger = {
      isEnabled: (level: LogLevel) => level !== 'debug',
      log: (level, message) => lines.push(`${level}: ${message}`),
    };
    const event = buildConversionEvent(
      config(),
      CLIENT,
      eventKey as string,
      userId as string,
      attributes as never,
      tags as never,
      logger,
    );
    return { event, lines };
  }

  it('drops null and undefined tags and reads revenue and value from the rest', () => {
    const { event, lines } = build(
      'buy',
      'user-1',
      { country: 'us' },
      {
        revenue: '42',
        value: 1.5,
        gone: null,
        missing: undefined,
        kept: 'x',
      },
    );
    expect(lines).toEqual([]);
    expect(event).toMatchObject({ type: 'conversion', revenue: 42, value: 1.5 });
    expect(event?.tags).toEqual({ revenue: '42', value: 1.5, kept: 'x' });
    expect(Object.keys(event?.tags ?? {})).toEqual(['revenue', 'value', 'kept']);
  });

  it.each([
    [
      'an invalid user id',
      'buy',
      42,
      undefined,
      undefined,
      'error: Provided user_id is in an invalid format.',
    ],
    [
      'an empty event key',
      '',
      'user-1',
      undefined,
      undefined,
      'error: Provided event_key is in an invalid format.',
    ],
    [
      'array attributes',
      'buy',
      'user-1',
      [],
      undefined,
      'error: Provided attributes are in an invalid format.',
    ],
    [
      'an undefined attribute',
      'buy',
      'user-1',
      { country: undefined },
      undefined,
      'error: Provided attribute: country has an undefined value.',
    ],
    ['array tags', 'buy', 'user-1', undefined, [], 'error: Provided event tags are in an invalid format.'],
    [
      'an event key the datafile lacks',
      'sell',
      'user-1',
      undefined,
      undefined,
      'warn: Event key sell is not in datafile. Not tracking user user-1.',
    ],
  ])('gives null and logs one line for %s', (_label, eventKey, userId, attributes, tags, line) => {
    const { event, lines } = build(eventKey, userId, attributes, tags);
    expect(event).toBeNull();
    expect(lines).toEqual([line]);
  });
});
