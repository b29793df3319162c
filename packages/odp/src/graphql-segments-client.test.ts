import type { HttpRequest, HttpResponse, Requester } from '@flagkit/core';
import { describe, expect, it } from 'vitest';
import { GraphqlSegmentsClient } from './graphql-segments-client';
import type { OdpConfig } from './odp-config';
import { SegmentsFetchError } from './segments-fetch-error';

const CONFIG: OdpConfig = { apiHost: 'https://odp.invalid', apiKey: 'key', segmentsToCheck: ['a'] };

/** A requester that fails every request with `error`, as an HTTP stack would report it. */
function failingWith(error: unknown): Requester {
  return {
    request(_request: HttpRequest): Promise<HttpResponse> {
      return Promise.reject(error);
    },
  };
}

async function reasonFor(error: unknown): Promise<string> {
  const client = new GraphqlSegmentsClient(failingWith(error), 1_000);
  const failure = await client.fetchSegments(CONFIG, 'fs_user_id', 'u', ['a']).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(failure).toBeInstanceOf(SegmentsFetchError);
  return (failure as SegmentsFetchError).reason;
}

describe('GraphqlSegmentsClient failure classification', () => {
  it('calls a requester error a timeout by its name or code, anything else a network error', async () => {
    const named = (name: string) => Object.assign(new Error('x'), { name });
    const coded = (code: unknown) => Object.assign(new Error('x'), { code });
    expect(await reasonFor(named('TimeoutError'))).toBe('timeout');
    expect(await reasonFor(coded('ETIMEDOUT'))).toBe('timeout');
    expect(await reasonFor(coded('UND_ERR_HEADERS_TIMEOUT'))).toBe('timeout');
    expect(await reasonFor(coded('ETIMEDOUTX'))).toBe('network');
    expect(await reasonFor(coded('ECONNREFUSED'))).toBe('network');
    expect(await reasonFor(coded(408))).toBe('network');
    expect(await reasonFor(named('AbortError'))).toBe('network');
    expect(await reasonFor('TimeoutError')).toBe('network');
    expect(await reasonFor(null)).toBe('network');
    expect(await reasonFor(undefined)).toBe('network');
  });
});
