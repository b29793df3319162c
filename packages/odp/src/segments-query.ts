import { SegmentsFetchError } from './segments-fetch-error';

/** How ODP is asked about a user: by FlagKit user id or by VUID. */
export type OdpUserKey = 'fs_user_id' | 'vuid';

// A GraphQL string literal is written with JSON.stringify: JSON's string syntax is a subset of
// GraphQL's (the same escapes for `"`, `\` and control characters, `\uXXXX` for the rest), so
// GraphQL reads it back as exactly the value. The reference pastes values in raw, so a quote in a
// user id breaks (or rewrites) its query.

/**
 * The request body asking ODP which of `segments` the user qualifies for. Same layout, spacing
 * included, as the official SDK's, so values that need no escaping give byte-identical bodies.
 */
export function segmentsQueryBody(
  userKey: OdpUserKey,
  userValue: string,
  segments: readonly string[],
): string {
  // A JSON array of strings is the GraphQL list the SDK writes: literals joined by "," in brackets.
  const query =
    `query {customer(${userKey} : ${JSON.stringify(userValue)}) ` +
    `{audiences(subset: ${JSON.stringify(segments)}) {edges {node {name state}}}}}`;
  return `{"query" : ${JSON.stringify(query)}}`;
}

/**
 * The string at `path` in a parsed JSON value, or undefined where the path breaks off or ends on
 * something else. Parsed JSON has no getters and none of these keys is inherited by JSON values,
 * so reading any value (null aside) is safe.
 */
function stringAt(value: unknown, ...path: string[]): string | undefined {
  for (const key of path) value = (value as Record<string, unknown> | null | undefined)?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** Classifies the first GraphQL error of an answer. */
function graphqlError(error: unknown): SegmentsFetchError {
  const message = stringAt(error, 'message') ?? 'no message';
  const code = stringAt(error, 'extensions', 'code');
  const classification = stringAt(error, 'extensions', 'classification');
  // What the error is called: its classification, else its code.
  const kind = classification ?? code;
  if (kind === undefined) {
    return new SegmentsFetchError('decode', `a GraphQL error without a classification: ${message}`);
  }
  const reason =
    code === 'INVALID_IDENTIFIER_EXCEPTION' || classification === 'InvalidIdentifierException'
      ? 'invalidIdentifier'
      : 'other';
  return new SegmentsFetchError(reason, message, { classification: kind });
}

const notAnAnswer = () =>
  new SegmentsFetchError(
    'decode',
    'the answer is not shaped data.customer.audiences.edges[].node {name, state}',
  );

/**
 * The qualified segment names in a GraphQL answer's text. Throws a {@link SegmentsFetchError}
 * (`decode`, `invalidIdentifier` or `other`) for anything that is not a well-formed answer.
 */
export function parseSegmentsAnswer(text: string): string[] {
  let answer: { errors?: unknown; data?: { customer?: { audiences?: { edges?: unknown } } } } | null;
  try {
    answer = JSON.parse(text);
  } catch (cause) {
    throw new SegmentsFetchError('decode', 'the answer is not JSON', { cause });
  }
  const errors = answer?.errors;
  if (errors !== undefined) {
    if (!Array.isArray(errors)) throw new SegmentsFetchError('decode', '`errors` is not an array');
    if (errors.length > 0) throw graphqlError(errors[0]);
  }
  const edges = answer?.data?.customer?.audiences?.edges;
  if (!Array.isArray(edges)) throw notAnAnswer();
  const qualified: string[] = [];
  for (const edge of edges) {
    const name = stringAt(edge, 'node', 'name');
    const state = stringAt(edge, 'node', 'state');
    if (name === undefined || state === undefined) throw notAnAnswer();
    if (state === 'qualified') qualified.push(name);
  }
  return qualified;
}
