import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger } from '@flagkit/node';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { TokenAuth } from './auth/token-issuer';
import type { AgentConfig, CorsConfig } from './config/agent-config';
import { AgentHttpError } from './http/agent-http-error';
import { createHostMatcher, requestHost } from './http/allowed-hosts';
import type { HttpMetrics } from './http/http-metrics';
import { BODY_PARSE_ERROR, registerBodyParsers } from './http/request-body';
import { sendError, sendJson } from './http/send';
import { registerActivateRoute } from './routes/activate-route';
import { registerBatchRoute } from './routes/batch-route';
import { registerConfigRoutes } from './routes/config-routes';
import { registerDecideRoute } from './routes/decide-route';
import { registerNotificationStreamRoute } from './routes/notification-stream-route';
import { registerOverrideRoute } from './routes/override-route';
import { registerSendOdpEventRoute } from './routes/send-odp-event-route';
import { registerTrackRoute } from './routes/track-route';
import { registerUserProfileRoutes } from './routes/user-profile-routes';
import type { AgentClient, ClientCache } from './sdk/client-cache';
import type { EventCounters } from './sdk/event-counters';
import type { NotificationBus } from './sync/notification-bus';

declare module 'fastify' {
  interface FastifyRequest {
    /** The SDK client for the request's `X-Optimizely-SDK-Key`, set for `/v1/*` routes. */
    agentClient: AgentClient | null;
  }
}

const SDK_KEY_HEADER = 'x-optimizely-sdk-key';

export interface ServerParts {
  readonly config: AgentConfig;
  readonly clients: ClientCache;
  readonly bus: NotificationBus;
  readonly metrics: HttpMetrics;
  readonly events: EventCounters;
  readonly logger: Logger;
}

/**
 * A Fastify instance with the hooks every Agent listener has: health check, allowed hosts,
 * request ids, JSON body rules and Agent-shaped errors.
 */
export function createBaseServer(parts: Pick<ServerParts, 'config' | 'logger'>): FastifyInstance {
  const { config } = parts;
  const { keyFile, certFile } = config.server;
  const tls =
    keyFile && certFile
      ? {
          https: { key: readFileSync(keyFile), cert: readFileSync(certFile), minVersion: 'TLSv1.2' as const },
        }
      : {};
  // An HTTPS instance differs from an HTTP one only in its server type, which nothing here uses.
  const app = Fastify({
    ...tls,
    logger: false,
    bodyLimit: config.server.bodyLimit,
    return503OnClosing: false,
    ajv: {
      customOptions: {
        coerceTypes: false,
        removeAdditional: false,
        useDefaults: false,
        allowUnionTypes: true,
      },
    },
    genReqId: () => '',
  }) as unknown as FastifyInstance;
  registerBodyParsers(app);
  const healthPath = config.server.healthCheckPath;
  const hostAllowed = createHostMatcher(
    config.server.allowedHosts.length > 0 ? config.server.allowedHosts : [config.server.host, 'localhost'],
  );

  app.addHook('onRequest', (request, reply, done) => {
    const given = request.headers['x-request-id'];
    reply.header('x-request-id', typeof given === 'string' && given !== '' ? given : randomUUID());
    if (request.method === 'GET' && request.url.split('?')[0]!.endsWith(healthPath)) {
      sendJson(reply, 200, { status: 'ok' });
      return;
    }
    if (hostAllowed && !hostAllowed(requestHost(request.headers))) {
      sendError(reply, 404, 'invalid request host');
      return;
    }
    done();
  });

  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('404 page not found\n');
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AgentHttpError) return sendError(reply, error.status, error.message);
    if (error.validation) {
      return sendError(
        reply,
        400,
        request.url.startsWith('/v1/batch') ? 'cannot decode the operation body' : BODY_PARSE_ERROR,
      );
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 413, 'request body too large');
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.code(415).send('');
    parts.logger.log('error', `Request ${request.method} ${request.url} failed: ${error.message}`);
    return sendError(reply, 500, 'internal error');
  });
  return app;
}

