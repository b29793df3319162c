import type { EventTags, UserAttributes } from '@flagkit/node';
import type { FastifyInstance } from 'fastify';
import { AgentHttpError } from '../http/agent-http-error';
import { BODY_PARSE_ERROR, objectBody } from '../http/request-body';
import { sendJson } from '../http/send';
import type { AgentClient } from '../sdk/client-cache';

/**
 * `POST /v1/track?eventKey=k`. Agent's track body has no JSON tags, so Go matches `userId`,
 * `userAttributes` and `eventTags` case-insensitively; so does this.
 */
export function registerTrackRoute(app: FastifyInstance): void {
  app.post('/v1/track', async (request, reply) => {
    const entry = request.agentClient as AgentClient;
    const eventKey = (request.query as Record<string, unknown>).eventKey;
    if (typeof eventKey !== 'string' || eventKey === '') {
      throw new AgentHttpError(400, 'missing required path parameter: eventKey');
    }
    const body = objectBody(request.body);
    const userId = field(body, 'userid') ?? '';
    const attributes = field(body, 'userattributes') ?? {};
    const tags = field(body, 'eventtags') ?? {};
    if (typeof userId !== 'string' || !isObject(attributes) || !isObject(tags)) {
      throw new AgentHttpError(400, BODY_PARSE_ERROR);
    }
    const config = entry.client.getProjectConfig();
    if (!config?.eventsByKey.has(eventKey)) {
      return sendJson(reply, 200, { userId, eventKey, error: `event with key "${eventKey}" not found` });
    }
    entry.client.track(eventKey, userId, attributes as UserAttributes, tags as EventTags);
    return sendJson(reply, 200, { userId, eventKey });
  });
}

function field(body: Record<string, unknown>, lowerName: string): unknown {
  for (const key of Object.keys(body)) if (key.toLowerCase() === lowerName) return body[key];
  return undefined;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
