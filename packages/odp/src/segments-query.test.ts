import fc from 'fast-check';

/** Strings rich in what a query must escape: quotes, backslashes, control characters, lone surrogates. */
const tricky = (maxLength: number) =>
  fc.string({
    maxLength,
    unit: fc.oneof(
      fc.constantFrom(
        '"',
        '\\',
        '\n',
        '\r',
        '\t',
        '\u0000',
        '\u001f',
        '\u007f',
        '\u2028',
        '\ud800',
        '\udfff',
        '😀',
        'é',
        '{',
        ')',
        ' : ',
      ),
      fc.string({ minLength: 1, maxLength: 1 }),
    ),
  });

import { describe, expect, it } from 'vitest';
import { parseSegmentsQuery } from '../test-support/fake-odp-server';
import { SegmentsFetchError } from './segments-fetch-error';
import { parseSegmentsAnswer, segmentsQueryBody } from './segments-query';

describe('segmentsQueryBody', () => {
  it('has the official SDK layout, byte for byte, for values that need no escaping', () => {
    expect(segmentsQueryBody('fs_user_id', 'user-1', ['has_email', 'push_on_sale'])).toBe(
      '{"query" : "query {customer(fs_user_id : \\"user-1\\") {audiences(subset: [\\"has_email\\",\\"push_on_sale\\"]) {edges {node {name state}}}}}"}',
    );
    expect(segmentsQueryBody('vuid', 'vuid_abc', ['a'])).toContain('customer(vuid : \\"vuid_abc\\")');
  });

  it('escapes quotes, backslashes and control characters so a value cannot change the query', () => {
    const hostile = 'x") {audiences(subset: ["all"]) {edges {node {name state}}}}} #\\\n\u0001';
    const parsed = parseSegmentsQuery(segmentsQueryBody('fs_user_id', hostile, ['seg"1', 'seg\\2']));
    expect(parsed).toEqual({ userKey: 'fs_user_id', userValue: hostile, subset: ['seg"1', 'seg\\2'] });
  });

  it('round-trips any user id and segment names through a GraphQL reader', () => {
    fc.assert(
      fc.property(tricky(40), fc.array(tricky(12), { maxLength: 6 }), (id, segments) => {
        const body = segmentsQueryBody('fs_user_id', id, segments);
        expect(() => JSON.parse(body)).not.toThrow();
        expect(parseSegmentsQuery(body)).toEqual({
          userKey: 'fs_user_id',
          userValue: id,
          subset: segments,
        });
      }),
      { numRuns: 200 },
    );
  }, 20_000);
});

describe('parseSegmentsAnswer', () => {
  const answer = (edges: unknown) => JSON.stringify({ data: { customer: { audiences: { edges } } } });

  it('returns the names of qualified nodes only, in order', () => {
    const text = answer([
      { node: { name: 'b', state: 'qualified' } },
      { node: { name: 'a', state: 'not_qualified' } },
      { node: { name: 'c', state: 'qualified' } },
    ]);
    expect(parseSegmentsAnswer(text)).toEqual(['b', 'c']);
    expect(parseSegmentsAnswer(answer([]))).toEqual([]);
  });

  const failure = (text: string): SegmentsFetchError => {
    try {
      parseSegmentsAnswer(text);
    } catch (error) {
      expect(error).toBeInstanceOf(SegmentsFetchError);
      return error as SegmentsFetchError;
    }
    throw new Error('expected a failure');
  };

  it.each([
    ['not JSON', 'not json'],
    ['not an object', '[1,2]'],
    ['no edges', JSON.stringify({ data: { customer: {} } })],
    ['customer null without errors', JSON.stringify({ data: { customer: null } })],
    ['a node without a state', answer([{ node: { name: 'a' } }])],
    ['a name that is not a string', answer([{ node: { name: 1, state: 'qualified' } }])],
    ['errors that are not an array', JSON.stringify({ errors: {}, data: null })],
    ['an error without classification', JSON.stringify({ errors: [{ message: 'x', extensions: {} }] })],
  ])('classifies %s as a decode error', (_, text) => {
    expect(failure(text).reason).toBe('decode');
  });

  it('classifies InvalidIdentifierException (by classification or by code) as invalid identifier', () => {
    const byClassification = JSON.stringify({
      errors: [
        { message: 'could not resolve', extensions: { classification: 'InvalidIdentifierException' } },
      ],
      data: { customer: null },
    });
    const byCode = JSON.stringify({
      errors: [
        {
          message: 'm',
          extensions: { code: 'INVALID_IDENTIFIER_EXCEPTION', classification: 'DataFetchingException' },
        },
      ],
    });
    expect(failure(byClassification).reason).toBe('invalidIdentifier');
    expect(failure(byCode).reason).toBe('invalidIdentifier');
    expect(failure(byCode).message).toMatch(/^Audience segments fetch failed \(invalid identifier\)/);
  });

  it('classifies any other GraphQL error as other, naming the classification', () => {
    const error = failure(
      JSON.stringify({
        errors: [{ message: 'boom', extensions: { classification: 'DataFetchingException' } }],
      }),
    );
    expect(error.reason).toBe('other');
    expect(error.classification).toBe('DataFetchingException');
    expect(error.message).toMatch(/^Audience segments fetch failed \(DataFetchingException\)/);
  });
});
