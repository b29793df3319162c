import type {
  ConversionEvent,
  EventContext,
  ImpressionEvent,
  UserEvent,
  VisitorAttribute,
} from '@flagkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeConversion, makeImpression } from '../test-support/events';
import { BatchLogEvent } from './batch-log-event';
import { buildLogxBatch } from './log-event-builder';
import { serializeLogxBatchBytes } from './log-event-byte-serializer';
import { serializeLogxBatch } from './log-event-serializer';

// The serializer must write exactly JSON.stringify(buildLogxBatch(events)): the conformance test
// proves the latter against the official SDK, this proves the former equal to it for any input,
// with cold and warm caches, shared and unshared objects.

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom(
    '',
    '"',
    '\\',
    '\u2028\u2029',
    '\ud800',
    '\udfff x',
    '\u0000\u001f\u007f',
    '</script>',
    '😀',
  ),
);
const number = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(
    -0,
    1e21,
    1e-7,
    5e-324,
    2 ** 53,
    -(2 ** 53),
    0.1 + 0.2,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ),
);
const attributeValue = fc.oneof(text, number, fc.boolean());

function deepFreeze<T>(list: T[]): T[] {
  for (const item of list) Object.freeze(item);
  return Object.freeze(list) as T[];
}

const attributeList = fc
  .tuple(
    fc.array(fc.record({ entityId: text, key: text, value: attributeValue }), { maxLength: 5 }),
    fc.boolean(),
  )
  .map(([list, frozen]) => (frozen ? deepFreeze(list) : list) as readonly VisitorAttribute[]);

const context = fc
  .tuple(
    fc.record({
      accountId: text,
      projectId: text,
      revision: text,
      clientName: text,
      clientVersion: text,
      anonymizeIP: fc.boolean(),
      botFiltering: fc.constantFrom(true, false, undefined),
      region: fc.constantFrom('US', 'EU', ''),
    }),
    fc.boolean(),
  )
  .map(([value, frozen]) => (frozen ? Object.freeze(value) : value) as EventContext);

const nullableId = fc.oneof(text, fc.constant(null), fc.stringMatching(/^[0-9]{1,8}$/));
const entity = fc.record({ id: nullableId, key: text });

/** Shared pools, so that events reuse contexts, attribute lists and variation objects as core's do. */
const pools = fc.record({
  contexts: fc.array(context, { minLength: 1, maxLength: 2 }),
  lists: fc.array(attributeList, { minLength: 1, maxLength: 3 }),
  variations: fc.array(
    fc
      .tuple(entity, fc.boolean())
      .map(([variation, frozen]) => (frozen ? Object.freeze(variation) : variation)),
    { minLength: 1, maxLength: 3 },
  ),
  experiments: fc.array(entity, { minLength: 1, maxLength: 2 }),
  layers: fc.array(nullableId, { minLength: 1, maxLength: 2 }),
  ruleKeys: fc.array(text, { minLength: 1, maxLength: 2 }),
});

interface Pools {
  contexts: EventContext[];
  lists: (readonly VisitorAttribute[])[];
  variations: ImpressionEvent['variation'][];
  experiments: ImpressionEvent['experiment'][];
  layers: (string | null)[];
  ruleKeys: string[];
}

const pick = <T>(pool: readonly T[], index: number): T => pool[index % pool.length]!;

function impressionFrom(p: Pools) {
  return fc
    .record({
      c: fc.nat(),
      l: fc.nat(),
      v: fc.nat(),
      uuid: text,
      timestamp: number,
      userId: text,
      la: fc.nat(),
      ex: fc.nat(),
      ru: fc.nat(),
      // Few values, so events often share all but one field of a decision (what the cache must tell apart).
      flagKey: fc.constantFrom('flag_a', '"quoted"'),
      ruleType: fc.constantFrom('feature-test', 'rollout'),
      enabled: fc.boolean(),
      cmabUuid: fc.option(text, { nil: undefined }),
    })
    .map(
      (r): ImpressionEvent => ({
        type: 'impression',
        uuid: r.uuid,
        timestamp: r.timestamp,
        context: p.contexts[r.c % p.contexts.length]!,
        user: { id: r.userId, attributes: p.lists[r.l % p.lists.length]! },
        layer: { id: pick(p.layers, r.la) },
        experiment: pick(p.experiments, r.ex),
        variation: pick(p.variations, r.v),
        ruleKey: pick(p.ruleKeys, r.ru),
        flagKey: r.flagKey,
        ruleType: r.ruleType as ImpressionEvent['ruleType'],
        enabled: r.enabled,
        ...(r.cmabUuid === undefined ? {} : { cmabUuid: r.cmabUuid }),
      }),
    );
}

