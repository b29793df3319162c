import type { Requester } from '@flagkit/core';
import { errorMessage } from './error-message';
import { type OdpConfig, postToOdp } from './odp-config';
import { SegmentsFetchError } from './segments-fetch-error';
import { type OdpUserKey, parseSegmentsAnswer, segmentsQueryBody } from './segments-query';
import { startTimer } from './timers';

/** Default bound on a whole segments request, answer included. */
export const DEFAULT_SEGMENTS_API_TIMEOUT_MS = 10_000;

function isTimeoutError(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return name === 'TimeoutError' || (typeof code === 'string' && /^ETIMEDOUT$|_TIMEOUT$/.test(code));
}

/** Asks ODP's GraphQL API which segments a user qualifies for. */
export class GraphqlSegmentsClient {
  readonly #requester: Requester;
  readonly #timeoutMs: number;

  constructor(requester: Requester, timeoutMs: number = DEFAULT_SEGMENTS_API_TIMEOUT_MS) {
    this.#timeoutMs = timeoutMs;
    this.#requester = requester;
  }

  /**
   * The qualified subset of `segments` for the user. Rejects with a classified
   * {@link SegmentsFetchError}; settles within the timeout even if the requester does not.
   */
  fetchSegments(
    config: OdpConfig,
    userKey: OdpUserKey,
    userValue: string,
    segments: readonly string[],
  ): Promise<string[]> {
    const timeoutMs = this.#timeoutMs;
    return new Promise((resolve, reject) => {
      const timer = startTimer(
        () => reject(new SegmentsFetchError('timeout', `no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#exchange(config, segmentsQueryBody(userKey, userValue, segments))
        .then(resolve, reject)
        .then(() => clearTimeout(timer));
    });
  }

  async #exchange(config: OdpConfig, body: string): Promise<string[]> {
    let text: string;
    let status: number;
    try {
      const response = await postToOdp(this.#requester, config, '/v3/graphql', body, this.#timeoutMs);
      status = response.status;
      text = await response.text();
    } catch (cause) {
      const reason = isTimeoutError(cause) ? 'timeout' : 'network';
      throw new SegmentsFetchError(reason, errorMessage(cause), { cause });
    }
    if (status < 200 || status >= 300) {
      throw new SegmentsFetchError('http', `ODP answered HTTP ${status}`, { status });
    }
    return parseSegmentsAnswer(text);
  }
}
