// The demo web app: the page, its script, and the JSON APIs behind it (config, server-side
// decisions, the datafile editor, the live activity feed as server-sent events).

import type { ServerResponse } from 'node:http';
import { DatafileEditError, type DatafileStore } from './datafile-store';
import { type Handler, isRecord, parseJson, readBody, sendJson } from './http';
import type { PageAssets } from './page-bundle';
import type { ServerDecider } from './server-decider';
import type { ActivityEntry, ActivityLog } from './shared/activity';
import type { DemoConfig, ServerDecideRequest } from './shared/api';

export interface AppServerParts {
  readonly assets: PageAssets;
  readonly config: DemoConfig;
  readonly store: DatafileStore;
  readonly activity: ActivityLog;
  readonly server: ServerDecider;
  /** Open event streams, ended when the demo shuts down. */
  readonly streams: Set<ServerResponse>;
}

export function appHandler(parts: AppServerParts): Handler {
  const { assets, config, store, activity, server, streams } = parts;
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = `${req.method} ${path}`;
    switch (route) {
      case 'GET /':
      case 'GET /index.html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(assets.html);
        return;
      case 'GET /app.js':
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
        res.end(assets.script);
        return;
      case 'GET /styles.css':
        res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-store' });
        res.end(assets.css);
        return;
      case 'GET /favicon.ico':
        res.writeHead(204).end();
        return;
      case 'GET /api/config':
        sendJson(res, 200, config);
        return;
      case 'GET /api/datafile':
        sendJson(res, 200, store.summary());
        return;
      case 'GET /api/activity':
        sendJson(res, 200, activity.all());
        return;
      case 'GET /api/activity/stream':
        openStream(res, activity, streams);
        return;
      case 'POST /api/decide': {
        const request = readDecideRequest(parseJson(await readBody(req)));
        if (typeof request === 'string') return sendJson(res, 400, { error: request });
        try {
          sendJson(res, 200, await server.decide(request));
        } catch (error) {
          sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
        }
        return;
      }
      case 'POST /api/datafile/traffic':
      case 'POST /api/datafile/audience': {
        const body = parseJson(await readBody(req));
        if (!isRecord(body) || typeof body.ruleKey !== 'string')
          return sendJson(res, 400, { error: 'Expected { "ruleKey": … }.' });
        try {
          if (path.endsWith('traffic'))
            sendJson(res, 200, store.setTraffic(body.ruleKey, Number(body.percent)));
          else {
            const audienceId =
              typeof body.audienceId === 'string' && body.audienceId !== '' ? body.audienceId : null;
            sendJson(res, 200, store.setAudience(body.ruleKey, audienceId));
          }
        } catch (error) {
          if (!(error instanceof DatafileEditError)) throw error;
          sendJson(res, 400, { error: error.message });
        }
        return;
      }
      default:
        sendJson(res, 404, { error: `No route ${route}.` });
    }
  };
}

/** Streams every entry so far, then each new one, as server-sent events. */
function openStream(res: ServerResponse, activity: ActivityLog, streams: Set<ServerResponse>): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  const send = (entry: ActivityEntry) => res.write(`id: ${entry.seq}\ndata: ${JSON.stringify(entry)}\n\n`);
  for (const entry of activity.all()) send(entry);
  const unsubscribe = activity.subscribe(send);
  streams.add(res);
  res.on('close', () => {
    unsubscribe();
    streams.delete(res);
  });
}

/** Validates the page's decide request; a string is the reason it is not one. */
function readDecideRequest(body: unknown): ServerDecideRequest | string {
  if (!isRecord(body) || typeof body.userId !== 'string') return 'Expected { "userId": string, … }.';
  const attributes = isRecord(body.attributes) ? body.attributes : {};
  for (const [key, value] of Object.entries(attributes)) {
    if (!['string', 'number', 'boolean'].includes(typeof value))
      return `Attribute "${key}" must be a string, number or boolean.`;
  }
  const forced = isRecord(body.forcedDecisions) ? body.forcedDecisions : {};
  for (const [key, value] of Object.entries(forced)) {
    if (typeof value !== 'string') return `Forced decision for "${key}" must be a variation key.`;
  }
  const segments = Array.isArray(body.segments)
    ? body.segments.filter((s): s is string => typeof s === 'string')
    : null;
  return {
    userId: body.userId,
    attributes: attributes as Record<string, string | number | boolean>,
    forcedDecisions: forced as Record<string, string>,
    segments,
  };
}
