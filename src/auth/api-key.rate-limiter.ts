import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../common/errors/domain-error';
import { LeasedBudget, type LeaseDatabase } from '../database/leased-budget';
import type { Clock } from './auth.clock';
import type { AuthenticatedApiKey } from './authenticated-api-key';

/** Created by migration 1764500000000-ApiKeys: (key, points, expire in epoch ms), one row per key. */
export const API_KEY_RATE_LIMIT_TABLE = 'api_key_rate_limit';
const WINDOW_SECONDS = 60;

/** The part of a budget used here: `LeasedBudget` in production, a fake in unit tests. */
export interface KeyBudget {
  /** Resolves when granted; rejects with a `RateLimiterRes` when refused, or an Error when broken. */
  consume(key: string, points?: number): Promise<RateLimiterRes>;
}

/** Makes the per-minute budget of a given size; one per distinct limit, made on first use. */
export type KeyBudgetFactory = (pointsPerMinute: number) => KeyBudget;
export const API_KEY_BUDGETS = Symbol('API_KEY_BUDGETS');

/**
 * Budgets kept in PostgreSQL, so a key's limit holds across all replicas (a client spreading its
 * calls over pods gets the same limit as one hitting a single pod). Each replica leases a block of
 * the key's minute (1 request up to 50 a minute, `ceil(limit / 50)` above, at most 50: see
 * `leaseBlockSize`) with one upsert and spends it from memory, so a busy key costs one round trip
 * per block, not per request. Once a key has spent its minute, the replica refuses it from memory
 * until the window ends, so a flood costs no database work. If the database cannot answer, each
 * replica counts alone in memory (the request then usually fails on the database anyway).
 */
export function postgresKeyBudgets(db: LeaseDatabase, clock: Clock): KeyBudgetFactory {
  return (points) =>
    new LeasedBudget({
      db,
      table: API_KEY_RATE_LIMIT_TABLE,
      // One row per key, reused every window: the table never grows beyond the number of keys.
      keyPrefix: 'key',
      limit: points,
      windowMs: WINDOW_SECONDS * 1000,
      clock,
      memoryFallback: true,
    });
}

export interface BudgetState {
  limit: number;
  /**
   * Exact when the key's blocks are 1 request (limits up to 50 a minute); above, approximate: the
   * limit minus what all replicas had leased at this replica's latest lease, plus this replica's
   * unspent block.
   */
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/** Inbound requests per API key per minute: the key's own limit, else the configured default. */
@Injectable()
export class ApiKeyRateLimiter {
  private readonly budgets = new Map<number, KeyBudget>();

  constructor(@Inject(API_KEY_BUDGETS) private readonly makeBudget: KeyBudgetFactory) {}

  /** Counts one request, or throws RATE_LIMITED with the seconds until the window resets. */
  async consume(key: AuthenticatedApiKey): Promise<BudgetState> {
    const limit = key.rateLimitPerMinute;
    let budget = this.budgets.get(limit);
    if (!budget) {
      budget = this.makeBudget(limit);
      this.budgets.set(limit, budget);
    }
    try {
      const res = await budget.consume(key.id);
      return {
        limit,
        remaining: res.remainingPoints,
        resetSeconds: Math.ceil(res.msBeforeNext / 1000),
      };
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const retryAfterSeconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw new DomainError(
        'RATE_LIMITED',
        `This API key's limit of ${limit} requests per minute is spent; retry after ${retryAfterSeconds} s`,
        {
          retryAfterSeconds,
          details: [{ message: `limit ${limit} per minute`, limit }],
        },
      );
    }
  }
}
