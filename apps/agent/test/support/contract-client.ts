import { expect } from 'vitest';
import { SDK_KEY } from './agent-harness';
import type { OpenApiContract } from './openapi-contract';

export interface CallOptions {
  readonly query?: Record<string, string | string[]>;
  readonly body?: unknown;
  /** Headers beyond the JSON content type and the SDK key. */
  readonly headers?: Record<string, string>;
  /** The SDK key header; null sends none. */
  readonly sdkKey?: string | null;
  /** The request breaks the contract on purpose (an error case): assert that it does. */
  readonly invalidRequest?: boolean;
  /** The answer's status is one the document does not list (Agent answers it anyway). */
  readonly undocumentedStatus?: boolean;
  /** The OpenAPI path, when `path` carries more than it (default: `path`). */
  readonly operation?: string;
}

export interface CallResult {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
  readonly headers: Headers;
}

/**
 * Calls a running agent over HTTP and checks both sides against the OpenAPI contract: the request
 * must fit it (or, for error cases, must not), the response status must be documented and its body
 * must fit the documented schema.
 */
export function contractClient(contract: OpenApiContract, baseUrl: () => string) {
  return async function call(
    method: 'GET' | 'POST',
    path: string,
    options: CallOptions = {},
  ): Promise<CallResult> {
    const operation = options.operation ?? path;
    const problems = contract.requestProblems(method, operation, {
      query: options.query,
      body: options.body,
    });
    if (options.invalidRequest) expect(problems, 'the request should break the contract').not.toEqual([]);
    else expect(problems, 'request against the contract').toEqual([]);
    const url = new URL(path, baseUrl());
    for (const [name, value] of Object.entries(options.query ?? {})) {
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, v);
    }
    const sdkKey = options.sdkKey === undefined ? SDK_KEY : options.sdkKey;
    const response = await fetch(url, {
      method,
      headers: {
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
        ...(sdkKey === null ? {} : { 'x-optimizely-sdk-key': sdkKey }),
        ...options.headers,
      },
      ...(method === 'POST' ? { body: JSON.stringify(options.body ?? {}) } : {}),
    });
    const text = await response.text();
    if (!options.undocumentedStatus) {
      const responseProblems = contract.responseProblems(
        method,
        operation,
        response.status,
        response.headers.get('content-type') ?? '',
        text,
      );
      expect(responseProblems, `response ${response.status} ${text.slice(0, 200)}`).toEqual([]);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json, headers: response.headers };
  };
}
