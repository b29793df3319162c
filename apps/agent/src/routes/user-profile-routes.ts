import type { ExperimentBucketMap } from '@flagkit/node';
import type { FastifyInstance } from 'fastify';
import { AgentHttpError } from '../http/agent-http-error';
import { objectBody } from '../http/request-body';
import { saveBodySchema, userBodySchema } from '../http/request-schemas';
import { sendJson } from '../http/send';
import type { AgentClient } from '../sdk/client-cache';

const MISSING_USER_ID = 'missing "userId" in request payload';

/** `POST /v1/lookup` and `POST /v1/save`: the key's user profile service, read and written directly. */
export function registerUserProfileRoutes(app: FastifyInstance): void {
  app.post('/v1/lookup', { schema: { body: userBodySchema } }, async (request, reply) => {
    const { userId, service } = profileRequest(request.agentClient as AgentClient, request.body);
    const profile = await service.lookup(userId);
    return sendJson(reply, 200, { userId, experimentBucketMap: profile?.experiment_bucket_map ?? {} });
  });

  app.post('/v1/save', { schema: { body: saveBodySchema } }, async (request, reply) => {
    const { userId, service, body } = profileRequest(request.agentClient as AgentClient, request.body);
    const map: Record<string, { variation_id: string }> = {};
    const given = (body.experimentBucketMap as ExperimentBucketMap | null | undefined) ?? {};
    for (const experimentId of Object.keys(given)) {
      const variationId = (given[experimentId] as { variation_id: string }).variation_id;
      Object.defineProperty(map, experimentId, {
        value: { variation_id: variationId },
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    await service.save({ user_id: userId, experiment_bucket_map: map });
    return reply.code(200).send();
  });
}

function profileRequest(entry: AgentClient, rawBody: unknown) {
  const service = entry.userProfileService;
  if (!service) throw new AgentHttpError(500, 'no user profile service found');
  const body = objectBody(rawBody);
  if (typeof body.userId !== 'string' || body.userId === '') throw new AgentHttpError(400, MISSING_USER_ID);
  return { userId: body.userId, service, body };
}
