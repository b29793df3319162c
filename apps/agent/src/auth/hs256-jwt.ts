import { createHmac, timingSafeEqual } from 'node:crypto';

/** The claims the agent writes and reads. */
export interface AgentClaims {
  readonly iss?: string;
  /** Expiry, seconds since the epoch. */
  readonly exp?: number;
  /** SDK keys an API token grants. */
  readonly sdk_keys?: readonly string[];
  /** Set on admin tokens. */
  readonly admin?: boolean;
}

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64url(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}

function signature(signingInput: string, secret: Buffer): Buffer {
  return createHmac('sha256', secret).update(signingInput).digest();
}

/** Signs `claims` as an HS256 JWT with `secret`. */
export function signJwt(claims: AgentClaims, secret: Buffer): string {
  const input = `${HEADER}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${signature(input, secret).toString('base64url')}`;
}

/** Why a token was refused. */
export type JwtFailure = 'malformed' | 'bad signature' | 'token expired';

/** A JWT split into its parts; the signature is not checked yet. */
export interface DecodedJwt {
  readonly alg: unknown;
  readonly kid: unknown;
  readonly claims: AgentClaims;
  /** `<header>.<payload>`, the signed bytes. */
  readonly signingInput: string;
  readonly signature: Buffer;
}

/** Splits and parses a compact JWT, or says it is malformed. */
export function decodeJwt(token: string): DecodedJwt | 'malformed' {
  const parts = token.split('.');
  if (parts.length !== 3) return 'malformed';
  const [header, payload, given] = parts as [string, string, string];
  try {
    const decodedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as {
      alg?: unknown;
      kid?: unknown;
    };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AgentClaims;
    if (typeof decodedHeader !== 'object' || decodedHeader === null) return 'malformed';
    if (typeof claims !== 'object' || claims === null) return 'malformed';
    return {
      alg: decodedHeader.alg,
      kid: decodedHeader.kid,
      claims,
      signingInput: `${header}.${payload}`,
      signature: Buffer.from(given, 'base64url'),
    };
  } catch {
    return 'malformed';
  }
}

/** Whether `exp`, when present, has passed. */
export function isExpired(claims: AgentClaims, nowSeconds = Date.now() / 1000): boolean {
  return claims.exp !== undefined && !(typeof claims.exp === 'number' && claims.exp > nowSeconds);
}

/**
 * Verifies an HS256 JWT against each secret in turn (the rotation list) and checks `exp`.
 * Returns the claims, or the reason it failed.
 */
export function verifyJwt(
  token: string,
  secrets: readonly Buffer[],
  nowSeconds = Date.now() / 1000,
): AgentClaims | JwtFailure {
  const decoded = decodeJwt(token);
  if (decoded === 'malformed' || decoded.alg !== 'HS256') return 'malformed';
  const given = decoded.signature;
  const matches = secrets.some((secret) => {
    const expected = signature(decoded.signingInput, secret);
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!matches) return 'bad signature';
  return isExpired(decoded.claims, nowSeconds) ? 'token expired' : decoded.claims;
}

/** The token of a request: `Authorization: Bearer <t>`, or the `Auth` / `Jwt` header. */
export function requestToken(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && /^bearer /i.test(authorization))
    return authorization.slice(7).trim();
  for (const name of ['auth', 'jwt']) {
    const value = headers[name];
    if (typeof value === 'string' && value !== '') return value.replace(/^bearer /i, '').trim();
  }
  return undefined;
}
