import type { RateLimiterRes } from 'rate-limiter-flexible';
import type { AppConfig } from '../../config/app-config';
import { LeasedBudget, type LeaseDatabase } from '../../database/leased-budget';
import type { Clock } from '../time/clock';

/** Created by migration 1764200000000-OutboundRateLimit: (key, points, expire in epoch ms). */
export const OUTBOUND_RATE_LIMIT_TABLE = 'momo_outbound_rate_limit';

/** The part of a budget the outbound limiter uses: `LeasedBudget`, or a fake in unit tests. */
export interface BudgetLimiter {
  /** Resolves when granted; rejects with a `RateLimiterRes` when refused, or an Error when broken. */
  consume(key: string, points?: number): Promise<RateLimiterRes>;
  /** Gives units back (the call that took them did not happen). */
  reward(key: string, points?: number): Promise<RateLimiterRes>;
  /** Milliseconds to the window's end if the budget is known to be spent without asking; else 0. */
  spentFor?(key: string): number;
}

/** The whole per-minute budget, and the capped share background calls may use of it. */
export interface RateLimitStores {
  total: BudgetLimiter;
  background: BudgetLimiter;
  /** Checks the stores answered from memory because the database could not answer. */
  storeErrors?(): number;
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
 * subscription, not per process. The table is ours (created by a migration). Each replica leases a
 * block of the minute's budget with one upsert and spends it from memory (12 calls a block at 600 a
 * minute; 1 up to 50 a minute; see `leaseBlockSize`), so the budget never admits more than the
 * limit across all replicas but costs one round trip per block rather than per call. If the
 * database cannot answer, each replica counts in memory against a budget of the same size rather
 * than stopping calls to MTN, whose own 429 remains the last line; those checks are counted as
 * store errors.
 */
export function createPostgresRateLimitStores(
  db: LeaseDatabase,
  config: AppConfig,
  clock: Clock,
): RateLimitStores {
  const make = (keyPrefix: string, limit: number): LeasedBudget =>
    new LeasedBudget({
      db,
      table: OUTBOUND_RATE_LIMIT_TABLE,
      // Keys are a handful per account and product and are reused, so the table never grows.
      keyPrefix,
      limit,
      windowMs: WINDOW_SECONDS * 1000,
      clock,
      memoryFallback: true,
    });
  const total = make('momo', config.momo.rateLimit.requestsPerMinute);
  const background = make('momo-background', backgroundPoints(config));
  return {
    total,
    background,
    storeErrors: () => total.storeErrors + background.storeErrors,
  };
}
