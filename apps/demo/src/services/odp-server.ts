// A stand-in for ODP (Optimizely Data Platform), at the host the datafile's `odp` integration names:
// - POST /v3/graphql answers the SDK's segments query from a small customer table; customers it
//   does not know get ODP's InvalidIdentifierException.
// - POST /v3/events takes a batch of events (a JSON array) and answers 202.
// Both require the integration's public key in `x-api-key`.

import {
  answeredPreflight,
  CORS_HEADERS,
  type Handler,
  isRecord,
  parseJson,
  readBody,
  sendJson,
} from '../http';
import type { ActivityLog, OdpEventsEntry } from '../shared/activity';

/** The SDK's query: `query {customer(<key> : "<value>") {audiences(subset: [...]) {edges {node {name state}}}}}`. */
const SEGMENTS_QUERY =
  /^query \{customer\((\w+) : ("(?:[^"\\]|\\.)*")\) \{audiences\(subset: \[((?:"(?:[^"\\]|\\.)*",?)*)\]\) \{edges \{node \{name state\}\}\}\}\}$/;

export function odpHandler(
  apiKey: string,
  customers: Readonly<Record<string, readonly string[]>>,
  activity: ActivityLog,
): Handler {
  return async (req, res) => {
    if (answeredPreflight(req, res)) return;
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || (path !== '/v3/graphql' && path !== '/v3/events')) {
      sendJson(res, 404, { message: 'not found' }, CORS_HEADERS);
      return;
    }
    const body = await readBody(req);
    if (req.headers['x-api-key'] !== apiKey) {
      sendJson(res, 401, { message: 'Invalid API key' }, CORS_HEADERS);
      return;
    }
    if (path === '/v3/events') {
      const entry = readEvents(parseJson(body));
      if (!entry) {
        sendJson(res, 400, { title: 'Bad Request', detail: 'expected a JSON array of events' }, CORS_HEADERS);
        return;
      }
      activity.add(entry);
      sendJson(res, 202, { title: 'Accepted' }, CORS_HEADERS);
      return;
    }
    sendJson(res, 200, answerQuery(body, customers, activity), CORS_HEADERS);
  };
}

function answerQuery(
  body: string,
  customers: Readonly<Record<string, readonly string[]>>,
  activity: ActivityLog,
): unknown {
  const request = parseJson(body);
  const match =
    isRecord(request) && typeof request.query === 'string' ? SEGMENTS_QUERY.exec(request.query) : null;
  if (!match) {
    return {
      errors: [
        { message: 'Invalid query', locations: [], extensions: { classification: 'ValidationError' } },
      ],
      data: null,
    };
  }
  const userKey = match[1] as string;
  const userValue = JSON.parse(match[2] as string) as string;
  const subset = JSON.parse(`[${match[3]}]`) as string[];
  // Only fs_user_id is in the table; a VUID the table has never seen is as unknown as any other id.
  const qualified =
    userKey === 'fs_user_id' && Object.hasOwn(customers, userValue) ? customers[userValue] : undefined;
  activity.add({ kind: 'odp-segments', userKey, userValue, subset, qualified: qualified ?? null });
  if (!qualified) {
    return {
      errors: [
        {
          message: `Exception while fetching data (/customer) : java.lang.RuntimeException: could not resolve _${userKey} = ${userValue}`,
          locations: [{ line: 2, column: 3 }],
          path: ['customer'],
          extensions: { classification: 'InvalidIdentifierException' },
        },
      ],
      data: { customer: null },
    };
  }
  const edges = subset.map((name) => ({
    node: { name, state: qualified.includes(name) ? 'qualified' : 'not_qualified' },
  }));
  return { data: { customer: { audiences: { edges } } } };
}

function readEvents(batch: unknown): OdpEventsEntry | null {
  if (!Array.isArray(batch)) return null;
  const events: OdpEventsEntry['events'][number][] = [];
  for (const event of batch) {
    if (!isRecord(event)) return null;
    events.push({
      type: String(event.type ?? ''),
      action: String(event.action ?? ''),
      identifiers: isRecord(event.identifiers) ? (event.identifiers as Record<string, string>) : {},
      data: isRecord(event.data) ? event.data : {},
    });
  }
  return { kind: 'odp-events', events };
}
