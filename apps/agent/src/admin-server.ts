import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { createBaseServer, type ServerParts } from './api-server';
import { TokenAuth } from './auth/token-issuer';
import { sendJson } from './http/send';

const APP_NAME = 'flagkit-agent';
const AUTHOR = 'FlagKit';

/** The admin listener: `/info`, `/metrics` (Prometheus text), `/config` and `/oauth/token`. */
export function createAdminServer(parts: ServerParts): FastifyInstance {
  const { config, clients, metrics } = parts;
  const app = createBaseServer(parts);
  const auth = new TokenAuth(config.admin.auth, 'admin', parts.logger);
  app.addHook('onClose', (_instance, done) => {
    auth.close();
    done();
  });
  const started = Date.now();

  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('author', AUTHOR).header('app-name', APP_NAME).header('app-version', __AGENT_VERSION__);
    done();
  });
  auth.registerTokenRoute(app);
  app.register(async (guarded) => {
    if (auth.enabled) {
      guarded.addHook('onRequest', (request, reply, done) => {
        const refusal = auth.check(request.headers, undefined);
        if (refusal !== null) {
          sendJson(reply, 401, { error: 'unauthorized', reason: refusal });
          return;
        }
        done();
      });
    }
    guarded.get('/info', async (_request, reply) =>
      sendJson(reply, 200, {
        version: __AGENT_VERSION__,
        author: AUTHOR,
        app_name: APP_NAME,
        uptime: `${Math.floor((Date.now() - started) / 1000)}s`,
        host: hostname(),
      }),
    );
    guarded.get('/metrics', async (_request, reply) =>
      reply
        .code(200)
        .header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
        .send(
          metrics.toPrometheus(
            { flagkit_agent_sdk_clients: clients.readyClients().length },
            parts.events.toPrometheus(),
          ),
        ),
    );
    guarded.get('/config', async (_request, reply) => sendJson(reply, 200, redacted(config)));
  });
  return app;
}

/** The config with every secret replaced, as the admin `/config` shows it. */
function redacted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redacted);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = /secret|password|token|hash/i.test(key) ? '[redacted]' : redacted(inner);
  }
  return out;
}
