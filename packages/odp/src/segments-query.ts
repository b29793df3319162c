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
  let subset = '';
  for (let i = 0; i < segments.length; i++) {
    if (i > 0) subset += ',';
    subset += JSON.stringify(segments[i] as string);
  }
  const query =
    `query {customer(${userKey} : ${JSON.stringify(userValue)}) ` +
    `{audiences(subset: [${subset}]) {edges {node {name state}}}}}`;
  return `{"query" : ${JSON.stringify(query)}}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Classifies the first GraphQL error of an answer. */
function graphqlError(errors: readonly unknown[]): SegmentsFetchError {
  const first = errors[0];
  const extensions = isRecord(first) && isRecord(first.extensions) ? first.extensions : {};
  const message = isRecord(first) && typeof first.message === 'string' ? first.message : 'no message';
  const classification =
    typeof extensions.classification === 'string' ? extensions.classification : undefined;
  const code = typeof extensions.code === 'string' ? extensions.code : undefined;
  if (code === 'INVALID_IDENTIFIER_EXCEPTION' || classification === 'InvalidIdentifierException') {
    return new SegmentsFetchError('invalidIdentifier', message, { classification: classification ?? code });
  }
  if (classification === undefined && code === undefined) {
    return new SegmentsFetchError('decode', `a GraphQL error without a classification: ${message}`);
  }
  return new SegmentsFetchError('other', message, { classification: classification ?? code });
}

/**
 * The qualified segment names in a GraphQL answer's text. Throws a {@link SegmentsFetchError}
 * (`decode`, `invalidIdentifier` or `other`) for anything that is not a well-formed answer.
 */
export function parseSegmentsAnswer(text: string): string[] {
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch (cause) {
    throw new SegmentsFetchError('decode', 'the answer is not JSON', { cause });
  }
  if (!isRecord(answer)) throw new SegmentsFetchError('decode', 'the answer is not a JSON object');
  if (answer.errors !== undefined) {
    if (!Array.isArray(answer.errors)) throw new SegmentsFetchError('decode', '`errors` is not an array');
    if (answer.errors.length > 0) throw graphqlError(answer.errors);
  }
  const data = answer.data;
  const customer = isRecord(data) ? data.customer : undefined;
  const audiences = isRecord(customer) ? customer.audiences : undefined;
  const edges = isRecord(audiences) ? audiences.edges : undefined;
  if (!Array.isArray(edges)) {
    throw new SegmentsFetchError('decode', 'the answer has no data.customer.audiences.edges array');
  }
  const qualified: string[] = [];
  for (const edge of edges) {
    const node = isRecord(edge) ? edge.node : undefined;
    if (!isRecord(node) || typeof node.name !== 'string' || typeof node.state !== 'string') {
      throw new SegmentsFetchError('decode', 'an edge has no node with a string name and state');
    }
    if (node.state === 'qualified') qualified.push(node.name);
  }
  return qualified;
}
