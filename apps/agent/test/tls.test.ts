import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentHarness, SDK_KEY, startAgentHarness } from './support/agent-harness';

let dir: string;
let h: AgentHarness;
let cert: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agent-tls-'));
  // A self-signed certificate for 127.0.0.1.
  const result = spawnSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
  ]);
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
  cert = readFileSync(join(dir, 'cert.pem'));
  h = await startAgentHarness({
    config: { server: { keyFile: join(dir, 'key.pem'), certFile: join(dir, 'cert.pem') } },
  });
});

afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

function httpsGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { ca: cert, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('TLS', () => {
  it('serves every listener over HTTPS when keyFile and certFile are set', async () => {
    expect(h.api.startsWith('https://')).toBe(true);
    const config = await httpsGet(`${h.api}/v1/config`, { 'x-optimizely-sdk-key': SDK_KEY });
    expect(config.status).toBe(200);
    expect(JSON.parse(config.body).revision).toBe('1');
    expect((await httpsGet(`${h.admin}/health`)).body).toBe('{"status":"ok"}\n');
  });
});
