import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AUTH_CLOCK, type Clock } from './auth.clock';
import { displayPrefix, hashApiKey, hashesEqual, prefixOf } from './api-key.format';
import { ApiKeyStore } from './api-key.store';
import type { AuthenticatedApiKey } from './authenticated-api-key';

export type Authentication =
  { ok: true; key: AuthenticatedApiKey } | { ok: false; reason: 'unknown' | 'revoked' };

interface CacheEntry {
  expiresAt: number;
  outcome: Promise<Authentication>;
}

/** Bounds the memory a stream of made-up keys can take; the oldest entries go first. */
const MAX_CACHE_ENTRIES = 10_000;
/** `last_used_at` is written at most this often per key. */
export const LAST_USED_INTERVAL_SECONDS = 60;

/**
 * Turns a presented key into its stored identity. Outcomes (also "unknown" and "revoked") are
 * remembered for `API_KEY_CACHE_TTL_SECONDS`, keyed by the key's hash, so a request normally costs
 * no database round trip; a revocation therefore takes effect within that time on every replica.
 * Concurrent requests with the same uncached key share one lookup.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly logger = new Logger(ApiKeyAuthenticator.name);
  private readonly cache = new Map<string, CacheEntry>();
  private readonly lastTouched = new Map<string, number>();

  constructor(
    private readonly store: ApiKeyStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AUTH_CLOCK) private readonly clock: Clock,
  ) {}

  async authenticate(presented: string): Promise<Authentication> {
    const prefix = prefixOf(presented);
    if (prefix === undefined) return { ok: false, reason: 'unknown' };
    const hash = hashApiKey(presented);
    const outcome = await this.cached(hash, () => this.lookUp(prefix, hash));
    if (outcome.ok) await this.recordUse(outcome.key.id);
    return outcome;
  }

  private cached(hash: string, load: () => Promise<Authentication>): Promise<Authentication> {
    const ttlMs = this.config.auth.keyCacheTtlSeconds * 1000;
    if (ttlMs <= 0) return load();
    const now = this.clock.now();
    const hit = this.cache.get(hash);
    if (hit && hit.expiresAt > now) return hit.outcome;
    if (hit) this.cache.delete(hash);
    while (this.cache.size >= MAX_CACHE_ENTRIES) {
      const oldest = this.cache.keys().next();
      if (oldest.done) break;
      this.cache.delete(oldest.value);
    }
    const outcome = load();
    this.cache.set(hash, { expiresAt: now + ttlMs, outcome });
    // A failed lookup (database down) is not remembered: the next request tries again.
    outcome.catch(() => {
      if (this.cache.get(hash)?.outcome === outcome) this.cache.delete(hash);
    });
    return outcome;
  }

  private async lookUp(prefix: string, hash: string): Promise<Authentication> {
    const row = await this.store.findByPrefix(prefix);
    if (!row || !hashesEqual(row.keyHash, hash)) return { ok: false, reason: 'unknown' };
    if (row.revokedAt) return { ok: false, reason: 'revoked' };
    return {
      ok: true,
      key: {
        id: row.id,
        name: row.name,
        prefix: displayPrefix(row.prefix),
        scopes: row.scopes,
        rateLimitPerMinute: row.rateLimitPerMinute ?? this.config.auth.defaultRateLimitPerMinute,
      },
    };
  }

  /** `last_used_at`, at most once a minute per key and replica; a failure never fails the request. */
  private async recordUse(id: string): Promise<void> {
    const now = this.clock.now();
    const last = this.lastTouched.get(id);
    if (last !== undefined && now - last < LAST_USED_INTERVAL_SECONDS * 1000) return;
    this.lastTouched.set(id, now);
    try {
      await this.store.touch(id, LAST_USED_INTERVAL_SECONDS);
    } catch (err) {
      this.logger.warn(
        { apiKeyId: id, err: err instanceof Error ? err.message : String(err) },
        'could not record API key use',
      );
    }
  }
}
