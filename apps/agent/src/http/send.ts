import type { FastifyReply } from 'fastify';

/**
 * Sends `body` as JSON the way Agent's Go encoder writes it: compact, with a trailing newline.
 * Clients that compare raw bodies (Agent's acceptance tests do) see the same bytes.
 */
export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json')
    .send(`${JSON.stringify(body)}\n`);
}

/** Agent's error answer: `{"error": message}`. */
export function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return sendJson(reply, status, { error: message });
}
