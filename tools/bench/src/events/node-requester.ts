/**
 * A `Requester` on node:http with a keep-alive agent: what the node entrypoint supplies to
 * `createRequesterDispatcher` (FlagKit's event processor never imports node:http itself).
 */
import { Agent, request as httpRequest } from 'node:http';
import type { Requester } from '@flagkit/core';

export function createNodeRequester(): Requester {
  const agent = new Agent({ keepAlive: true });
  return {
    request(request) {
      return new Promise((resolve, reject) => {
        const req = httpRequest(request.url, { method: request.method, headers: request.headers, agent });
        const timer = setTimeout(() => req.destroy(new Error('timeout')), request.timeoutMs);
        req.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            clearTimeout(timer);
            const body = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: res.statusCode ?? 0,
              headers: { get: (name) => (res.headers[name.toLowerCase()] as string | undefined) ?? null },
              text: () => Promise.resolve(body),
            });
          });
          res.on('error', reject);
        });
        req.end(request.body);
      });
    },
  };
}
