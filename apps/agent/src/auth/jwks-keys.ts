import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { Logger } from '@flagkit/node';
import { type AgentClaims, decodeJwt, isExpired, type JwtFailure } from './hs256-jwt';

/** Signature algorithms accepted from a JWKS, with the hash and signature encoding each uses. */
const ALGORITHMS: Record<string, { hash: string; dsaEncoding?: 'ieee-p1363' }> = {
  RS256: { hash: 'sha256' },
  RS384: { hash: 'sha384' },
  RS512: { hash: 'sha512' },
  ES256: { hash: 'sha256', dsaEncoding: 'ieee-p1363' },
  ES384: { hash: 'sha384', dsaEncoding: 'ieee-p1363' },
};

/**
 * The public keys of a JWKS URL by `kid`, fetched at start and every `updateIntervalMs` (Agent's
 * `jwksURL` + `jwksUpdateInterval`). A failed fetch keeps the keys it had, and is logged.
 */
export class JwksKeys {
  private keys = new Map<string, KeyObject>();
  private readonly timer: ReturnType<typeof setInterval> | undefined;
  /** Resolves once the first fetch has finished, however it went. */
  readonly ready: Promise<void>;

  constructor(
    private readonly url: string,
    updateIntervalMs: number,
    private readonly logger: Logger,
  ) {
    this.ready = this.refresh();
    if (updateIntervalMs > 0) {
      this.timer = setInterval(() => void this.refresh(), updateIntervalMs);
      this.timer.unref?.();
    }
  }

  async refresh(): Promise<void> {
    try {
      const response = await fetch(this.url, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as { keys?: unknown };
      const next = new Map<string, KeyObject>();
      for (const jwk of Array.isArray(body.keys) ? body.keys : []) {
        const kid = (jwk as { kid?: unknown }).kid;
        if (typeof kid !== 'string') continue;
        try {
          next.set(kid, createPublicKey({ key: jwk, format: 'jwk' }));
        } catch {
          this.logger.log('warn', `Ignoring the unusable JWKS key ${kid}.`);
        }
      }
      this.keys = next;
    } catch (error) {
      this.logger.log('error', `Fetching the JWKS from ${this.url} failed: ${(error as Error).message}`);
    }
  }

  /** Checks the token's signature with the key its `kid` names, then `exp`. */
  verify(token: string): AgentClaims | JwtFailure {
    const decoded = decodeJwt(token);
    if (decoded === 'malformed') return 'malformed';
    const algorithm = typeof decoded.alg === 'string' ? ALGORITHMS[decoded.alg] : undefined;
    const key = typeof decoded.kid === 'string' ? this.keys.get(decoded.kid) : undefined;
    if (!algorithm || !key) return 'bad signature';
    const valid = verify(
      algorithm.hash,
      Buffer.from(decoded.signingInput),
      algorithm.dsaEncoding ? { key, dsaEncoding: algorithm.dsaEncoding } : key,
      decoded.signature,
    );
    if (!valid) return 'bad signature';
    return isExpired(decoded.claims) ? 'token expired' : decoded.claims;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
