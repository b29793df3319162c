import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { AgentClient } from '../sdk/client-cache';
import { STREAM_TYPES } from '../sdk/go-notifications';
import type { NotificationBus } from '../sync/notification-bus';

export interface NotificationStreamOptions {
  readonly enabled: boolean;
  readonly bus: NotificationBus;
  /** Interval of `: ping` comments, ms; 0 sends none. */
  readonly keepAliveInterval: number;
}

/**
 * `GET /v1/notifications/event-stream`: the key's notifications as server-sent events
 * (`data: <json>\n\n`), or as NDJSON with `raw`. `filter=decision,track,project_config_update`
 * (repeatable or comma-separated; unknown names ignored; none means all). The stream subscribes
 * to the bus under the bare SDK key, so `key:token` clients see their key's notifications.
 */
export function registerNotificationStreamRoute(
  app: FastifyInstance,
  options: NotificationStreamOptions,
): void {
  // Streams never end by themselves: close them when the server closes, or closing would wait forever.
  const open = new Set<ServerResponse>();
  app.addHook('preClose', (done) => {
    for (const res of open) res.end();
    open.clear();
    done();
  });
  app.get('/v1/notifications/event-stream', (request, reply) => {
    if (!options.enabled) {
      reply
        .code(403)
        .header('content-type', 'text/plain; charset=utf-8')
        .send('Notification stream not enabled\n');
      return reply;
    }
    const entry = request.agentClient as AgentClient;
    const query = request.query as Record<string, unknown>;
    const wanted = filters(query.filter);
    const raw = query.raw !== undefined && query.raw !== 'false';

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': raw ? 'application/x-ndjson' : 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.flushHeaders();
    const unsubscribe = options.bus.subscribe(entry.sdkKey, (notification) => {
      if (wanted !== null && !wanted.has(notification.type)) return;
      const json = JSON.stringify(notification.message);
      res.write(raw ? `${json}\n` : `data: ${json}\n\n`);
    });
    const ping =
      options.keepAliveInterval > 0 && !raw
        ? setInterval(() => res.write(': ping\n\n'), options.keepAliveInterval)
        : undefined;
    ping?.unref?.();
    open.add(res);
    const stop = () => {
      open.delete(res);
      unsubscribe();
      if (ping) clearInterval(ping);
    };
    request.raw.on('close', stop);
    res.on('error', stop);
    return reply;
  });
}

function filters(filter: unknown): Set<string> | null {
  const values = (Array.isArray(filter) ? filter : typeof filter === 'string' ? [filter] : [])
    .flatMap((v: unknown) => (typeof v === 'string' ? v.split(',') : []))
    .map((v) => v.trim())
    .filter((v) => (STREAM_TYPES as readonly string[]).includes(v));
  return values.length === 0 ? null : new Set(values);
}
