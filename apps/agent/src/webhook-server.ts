import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createBaseServer, type ServerParts } from './api-server';
import { sendError } from './http/send';

/**
 * The webhook listener: `POST /webhooks/optimizely`, Optimizely's datafile-updated webhook. The
 * body is checked against `X-Hub-Signature: sha1=<hex HMAC-SHA1(body, secret)>` unless the
 * project skips the check; then every node (through the sync channel) re-fetches the project's
 * SDK keys. Unconfigured projects get 204 too, as in Agent.
 */
export function createWebhookServer(parts: ServerParts): FastifyInstance {
  const { config, clients } = parts;
  const app = createBaseServer(parts);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, text, done) => done(null, text));

  app.post('/webhooks/optimizely', async (request, reply) => {
    const text = typeof request.body === 'string' ? request.body : '';
    let message: { project_id?: unknown };
    try {
      message = JSON.parse(text) as { project_id?: unknown };
    } catch {
      return sendError(reply, 400, 'unable to parse webhook message');
    }
    const projectId = String(message?.project_id ?? '');
    const project = Object.hasOwn(config.webhook.projects, projectId)
      ? config.webhook.projects[projectId]
      : undefined;
    if (!project) return reply.code(204).send();
    if (!project.skipSignatureCheck) {
      const given = String(request.headers['x-hub-signature'] ?? '');
      const expected = `sha1=${createHmac('sha1', project.secret).update(text).digest('hex')}`;
      const a = Buffer.from(given);
      const b = Buffer.from(expected);
      if (a.length !== b.length || !timingSafeEqual(a, b)) {
        return sendError(reply, 400, 'computed signature does not match signature in request');
      }
    }
    for (const sdkKey of project.sdkKeys) clients.announceDatafileChange(sdkKey);
    return reply.code(204).send();
  });
  return app;
}
