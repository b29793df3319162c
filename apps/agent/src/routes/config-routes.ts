import type { FastifyInstance } from 'fastify';
import { AgentHttpError } from '../http/agent-http-error';
import { sendJson } from '../http/send';
import type { AgentClient } from '../sdk/client-cache';

/** `GET /v1/config` (the OptimizelyConfig) and `GET /v1/datafile` (the datafile as fetched). */
export function registerConfigRoutes(app: FastifyInstance): void {
  app.get('/v1/config', async (request, reply) => {
    const entry = request.agentClient as AgentClient;
    const config = entry.client.getOptimizelyConfig();
    if (!config) throw new AgentHttpError(500, 'failed to get the Optimizely config');
    return sendJson(reply, 200, config);
  });

  app.get('/v1/datafile', async (request, reply) => {
    const entry = request.agentClient as AgentClient;
    const config = entry.client.getProjectConfig();
    if (!config) throw new AgentHttpError(500, 'failed to get the datafile');
    return reply.code(200).header('content-type', 'application/json').send(`${config.datafileText.trim()}\n`);
  });
}
