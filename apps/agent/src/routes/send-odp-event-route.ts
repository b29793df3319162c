import type { FastifyInstance } from 'fastify';
import { AgentHttpError } from '../http/agent-http-error';
import { objectBody } from '../http/request-body';
import { sendOdpEventBodySchema } from '../http/request-schemas';
import { sendJson } from '../http/send';
import type { AgentClient } from '../sdk/client-cache';

/** The Go SDK's error texts for a refused ODP event, by FlagKit's refusal reason. */
const REFUSALS: Record<string, string> = {
  odpNotIntegrated: 'ODP is not integrated',
  odpNotEnabled: 'ODP is not enabled',
  invalidInput: 'ODP data is not valid',
  sdkNotReady: 'Optimizely instance is not valid',
  queueFull: 'ODP event queue is full',
  closed: 'ODP is not enabled',
};

/** `POST /v1/send-odp-event`. */
export function registerSendOdpEventRoute(app: FastifyInstance): void {
  app.post('/v1/send-odp-event', { schema: { body: sendOdpEventBodySchema } }, async (request, reply) => {
    const entry = request.agentClient as AgentClient;
    const body = objectBody(request.body);
    if (typeof body.action !== 'string' || body.action === '') {
      throw new AgentHttpError(400, 'missing "action" in request payload');
    }
    const identifiers = body.identifiers as Record<string, string> | null | undefined;
    if (!identifiers || Object.keys(identifiers).length === 0) {
      throw new AgentHttpError(400, 'missing or empty "identifiers" in request payload');
    }
    const result = entry.client.sendOdpEvent(
      body.action,
      typeof body.type === 'string' && body.type !== '' ? body.type : undefined,
      identifiers,
      (body.data as Record<string, string | number | boolean | null> | null | undefined) ?? undefined,
    );
    if (!result.ok) throw new AgentHttpError(500, REFUSALS[result.reason] ?? result.message);
    return sendJson(reply, 200, { success: true });
  });
}
