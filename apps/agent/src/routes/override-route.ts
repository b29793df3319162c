import type { FastifyInstance } from 'fastify';
import { AgentHttpError } from '../http/agent-http-error';
import { objectBody } from '../http/request-body';
import { overrideBodySchema } from '../http/request-schemas';
import { sendJson } from '../http/send';
import type { AgentClient } from '../sdk/client-cache';

/**
 * `POST /v1/override`: forces (or, with an empty `variationKey`, removes) a user's variation of an
 * experiment in this node's memory, through the SDK's forced variations.
 */
export function registerOverrideRoute(app: FastifyInstance, enabled: boolean): void {
  app.post('/v1/override', { schema: { body: overrideBodySchema } }, async (request, reply) => {
    if (!enabled)
      return reply
        .code(403)
        .header('content-type', 'text/plain; charset=utf-8')
        .send('Overrides not enabled\n');
    const entry = request.agentClient as AgentClient;
    const body = objectBody(request.body);
    const userId = typeof body.userId === 'string' ? body.userId : '';
    const experimentKey = typeof body.experimentKey === 'string' ? body.experimentKey : '';
    const variationKey = typeof body.variationKey === 'string' ? body.variationKey : '';
    if (userId === '') throw new AgentHttpError(400, 'userId cannot be empty');
    if (experimentKey === '') throw new AgentHttpError(400, 'experimentKey cannot be empty');

    const client = entry.client;
    const messages: string[] = [];
    const prevVariationKey = client.getForcedVariation(experimentKey, userId) ?? '';
    if (variationKey === '') {
      messages.push(prevVariationKey === '' ? 'no pre-existing override' : 'removing previous override');
      client.setForcedVariation(experimentKey, userId, null);
    } else {
      if (prevVariationKey !== '') messages.push('updating previous override');
      const experiment = client.getProjectConfig()?.experimentsByKey.get(experimentKey);
      if (!experiment) messages.push('experimentKey not found in configuration');
      else if (!experiment.variationsByKey.has(variationKey))
        messages.push('variationKey not found in configuration');
      else client.setForcedVariation(experimentKey, userId, variationKey);
    }
    return sendJson(reply, 200, {
      userId,
      experimentKey,
      variationKey,
      prevVariationKey,
      messages: messages.length === 0 ? null : messages,
    });
  });
}
