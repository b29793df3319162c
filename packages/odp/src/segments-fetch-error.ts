import { FlagKitError } from '@flagkit/core';

/**
 * Why a segments fetch failed:
 * - `network`: the request could not be made or the connection failed;
 * - `timeout`: no complete answer within the segments API timeout;
 * - `http`: ODP answered with a status outside 200–299 (`status` says which);
 * - `decode`: the body is not JSON or not the shape of a segments answer;
 * - `invalidIdentifier`: ODP does not know the user (`InvalidIdentifierException`);
 * - `other`: ODP answered with another GraphQL error (`classification` says which).
 */
export type SegmentsFetchFailure = 'network' | 'timeout' | 'http' | 'decode' | 'invalidIdentifier' | 'other';

/** How the log line names a failure, as the reference's; `timeout` and `other` are their own name. */
const LOG_LABEL: Partial<Record<SegmentsFetchFailure, string>> = {
  network: 'network error',
  http: 'http error',
  decode: 'decode error',
  invalidIdentifier: 'invalid identifier',
};

/** A failed fetch of a user's qualified segments, classified. Logged, never thrown to users. */
export class SegmentsFetchError extends FlagKitError {
  readonly reason: SegmentsFetchFailure;
  /** The HTTP status, for `http` failures. */
  readonly status: number | undefined;
  /** ODP's GraphQL error classification, when it sent one. */
  readonly classification: string | undefined;

  constructor(
    reason: SegmentsFetchFailure,
    detail: string,
    extra: { status?: number; classification?: string; cause?: unknown } = {},
  ) {
    const label = (reason === 'other' && extra.classification) || LOG_LABEL[reason] || reason;
    // Error options read `cause` only (and set none when it is absent).
    super('ODP_SEGMENTS_FETCH_FAILED', `Audience segments fetch failed (${label}): ${detail}`, extra);
    this.name = 'SegmentsFetchError';
    this.reason = reason;
    this.status = extra.status;
    this.classification = extra.classification;
  }
}
