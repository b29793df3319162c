import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentHarness, SDK_KEY, startAgentHarness } from './support/agent-harness';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
let jwks: Server;
let h: AgentHarness;

function token(alg: 'RS256' | 'ES256', kid: string, key: KeyObject, claims: object): string {
  const header = Buffer.from(JSON.stringify({ alg, kid, typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const input = `${header}.${payload}`;
  const signature = sign(
    'sha256',
    Buffer.from(input),
    alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key,
  );
  return `${input}.${signature.toString('base64url')}`;
}

beforeAll(async () => {
  const keys = [
    { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', use: 'sig' },
    { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', use: 'sig' },
  ];
  jwks = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
  h = await startAgentHarness({ config: { api: { auth: { jwksURL: url, jwksUpdateInterval: '1m' } } } });
});

afterAll(async () => {
  await h?.close();
  jwks.closeAllConnections();
  await new Promise<void>((resolve) => jwks.close(() => resolve()));
});

async function decide(bearer: string): Promise<number> {
  const response = await fetch(`${h.api}/v1/decide?keys=banner`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-optimizely-sdk-key': SDK_KEY,
      authorization: `Bearer ${bearer}`,
    },
    body: JSON.stringify({ userId: 'u' }),
  });
  await response.text();
  return response.status;
}

describe('JWKS auth', () => {
  const claims = () => ({ exp: Math.floor(Date.now() / 1000) + 60, sdk_keys: [SDK_KEY] });

  it('accepts RS256 and ES256 tokens signed by a key of the JWKS', async () => {
    const rs = token('RS256', 'rsa-1', rsa.privateKey, claims());
    let status = 0;
    // The first JWKS fetch runs at startup; allow it to land.
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = await decide(rs);
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(200);
    expect(await decide(token('ES256', 'ec-1', ec.privateKey, claims()))).toBe(200);
  });

  it('refuses unknown keys, mismatched kids and tokens for other SDK keys', async () => {
    expect(await decide(token('RS256', 'rsa-1', stranger.privateKey, claims()))).toBe(401);
    expect(await decide(token('RS256', 'nobody', rsa.privateKey, claims()))).toBe(401);
    expect(await decide(token('RS256', 'rsa-1', rsa.privateKey, { ...claims(), sdk_keys: ['other'] }))).toBe(
      401,
    );
  });
});
