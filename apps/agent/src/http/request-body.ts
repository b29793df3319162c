import type { FastifyInstance } from 'fastify';
import { AgentHttpError } from './agent-http-error';

/** Agent's answer to a body it cannot decode. */
export const BODY_PARSE_ERROR = 'error parsing request body';

/**
 * JSON bodies as Agent reads them: an empty body is `{}`, anything unparsable is a 400 with
 * Agent's message. `JSON.parse` defines `__proto__` as an own property, so no body can change a
 * prototype; handlers copy fields out explicitly.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) => {
    const source = (text as string).trim();
    if (source === '') return done(null, {});
    try {
      done(null, JSON.parse(source));
    } catch {
      done(new AgentHttpError(400, BODY_PARSE_ERROR), undefined);
    }
  });
  // `/oauth/token` takes a form; JSON routes refuse it before parsing (see the content-type hook).
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, text, done) => {
      done(null, Object.fromEntries(new URLSearchParams(text as string)));
    },
  );
}

/** A plain object body field by field, or `{}`; other JSON (arrays, numbers) is a parse error. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new AgentHttpError(400, BODY_PARSE_ERROR);
  return body as Record<string, unknown>;
}
