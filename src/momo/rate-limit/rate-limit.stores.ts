import type { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterRes } from 'rate-limiter-flexible';
import type { AppConfig } from '../../config/app-config';

/** Created by migration 1764200000000-OutboundRateLimit; rate-limiter-flexible's own shape. */
export const OUTBOUND_RATE_LIMIT_TABLE = 'momo_outbound_rate_limit';

/** The part of a rate-limiter-flexible limiter the outbound limiter uses (a fake in unit tests). */
export interface BudgetLimiter {
  /** Resolves when granted; rejects with a `RateLimiterRes` when refused, or an Error when broken. */
  consume(key: string, points?: number): Promise<RateLimiterRes>;
  reward(key: string, points?: number): Promise<RateLimiterRes>;
}

/** The whole per-minute budget, and the capped share background calls may use of it. */
export interface RateLimitStores {
  total: BudgetLimiter;
  background: BudgetLimiter;
}

export const RATE_LIMIT_STORES = Symbol('RATE_LIMIT_STORES');

export const WINDOW_SECONDS = 60;

export function backgroundPoints(config: AppConfig): number {
  const { requestsPerMinute, backgroundPercent } = config.momo.rateLimit;
  if (backgroundPercent <= 0) return 0;
  return Math.max(1, Math.floor((requestsPerMinute * backgroundPercent) / 100));
}

/**
 * Budgets kept in PostgreSQL, so every replica draws on the same one: MTN counts calls per
 * subscription, not per process. The table is ours (created by a migration, hence `tableCreated`).
 * If the database cannot answer, each replica falls back to an in-memory budget of the same size
 * rather than stopping calls to MTN, whose own 429 remains the last line.
 */
export function createPostgresRateLimitStores(pool: Pool, config: AppConfig): RateLimitStores {
  const make = (keyPrefix: string, points: number): RateLimiterPostgres =>
    new RateLimiterPostgres({
      storeClient: pool,
      storeType: 'pool',
      tableName: OUTBOUND_RATE_LIMIT_TABLE,
      tableCreated: true,
      // Keys are a handful per account and product and are reused, so the table never grows.
      clearExpiredByTimeout: false,
      keyPrefix,
      points,
      duration: WINDOW_SECONDS,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: WINDOW_SECONDS }),
    });
  return {
    total: make('momo', config.momo.rateLimit.requestsPerMinute),
    background: make('momo-background', backgroundPoints(config)),
  };
}