/** The API listener: `/v1/*`, `/oauth/token`. */
export function createApiServer(parts: ServerParts): FastifyInstance {
  const { config, clients, metrics } = parts;
  const app = createBaseServer(parts);
  const auth = new TokenAuth(config.api.auth, 'api', parts.logger);
  app.addHook('onClose', (_instance, done) => {
    auth.close();
    done();
  });
  const sdkKeyPattern = new RegExp(config.client.sdkKeyRegex);
  app.decorateRequest('agentClient', null);

  app.addHook('onResponse', (request, reply, done) => {
    metrics.record(
      request.method,
      request.routeOptions.url ?? 'unknown',
      reply.statusCode,
      reply.elapsedTime,
    );
    done();
  });

  auth.registerTokenRoute(app);

  app.register(async (v1) => {
    addCors(v1, config.api.cors);
    if (config.api.maxConns > 0) limitConcurrency(v1, config.api.maxConns);
    // POST bodies must be JSON (a `;charset=` suffix is fine); an empty body needs no type.
    v1.addHook('onRequest', (request, reply, done) => {
      if (request.method === 'POST' && hasBody(request)) {
        const type = String(request.headers['content-type'] ?? '')
          .split(';')[0]!
          .trim()
          .toLowerCase();
        if (type !== 'application/json') {
          reply.code(415).send('');
          return;
        }
      }
      done();
    });
    // Agent reads an absent body as `{}`.
    v1.addHook('preValidation', (request, _reply, done) => {
      if (request.body === undefined || request.body === null) request.body = {};
      done();
    });
    if (auth.enabled) {
      v1.addHook('onRequest', (request, reply, done) => {
        if (request.url.startsWith('/v1/batch')) return done();
        const key = request.headers[SDK_KEY_HEADER];
        const refusal = auth.check(request.headers, typeof key === 'string' ? key : undefined);
        if (refusal !== null) {
          sendJson(reply, 401, { error: 'unauthorized', reason: refusal });
          return;
        }
        done();
      });
    }
    registerBatchRoute(v1, config.server.batchRequests);
    // Agent's `/v1/reset` (used by SDK test suites): forget the key's client.
    v1.post('/v1/reset', async (request, reply) => {
      const key = request.headers[SDK_KEY_HEADER];
      if (typeof key !== 'string' || key === '') throw new AgentHttpError(400, 'SDK key required for reset');
      await clients.reset(key);
      return sendJson(reply, 200, { result: true });
    });
    // Preflights are answered by the CORS hook; this route only gives them a place to land.
    v1.options('/v1/*', (_request, reply) => {
      reply.code(405).send('');
    });

    v1.register(async (keyed) => {
      keyed.addHook('onRequest', (request, reply, done) => resolveClient(request, reply, done));
      registerConfigRoutes(keyed);
      registerDecideRoute(keyed);
      registerTrackRoute(keyed);
      registerActivateRoute(keyed);
      registerOverrideRoute(keyed, config.api.enableOverrides);
      registerSendOdpEventRoute(keyed);
      registerUserProfileRoutes(keyed);
      registerNotificationStreamRoute(keyed, {
        enabled: config.api.enableNotifications,
        bus: parts.bus,
        keepAliveInterval: config.api.keepAliveInterval,
      });
    });
  });

  /** Agent's SDK-key middleware: header required and validated, client cached per value. */
  function resolveClient(request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void {
    const key = request.headers[SDK_KEY_HEADER];
    if (typeof key !== 'string' || key === '') {
      sendError(reply, 400, 'missing required X-Optimizely-SDK-Key header');
      return;
    }
    const ready = clients.getReady(key);
    if (ready) {
      request.agentClient = ready;
      done();
      return;
    }
    if (!sdkKeyPattern.test(key)) {
      sendError(reply, 400, 'sdkKey failed validation');
      return;
    }
    const upsName = request.headers['x-optimizely-ups-name'];
    const cacheName = request.headers['x-optimizely-odp-cache-name'];
    const choices = {
      userProfileService: typeof upsName === 'string' ? upsName : undefined,
      segmentsCache: typeof cacheName === 'string' ? cacheName : undefined,
    };
    clients.get(key, choices).then(
      (entry) => {
        request.agentClient = entry;
        done();
      },
      (error: unknown) => {
        if (error instanceof AgentHttpError) sendError(reply, error.status, error.message);
        else done(error as Error);
      },
    );
  }

  return app;
}

/** Agent's `api.maxConns` (chi's Throttle without a backlog): past the limit, 429 at once. */
function limitConcurrency(app: FastifyInstance, limit: number): void {
  let inFlight = 0;
  app.addHook('onRequest', (_request, reply, done) => {
    if (inFlight >= limit) {
      reply.code(429).header('content-type', 'text/plain; charset=utf-8').send('Server capacity exceeded.\n');
      return;
    }
    inFlight++;
    // 'close' fires once per response, finished or cut off, streams included.
    reply.raw.once('close', () => {
      inFlight--;
    });
    done();
  });
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return request.headers['transfer-encoding'] !== undefined;
}

/** CORS as go-chi/cors does it: origin check, preflight answered here with the allowed methods. */
function addCors(app: FastifyInstance, cors: CorsConfig): void {
  const anyOrigin = cors.allowedOrigins.includes('*');
  const origins = new Set(cors.allowedOrigins);
  app.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    if (typeof origin !== 'string' || !(anyOrigin || origins.has(origin))) return done();
    reply.header('access-control-allow-origin', anyOrigin && !cors.allowedCredentials ? '*' : origin);
    reply.header('vary', 'Origin');
    if (cors.allowedCredentials) reply.header('access-control-allow-credentials', 'true');
    if (cors.exposedHeaders.length > 0)
      reply.header('access-control-expose-headers', cors.exposedHeaders.join(', '));
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      const requested = String(request.headers['access-control-request-headers'] ?? '');
      reply.header('access-control-allow-methods', cors.allowedMethods.join(', '));
      if (requested !== '') {
        reply.header(
          'access-control-allow-headers',
          cors.allowedHeaders.includes('*') ? requested : cors.allowedHeaders.join(', '),
        );
      }
      reply.header('access-control-max-age', String(cors.maxAge));
      reply.code(200).send('');
      return;
    }
    done();
  });
}