const tagValue = fc.oneof(
  text,
  number,
  fc.boolean(),
  fc.constant(null),
  fc.dictionary(text, text, { maxKeys: 2 }),
);

function conversionFrom(p: Pools) {
  return fc
    .record({
      c: fc.nat(),
      l: fc.nat(),
      uuid: text,
      timestamp: number,
      userId: text,
      event: entity,
      revenue: fc.option(number, { nil: null }),
      value: fc.option(number, { nil: null }),
      tags: fc.option(fc.dictionary(text, tagValue, { maxKeys: 4 }), { nil: undefined }),
    })
    .map(
      (r): ConversionEvent => ({
        type: 'conversion',
        uuid: r.uuid,
        timestamp: r.timestamp,
        context: p.contexts[r.c % p.contexts.length]!,
        user: { id: r.userId, attributes: p.lists[r.l % p.lists.length]! },
        event: r.event,
        revenue: r.revenue,
        value: r.value,
        tags: r.tags,
      }),
    );
}

const batches = pools.chain((p) =>
  fc.array(fc.array(fc.oneof(impressionFrom(p), conversionFrom(p)), { minLength: 1, maxLength: 10 }), {
    minLength: 1,
    maxLength: 4,
  }),
);

const encoder = new TextEncoder();
// Fatal: bytes that are not valid UTF-8 throw, so equal decoded text means equal bytes.
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Both serializers write what JSON.stringify writes for the built batch: as text, and as its UTF-8 bytes. */
function expectWrittenAsJson(events: readonly UserEvent[]): void {
  const expected = JSON.stringify(buildLogxBatch(events));
  expect(serializeLogxBatch(events)).toBe(expected);
  expect(decoder.decode(serializeLogxBatchBytes(events))).toBe(expected);
}

