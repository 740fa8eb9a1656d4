import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Product } from './products';

/** `access` tokens come from /token/, `oauth2` tokens from the consent flow's /oauth2/token/. */
export type TokenAudience = 'access' | 'oauth2';

export interface TokenClaims {
  clientId: string;
  sessionId: string;
  expiresAt: number;
}

const HEADER = base64url(JSON.stringify({ typ: 'JWT', alg: 'R256' }));

function base64url(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}

/** MTN's `expires` claim: local time, ISO layout, milliseconds, no zone. */
function localTimestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`
  );
}

/**
 * Tokens shaped like MTN's (a JWT whose header says `alg: R256` and whose payload holds
 * clientId, expires, sessionId), signed with an HMAC over the product and audience too, so a
 * collection token is refused by disbursement without any per-token state: verification costs
 * one HMAC, and memory stays flat however many tokens a benchmark asks for.
 */
export class TokenService {
  private secret = randomBytes(32);

  issue(
    apiUser: string,
    product: Product,
    audience: TokenAudience,
    ttlSeconds: number,
    sessionId: string = randomUUID(),
  ): string {
    const payload = base64url(
      JSON.stringify({
        clientId: apiUser,
        expires: localTimestamp(Date.now() + ttlSeconds * 1000),
        sessionId,
      }),
    );
    return `${HEADER}.${payload}.${this.sign(product, audience, payload)}`;
  }

  verify(token: string, product: Product, audience: TokenAudience): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
    const payload = parts[1] ?? '';
    if (parts[2] !== this.sign(product, audience, payload)) return undefined;
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (typeof claims !== 'object' || claims === null) return undefined;
    const { clientId, expires, sessionId } = claims as Record<string, unknown>;
    if (
      typeof clientId !== 'string' ||
      typeof expires !== 'string' ||
      typeof sessionId !== 'string'
    ) {
      return undefined;
    }
    const expiresAt = new Date(expires).getTime();
    if (!(expiresAt > Date.now())) return undefined;
    return { clientId, sessionId, expiresAt };
  }

  /** Invalidates every token issued so far. */
  rotate(): void {
    this.secret = randomBytes(32);
  }

  private sign(product: Product, audience: TokenAudience, payload: string): string {
    return createHmac('sha256', this.secret)
      .update(`${audience}.${product}.${HEADER}.${payload}`)
      .digest('base64url');
  }
}
