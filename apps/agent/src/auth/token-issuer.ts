import type { Logger } from '@flagkit/node';
import bcrypt from 'bcryptjs';
import type { FastifyInstance } from 'fastify';
import type { AuthConfig } from '../config/agent-config';
import { type AgentClaims, requestToken, signJwt, verifyJwt } from './hs256-jwt';
import { JwksKeys } from './jwks-keys';

/** Issues and checks the tokens of one listener (API or admin), as Agent's auth config says. */
export class TokenAuth {
  private readonly secrets: Buffer[];
  /** With `jwksURL`, tokens are verified with these keys instead of the HMAC secrets. */
  readonly jwks: JwksKeys | undefined;

  constructor(
    private readonly config: AuthConfig,
    private readonly kind: 'api' | 'admin',
    logger: Logger,
  ) {
    this.secrets = config.hmacSecrets.map((secret) => Buffer.from(secret, 'base64'));
    this.jwks = config.jwksURL ? new JwksKeys(config.jwksURL, config.jwksUpdateInterval, logger) : undefined;
  }

  /** Auth is on when a JWKS URL or at least one HMAC secret is configured. */
  get enabled(): boolean {
    return this.jwks !== undefined || this.secrets.length > 0;
  }

  close(): void {
    this.jwks?.close();
  }

  /**
   * Checks a request's token. API tokens must list the request's SDK key in `sdk_keys`; admin
   * tokens must carry `admin: true`. Returns null when allowed, else the reason.
   */
  check(
    headers: Readonly<Record<string, string | string[] | undefined>>,
    sdkKey: string | undefined,
  ): string | null {
    if (!this.enabled) return null;
    const token = requestToken(headers);
    if (!token) return 'no token';
    const claims = this.jwks ? this.jwks.verify(token) : verifyJwt(token, this.secrets);
    if (typeof claims === 'string') return claims;
    if (this.kind === 'admin') return claims.admin === true ? null : 'admin flag not set';
    if (!Array.isArray(claims.sdk_keys)) return 'invalid claims: sdk_keys not found';
    if (sdkKey === undefined || !claims.sdk_keys.includes(sdkKey)) {
      return 'SDK key given in X-Optimizely-Sdk-Key header was not found in the token';
    }
    return null;
  }

  /** Registers `POST /oauth/token` (client credentials, form-encoded). */
  registerTokenRoute(app: FastifyInstance): void {
    app.post('/oauth/token', async (request, reply) => {
      const oauthError = (status: number, error: string, description: string) =>
        reply
          .code(status)
          .header('content-type', 'application/json')
          .send(`${JSON.stringify({ error, error_description: description })}\n`);
      const contentType = String(request.headers['content-type'] ?? '');
      if (!contentType.startsWith('application/x-www-form-urlencoded')) {
        return oauthError(415, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
      }
      const form = (request.body ?? {}) as Record<string, string | undefined>;
      if (!form.grant_type) return oauthError(400, 'invalid_request', 'grant_type is required');
      if (form.grant_type !== 'client_credentials') {
        return oauthError(400, 'unsupported_grant_type', 'only client_credentials is supported');
      }
      if (this.secrets.length === 0)
        return oauthError(401, 'invalid_client', 'no HMAC secret to sign tokens with');
      const client = this.config.clients.find((c) => c.id === form.client_id);
      const hash = client ? Buffer.from(client.secretHash, 'base64').toString('utf8') : '';
      const valid = client !== undefined && (await bcrypt.compare(form.client_secret ?? '', hash));
      if (!client || !valid) return oauthError(401, 'invalid_client', 'invalid client_id or client_secret');
      const ttlSeconds = Math.floor(this.config.ttl / 1000);
      const claims: AgentClaims = {
        iss: 'Optimizely',
        ...(ttlSeconds > 0 ? { exp: Math.floor(Date.now() / 1000) + ttlSeconds } : {}),
        ...(this.kind === 'api' ? { sdk_keys: [...client.sdkKeys] } : { admin: true }),
      };
      const token = signJwt(claims, this.secrets[0] as Buffer);
      return reply
        .code(200)
        .header('content-type', 'application/json')
        .send(`${JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: ttlSeconds })}\n`);
    });
  }
}
