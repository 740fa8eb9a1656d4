import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Product } from '../../common/product';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { TokenGrant } from '../client/mtn-status.mapper';
import { MOMO_CLOCK, type Clock } from '../time/clock';

/** Whose token: one per product and credential set, since MTN issues them per product key and user. */
export interface TokenOwner {
  product: Product;
  baseUrl: string;
  apiUser: string;
  subscriptionKey: string;
  /** For logs only. */
  accountId: string;
}

export type TokenFetcher = () => Promise<TokenGrant>;

interface CachedToken {
  accessToken: string;
  expiresAt: number;
  refreshAt: number;
}

export interface TokenCounters {
  /** Tokens obtained from MTN. */
  refreshes: number;
  /** Token requests that failed. */
  failures: number;
  /** Tokens dropped because MTN refused them (401). */
  invalidations: number;
}

/**
 * MTN access tokens, cached per owner and refreshed `tokenRefreshMarginSeconds` before they
 * expire. Single-flight: however many calls need a token while one is being fetched, MTN sees one
 * token request. It holds no HTTP code of its own: the fetch is `MomoClient`'s, the only class that
 * calls MTN.
 */
@Injectable()
export class TokenService {
  private readonly logger = new Logger(TokenService.name);
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<CachedToken>>();
  private readonly counters: TokenCounters = { refreshes: 0, failures: 0, invalidations: 0 };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MOMO_CLOCK) private readonly clock: Clock,
  ) {}

  /** The cache key is a digest, so even a dump of this map shows no key material. */
  private keyOf(owner: TokenOwner): string {
    return createHash('sha256')
      .update(`${owner.product}\n${owner.baseUrl}\n${owner.apiUser}\n${owner.subscriptionKey}`)
      .digest('hex');
  }

  async get(owner: TokenOwner, fetch: TokenFetcher): Promise<string> {
    const key = this.keyOf(owner);
    const cached = this.cache.get(key);
    if (cached && this.clock.now() < cached.refreshAt) return cached.accessToken;
    try {
      return (await this.refresh(key, owner, fetch)).accessToken;
    } catch (err) {
      // A failed early refresh need not fail the call while the old token still holds.
      const current = this.cache.get(key);
      if (current && this.clock.now() < current.expiresAt) {
        this.logger.warn(
          { product: owner.product, accountId: owner.accountId },
          'MTN token refresh failed; using the current token until it expires',
        );
        return current.accessToken;
      }
      throw err;
    }
  }

  /** Drops a token MTN refused, unless a newer one has already replaced it. */
  invalidate(owner: TokenOwner, accessToken: string): void {
    const key = this.keyOf(owner);
    if (this.cache.get(key)?.accessToken === accessToken) {
      this.cache.delete(key);
      this.counters.invalidations++;
    }
  }

  getCounters(): TokenCounters {
    return { ...this.counters };
  }

  private refresh(key: string, owner: TokenOwner, fetch: TokenFetcher): Promise<CachedToken> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const started = this.clock.now();
    const promise = fetch()
      .then((grant) => {
        const lifetimeMs = grant.expiresInSeconds * 1000;
        // A margin longer than half the lifetime would refresh on every call; cap it.
        const marginMs = Math.min(
          this.config.momo.tokenRefreshMarginSeconds * 1000,
          lifetimeMs / 2,
        );
        const token: CachedToken = {
          accessToken: grant.accessToken,
          expiresAt: started + lifetimeMs,
          refreshAt: started + lifetimeMs - marginMs,
        };
        this.cache.set(key, token);
        this.counters.refreshes++;
        return token;
      })
      .catch((err: unknown) => {
        this.counters.failures++;
        throw err;
      })
      .finally(() => {
        this.inFlight.delete(key);
      });
    this.inFlight.set(key, promise);
    return promise;
  }
}
