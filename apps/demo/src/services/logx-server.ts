// A stand-in for logx, Optimizely's event endpoint: POST /v1/events takes a batch (JSON, or the
// text/plain body sendBeacon uses), records a summary in the activity log and answers 204.

import {
  answeredPreflight,
  CORS_HEADERS,
  type Handler,
  isRecord,
  parseJson,
  readBody,
  sendJson,
} from '../http';
import type { ActivityLog, LogxEntry } from '../shared/activity';

export function logxHandler(activity: ActivityLog): Handler {
  return async (req, res) => {
    if (answeredPreflight(req, res)) return;
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/v1/events') {
      sendJson(res, 404, { error: 'not found' }, CORS_HEADERS);
      return;
    }
    const batch = parseJson(await readBody(req));
    const entry = summarize(batch);
    if (!entry) {
      sendJson(res, 400, { error: 'not a logx batch' }, CORS_HEADERS);
      return;
    }
    activity.add(entry);
    res.writeHead(204, CORS_HEADERS).end();
  };
}

/** Reads a logx batch into one line per event, or null when it is not one. */
function summarize(batch: unknown): LogxEntry | null {
  if (!isRecord(batch) || !Array.isArray(batch.visitors)) return null;
  const events: LogxEntry['events'][number][] = [];
  for (const visitor of batch.visitors) {
    if (!isRecord(visitor) || !Array.isArray(visitor.snapshots)) return null;
    const visitorId = String(visitor.visitor_id);
    for (const snapshot of visitor.snapshots) {
      if (!isRecord(snapshot) || !Array.isArray(snapshot.events)) return null;
      const decision = Array.isArray(snapshot.decisions) ? snapshot.decisions[0] : undefined;
      const metadata = isRecord(decision) && isRecord(decision.metadata) ? decision.metadata : {};
      for (const event of snapshot.events) {
        if (!isRecord(event)) return null;
        const key = String(event.key);
        if (key === 'campaign_activated') {
          events.push({
            visitorId,
            key,
            flagKey: String(metadata.flag_key ?? ''),
            ruleKey: String(metadata.rule_key ?? ''),
            variationKey: String(metadata.variation_key ?? ''),
          });
        } else {
          events.push({ visitorId, key, ...(isRecord(event.tags) ? { tags: event.tags } : {}) });
        }
      }
    }
  }
  return { kind: 'logx', events, clientName: String(batch.client_name ?? '') };
}
