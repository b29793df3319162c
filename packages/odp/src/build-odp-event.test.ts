import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildOdpEvent, type CommonEventData } from './build-odp-event';
import { type OdpEvent, serializeOdpEvents } from './odp-event';
import { OdpEventError } from './odp-event-error';

const common: CommonEventData = {
  idempotenceId: () => 'id-1',
  dataSource: 'javascript-sdk',
  dataSourceVersion: '1.2.3',
};

function built(result: OdpEvent | OdpEventError): OdpEvent {
  if (result instanceof OdpEventError) throw result;
  return result;
}

function refused(result: OdpEvent | OdpEventError): OdpEventError {
  expect(result).toBeInstanceOf(OdpEventError);
  return result as OdpEventError;
}

describe('buildOdpEvent', () => {
  it('defaults the type to fullstack and adds the common data first', () => {
    const event = built(
      buildOdpEvent({ action: 'purchased', identifiers: { email: 'a@b.c' } }, common, undefined),
    );
    expect(serializeOdpEvents([event])).toBe(
      '[{"type":"fullstack","action":"purchased","identifiers":{"email":"a@b.c"},' +
        '"data":{"idempotence_id":"id-1","data_source_type":"sdk","data_source":"javascript-sdk","data_source_version":"1.2.3"}}]',
    );
    expect(
      built(buildOdpEvent({ action: 'a', type: '', identifiers: { e: 'x' } }, common, undefined)).type,
    ).toBe('fullstack');
    expect(
      built(buildOdpEvent({ action: 'a', type: 'custom', identifiers: { e: 'x' } }, common, undefined)).type,
    ).toBe('custom');
  });

  it('lets the caller override every default, keeping its position', () => {
    const data = new Map<string, string | number | boolean | null>([
      ['idempotence_id', 'mine'],
      ['data_source_type', 'server'],
      ['data_source', 'my-app'],
      ['data_source_version', '9'],
      ['count', 2],
    ]);
    const event = built(buildOdpEvent({ action: 'a', identifiers: { e: 'x' }, data }, common, undefined));
    expect([...event.data]).toEqual([
      ['idempotence_id', 'mine'],
      ['data_source_type', 'server'],
      ['data_source', 'my-app'],
      ['data_source_version', '9'],
      ['count', 2],
    ]);
  });

  it('accepts Maps and plain objects alike', () => {
    const fromMap = buildOdpEvent(
      { action: 'a', identifiers: new Map([['fs_user_id', 'u']]), data: new Map([['k', true]]) },
      common,
      undefined,
    );
    const fromObject = buildOdpEvent(
      { action: 'a', identifiers: { fs_user_id: 'u' }, data: { k: true } },
      common,
      undefined,
    );
    expect(serializeOdpEvents([built(fromMap)])).toBe(serializeOdpEvents([built(fromObject)]));
  });

  it.each(['FS-USER-ID', 'fs-user-id', 'FS_USER_ID', 'Fs-User-Id', 'fs_user_id'])(
    'normalises %s to fs_user_id',
    (key) => {
      const event = built(
        buildOdpEvent({ action: 'a', identifiers: { [key]: 'u1', email: 'e' } }, common, undefined),
      );
      expect(Object.fromEntries(event.identifiers)).toEqual({ email: 'e', fs_user_id: 'u1' });
    },
  );

  it.each(['fs_user-id', 'fs-user_id', 'fsuserid', 'fs_user_id_', ' fs_user_id', 'fs_user_\u0130d'])(
    'keeps %s as an identifier of its own',
    (key) => {
      const event = built(buildOdpEvent({ action: 'a', identifiers: { [key]: 'u1' } }, common, undefined));
      expect(Object.fromEntries(event.identifiers)).toEqual({ [key]: 'u1' });
    },
  );

  it('prefers an exact fs_user_id over an alias', () => {
    const event = built(
      buildOdpEvent(
        { action: 'a', identifiers: { 'FS-USER-ID': 'alias', fs_user_id: 'exact' } },
        common,
        undefined,
      ),
    );
    expect(Object.fromEntries(event.identifiers)).toEqual({ fs_user_id: 'exact' });
  });

  it('adds the vuid when known, unless the caller sent one', () => {
    expect(
      Object.fromEntries(
        built(buildOdpEvent({ action: 'a', identifiers: { e: 'x' } }, common, 'vuid_1')).identifiers,
      ),
    ).toEqual({
      e: 'x',
      vuid: 'vuid_1',
    });
    expect(
      built(
        buildOdpEvent({ action: 'a', identifiers: { vuid: 'vuid_mine' } }, common, 'vuid_1'),
      ).identifiers.get('vuid'),
    ).toBe('vuid_mine');
  });

  it('treats __proto__ as an ordinary key and pollutes no prototype', () => {
    const identifiers = JSON.parse('{"__proto__": "x", "e": "y"}') as Record<string, string>;
    const data = JSON.parse('{"__proto__": "polluted"}') as Record<string, string>;
    const event = built(buildOdpEvent({ action: 'a', identifiers, data }, common, undefined));
    const [sent] = JSON.parse(serializeOdpEvents([event])) as [{ identifiers: object; data: object }];
    expect(sent.identifiers).toEqual(JSON.parse('{"__proto__": "x", "e": "y"}'));
    expect(Object.keys(sent.data)).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  describe('refuses, naming the bad part', () => {
    const base = { action: 'a', identifiers: { e: 'x' } };
    it.each([
      ['an empty action', { ...base, action: '' }, 'action', undefined],
      ['a missing action', { identifiers: { e: 'x' } }, 'action', undefined],
      ['a non-string type', { ...base, type: 5 }, 'type', undefined],
      ['no identifiers', { action: 'a' }, 'identifiers', undefined],
      ['empty identifiers', { action: 'a', identifiers: new Map() }, 'identifiers', undefined],
      ['identifiers as an array', { action: 'a', identifiers: [['e', 'x']] }, 'identifiers', undefined],
      ['a non-string identifier', { action: 'a', identifiers: { e: 5 } }, 'identifiers', 'e'],
      ['an empty identifier value', { action: 'a', identifiers: { e: '' } }, 'identifiers', 'e'],
      ['an empty identifier key', { action: 'a', identifiers: { '': 'x' } }, 'identifiers', ''],
      ['data as a string', { ...base, data: 'x' }, 'data', undefined],
      ['an object value', { ...base, data: { o: {} } }, 'data', 'o'],
      ['an array value', { ...base, data: { arr: [1] } }, 'data', 'arr'],
      ['NaN', { ...base, data: { n: Number.NaN } }, 'data', 'n'],
      ['Infinity', { ...base, data: { n: Number.POSITIVE_INFINITY } }, 'data', 'n'],
      ['a number beyond 2^53', { ...base, data: { big: 2 ** 53 + 2 } }, 'data', 'big'],
      ['undefined', { ...base, data: { u: undefined } }, 'data', 'u'],
      ['a bigint', { ...base, data: { b: 1n } }, 'data', 'b'],
      ['a function', { ...base, data: { f: () => 1 } }, 'data', 'f'],
    ])('%s', (_, input, field, key) => {
      const error = refused(buildOdpEvent(input as never, common, undefined));
      expect(error.code).toBe('INVALID_ODP_EVENT');
      expect(error.field).toBe(field);
      expect(error.key).toBe(key);
      if (key) expect(error.message).toContain(`"${key}"`);
    });
  });

  it('accepts every string, boolean, null and number within ±2^53, and nothing else', () => {
    const valid = fc.oneof(
      fc.string(),
      fc.boolean(),
      fc.constant(null),
      fc.double({ min: -(2 ** 53), max: 2 ** 53, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), valid), (data) => {
        const event = built(buildOdpEvent({ action: 'a', identifiers: { e: 'x' }, data }, common, undefined));
        for (const [key, value] of Object.entries(data)) expect(event.data.get(key)).toBe(value);
      }),
      { numRuns: 200 },
    );
    const invalid = fc.oneof(
      fc.object(),
      fc.array(fc.anything()),
      fc.constant(undefined),
      fc.constant(Number.NaN),
    );
    fc.assert(
      fc.property(invalid, (value) => {
        expect(
          refused(
            buildOdpEvent(
              { action: 'a', identifiers: { e: 'x' }, data: { v: value as never } },
              common,
              undefined,
            ),
          ).field,
        ).toBe('data');
      }),
      { numRuns: 200 },
    );
  });
});
