import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../src/auth/hs256-jwt';
import { type AgentHarness, SDK_KEY, startAgentHarness } from './support/agent-harness';
import { OpenApiContract } from './support/openapi-contract';

const contract = new OpenApiContract();
const OLD_SECRET = Buffer.from('old-secret-old-secret-old-secret').toString('base64');
const NEW_SECRET = Buffer.from('new-secret-new-secret-new-secret').toString('base64');
const CLIENT_SECRET = 'client-secret';
let h: AgentHarness;

beforeAll(async () => {
  const secretHash = Buffer.from(bcrypt.hashSync(CLIENT_SECRET, 4)).toString('base64');
  h = await startAgentHarness({
    config: {
      api: {
        auth: {
          // The new secret signs; the old one still verifies tokens issued before the rotation.
          hmacSecrets: [NEW_SECRET, OLD_SECRET],
          ttl: '30m',
          clients: [{ id: 'team-a', secretHash, sdkKeys: [SDK_KEY] }],
        },
      },
      admin: {
        auth: { hmacSecrets: [NEW_SECRET], ttl: '30m', clients: [{ id: 'ops', secretHash, sdkKeys: [] }] },
      },
    },
  });
});

afterAll(async () => {
  await h?.close();
});

async function token(base: string, form: Record<string, string>) {
  const fields = { grant_type: 'client_credentials', ...form };
  expect(contract.requestProblems('POST', '/oauth/token', { body: fields })).toEqual([]);
  const response = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  const text = await response.text();
  expect(
    contract.responseProblems(
      'POST',
      '/oauth/token',
      response.status,
      response.headers.get('content-type') ?? '',
      text,
    ),
  ).toEqual([]);
  return { status: response.status, json: JSON.parse(text) as Record<string, unknown> };
}

function decide(bearer: string | undefined, sdkKey = SDK_KEY) {
  return fetch(`${h.api}/v1/decide?keys=checkout`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-optimizely-sdk-key': sdkKey,
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: JSON.stringify({ userId: 'u' }),
  });
}

describe('/oauth/token and JWT auth', () => {
  it('issues an HS256 bearer token scoped to the client’s SDK keys', async () => {
    const { status, json } = await token(h.api, { client_id: 'team-a', client_secret: CLIENT_SECRET });
    expect(status).toBe(200);
    expect(json.token_type).toBe('bearer');
    expect(json.expires_in).toBe(1800);
    const [, payload] = String(json.access_token).split('.');
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ iss: 'Optimizely', sdk_keys: [SDK_KEY] });
    const answer = await decide(String(json.access_token));
    expect(answer.status).toBe(200);
  });

  it('refuses bad credentials with invalid_client', async () => {
    const { status, json } = await token(h.api, { client_id: 'team-a', client_secret: 'wrong' });
    expect(status).toBe(401);
    expect(json.error).toBe('invalid_client');
  });

  it('answers 401 without a token, with a token for another key, and with an expired token', async () => {
    const none = await decide(undefined);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: 'unauthorized', reason: 'no token' });
    const { json } = await token(h.api, { client_id: 'team-a', client_secret: CLIENT_SECRET });
    const otherKey = await decide(String(json.access_token), 'otherKey');
    expect(otherKey.status).toBe(401);
    const expired = signJwt(
      { iss: 'Optimizely', exp: Math.floor(Date.now() / 1000) - 5, sdk_keys: [SDK_KEY] },
      Buffer.from(NEW_SECRET, 'base64'),
    );
    expect(await (await decide(expired)).json()).toEqual({ error: 'unauthorized', reason: 'token expired' });
  });

  it('accepts tokens signed with a rotated-out secret that is still listed, refuses unknown secrets', async () => {
    const claims = { iss: 'Optimizely', exp: Math.floor(Date.now() / 1000) + 60, sdk_keys: [SDK_KEY] };
    expect((await decide(signJwt(claims, Buffer.from(OLD_SECRET, 'base64')))).status).toBe(200);
    expect((await decide(signJwt(claims, Buffer.from('someone-else')))).status).toBe(401);
  });

  it('guards the admin listener with admin tokens', async () => {
    expect((await fetch(`${h.admin}/info`)).status).toBe(401);
    const { json } = await token(h.admin, { client_id: 'ops', client_secret: CLIENT_SECRET });
    const info = await fetch(`${h.admin}/info`, {
      headers: { authorization: `Bearer ${json.access_token}` },
    });
    expect(info.status).toBe(200);
    // An API token is not an admin token.
    const api = await token(h.api, { client_id: 'team-a', client_secret: CLIENT_SECRET });
    const refused = await fetch(`${h.admin}/info`, {
      headers: { authorization: `Bearer ${api.json.access_token}` },
    });
    expect(refused.status).toBe(401);
  });

  it('refuses a non-form token request with 415 invalid_request', async () => {
    const response = await fetch(`${h.api}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
  });
});
