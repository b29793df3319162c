import type { FastifyInstance } from 'fastify';
import { AgentHttpError } from '../http/agent-http-error';
import { objectBody } from '../http/request-body';
import { batchBodySchema } from '../http/request-schemas';
import { sendJson } from '../http/send';

export interface BatchOptions {
  readonly operationsLimit: number;
  readonly maxConcurrency: number;
}

interface Operation {
  method?: string;
  url?: string;
  operationID?: string;
  body?: unknown;
  /** Query parameters: Agent's Go struct reads `params`; the OpenAPI document names them `parameters`. */
  params?: Record<string, unknown> | null;
  parameters?: Record<string, unknown> | null;
  headers?: Record<string, string> | null;
}

/**
 * `POST /v1/batch`: runs each operation through this same server (every hook included, with the
 * operation's own headers), at most `maxConcurrency` at a time, and reports each answer.
 */
export function registerBatchRoute(app: FastifyInstance, options: BatchOptions): void {
  app.post('/v1/batch', { schema: { body: batchBodySchema } }, async (request, reply) => {
    const body = objectBody(request.body);
    const operations = (body.operations as Operation[] | null | undefined) ?? [];
    if (operations.length > options.operationsLimit) {
      throw new AgentHttpError(422, `too many operations, exceeding ${options.operationsLimit} operations`);
    }
    const startedAt = new Date().toISOString();
    const results = new Array(operations.length);
    let next = 0;
    const host = request.headers.host;
    const worker = async () => {
      while (next < operations.length) {
        const index = next++;
        results[index] = await run(app, operations[index] as Operation, host);
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.maxConcurrency, operations.length) }, worker));
    const errorCount = results.filter((r) => r.status !== 200).length;
    return sendJson(reply, 200, {
      startedAt,
      endedAt: new Date().toISOString(),
      errorCount,
      response: results,
    });
  });
}

async function run(app: FastifyInstance, op: Operation, host: string | undefined) {
  const startedAt = new Date().toISOString();
  const method = (op.method ?? 'GET').toUpperCase() === 'POST' ? 'POST' : 'GET';
  const url = new URL(op.url ?? '/', 'http://batch.local');
  for (const [name, value] of Object.entries(op.params ?? op.parameters ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(v));
  }
  const headers: Record<string, string> = { ...(op.headers ?? {}) };
  if (host && !Object.keys(headers).some((h) => h.toLowerCase() === 'host')) headers.host = host;
  if (method === 'POST' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  const response = await app.inject({
    method,
    url: `${url.pathname}${url.search}`,
    headers,
    ...(method === 'POST' ? { payload: JSON.stringify(op.body ?? {}) } : {}),
  });
  let responseBody: unknown = response.body;
  try {
    responseBody = response.body === '' ? null : JSON.parse(response.body);
  } catch {
    // Plain-text answers (403 "Overrides not enabled") are reported as text.
  }
  return {
    status: response.statusCode,
    requestID: String(response.headers['x-request-id'] ?? ''),
    operationID: op.operationID ?? '',
    method,
    url: op.url ?? '',
    body: responseBody,
    startedAt,
    endedAt: new Date().toISOString(),
  };
}