describe('serializeLogxBatch', () => {
  it('writes the same text as JSON.stringify(buildLogxBatch(events)), cold and warm', () => {
    fc.assert(
      fc.property(batches, (list) => {
        for (let round = 0; round < 2; round++) {
          for (const events of list) expectWrittenAsJson(events);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('writes what an unfrozen attributes list holds now, not what it held before', () => {
    const attributes: VisitorAttribute[] = [{ entityId: '1', key: 'plan', value: 'free' }];
    const event = makeImpression({ user: { id: 'u', attributes } });
    expect(serializeLogxBatch([event])).toContain('"value":"free"');
    attributes[0] = { entityId: '1', key: 'plan', value: 'pro' };
    expect(serializeLogxBatch([event])).toContain('"value":"pro"');
  });

  it('keeps decisions apart that share a variation object', () => {
    const variation = Object.freeze({ id: '1', key: 'on' });
    const a = makeImpression({ variation, flagKey: 'a', enabled: true });
    const b = makeImpression({ variation, flagKey: 'b', enabled: false });
    const c = makeImpression({ variation, flagKey: 'a', enabled: false });
    for (let i = 0; i < 2; i++) expectWrittenAsJson([a, b, c]);
  });

  it.each<[string, Partial<ImpressionEvent>]>([
    ['layer', { layer: { id: '999' } }],
    ['experiment id', { experiment: { id: '998', key: 'exp' } }],
    ['experiment-only campaign', { layer: { id: '' }, experiment: { id: '997', key: 'exp' } }],
    ['rule key', { ruleKey: 'other' }],
    ['flag key', { flagKey: 'other' }],
    ['rule type', { ruleType: 'rollout' }],
    ['enabled', { enabled: false }],
    ['cmab uuid', { cmabUuid: 'c-9' }],
  ])('keeps decisions apart that differ only in the %s', (_field, change) => {
    const variation = Object.freeze({ id: '555', key: 'v1' });
    const base = makeImpression({ variation });
    const other = makeImpression({ variation, ...change });
    for (let i = 0; i < 2; i++) expectWrittenAsJson([base, other]);
  });

  it('writes the head of an unfrozen context as it is now', () => {
    const context = { ...makeImpression().context };
    const event = makeImpression({ context });
    expect(serializeLogxBatch([event])).toContain('"revision":"7"');
    context.revision = '8';
    expect(serializeLogxBatch([event])).toContain('"revision":"8"');
  });

  it('writes malformed custom events exactly as JSON.stringify does', () => {
    const odd = [
      makeImpression({ uuid: undefined as unknown as string }),
      makeImpression({ timestamp: '5' as unknown as number }),
      makeImpression({ ruleKey: undefined as unknown as string }),
      makeImpression({ user: { id: 7 as unknown as string, attributes: [] } }),
      makeConversion({ user: { id: undefined as unknown as string, attributes: [] } }),
      { ...makeImpression(), type: 'other' } as unknown as UserEvent,
    ];
    const outcome = (write: () => string) => {
      try {
        return write();
      } catch (error) {
        return `threw ${(error as Error).name}`;
      }
    };
    for (const event of odd) {
      const expected = outcome(() => JSON.stringify(buildLogxBatch([event])));
      expect(outcome(() => serializeLogxBatch([event]))).toBe(expected);
      expect(outcome(() => decoder.decode(serializeLogxBatchBytes([event])))).toBe(expected);
    }
    expectWrittenAsJson([]);
  });

  it('throws where JSON.stringify throws, and the byte writer starts clean afterwards', () => {
    const event = makeConversion({ tags: { big: 1n as unknown as number } });
    expect(() => serializeLogxBatch([event])).toThrow();
    expect(() => serializeLogxBatchBytes([makeImpression(), event])).toThrow();
    expectWrittenAsJson([makeImpression()]);
  });

  it('writes a batch whose tag serializes another batch while it is written', () => {
    const inner = [makeImpression({ uuid: 'inner' })];
    const tags = { nested: { toJSON: () => decoder.decode(serializeLogxBatchBytes(inner)) } };
    const outer = [
      makeImpression({ uuid: 'before' }),
      makeConversion({ tags }),
      makeImpression({ uuid: 'after' }),
    ];
    expectWrittenAsJson(outer);
    expect(serializeLogxBatch(outer)).toContain('inner');
  });

  it('writes bodies larger than the byte writer starts with', () => {
    const attributes = Object.freeze([
      Object.freeze({ entityId: '1', key: 'bio', value: `é${'x'.repeat(40_000)}😀` }),
    ]);
    const events = Array.from({ length: 30 }, (_, i) =>
      makeImpression({ uuid: `u-${i}`, user: { id: `ü${i}`, attributes } }),
    );
    expectWrittenAsJson(events);
    expectWrittenAsJson(events.slice(0, 2));
  });
});

describe('BatchLogEvent', () => {
  it('builds params only when read, and then sends what params holds', () => {
    const event = makeImpression();
    const logEvent = new BatchLogEvent([event], 'https://example.test/v1/events');
    const body = logEvent.serializedBodyBy(serializeLogxBatch);
    expect(body).toBe(JSON.stringify(buildLogxBatch([event])));
    expect(logEvent.serializedBodyBy(serializeLogxBatch)).toBe(body); // written once
    const params = logEvent.params as { revision: string };
    expect(JSON.stringify(params)).toBe(body);
    expect(logEvent.params).toBe(params);
    // Whoever read params may change it; the body then comes from params.
    expect(logEvent.serializedBodyBy(serializeLogxBatch)).toBeUndefined();
  });

  it('looks like a plain LogEvent to spreads and JSON', () => {
    const event = makeConversion();
    const logEvent = new BatchLogEvent([event], 'https://example.test/v1/events');
    const plain = {
      url: 'https://example.test/v1/events',
      httpVerb: 'POST',
      params: buildLogxBatch([event]),
    };
    expect({ ...logEvent }).toEqual(plain);
    expect(JSON.stringify(logEvent)).toBe(JSON.stringify(plain));
    expect(Object.keys(logEvent)).toEqual(['url', 'httpVerb', 'params']);
  });

  it('has the body as bytes too, until params is read', () => {
    const event = makeImpression();
    const logEvent = new BatchLogEvent([event], 'https://example.test/v1/events');
    const bytes = logEvent.serializedBytesBy(serializeLogxBatchBytes);
    expect(bytes).toEqual(encoder.encode(JSON.stringify(buildLogxBatch([event]))));
    expect(logEvent.serializedBytesBy(serializeLogxBatchBytes)).toBe(bytes); // written once, reused by retries
    void logEvent.params;
    expect(logEvent.serializedBytesBy(serializeLogxBatchBytes)).toBeUndefined();
  });

  it('has no body for events JSON cannot write, so the dispatcher reports them', () => {
    const event = makeConversion({ tags: { big: 1n as unknown as number } });
    const logEvent = new BatchLogEvent([event], 'https://example.test/v1/events');
    expect(logEvent.serializedBodyBy(serializeLogxBatch)).toBeUndefined();
    expect(logEvent.serializedBytesBy(serializeLogxBatchBytes)).toBeUndefined();
    expect(() => JSON.stringify(logEvent.params)).toThrow();
  });
});
