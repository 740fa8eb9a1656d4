import { Inject, Injectable, Logger } from '@nestjs/common';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError } from '../../common/errors/domain-error';
import type { Product } from '../../common/product';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { CallPriority } from '../momo.types';
import { MOMO_SLEEPER, type Sleeper } from '../time/clock';
import { RATE_LIMIT_STORES, type BudgetLimiter, type RateLimitStores } from './rate-limit.stores';

export interface BudgetRequest {
  accountId: string;
  product: Product;
  priority?: CallPriority;
}

export interface RateLimitCounters {
  /** Live calls that waited for budget (once per wait). */
  waits: number;
  liveRefusals: number;
  backgroundRefusals: number;
  /**
   * Budget checks the database could not answer: the call went ahead, counted against this
   * replica's in-memory budget (or, if the store itself failed, without a budget).
   */
  storeErrors: number;
}

type Attempt = { granted: true } | { granted: false; msBeforeNext: number };

/**
 * MTN's per-subscription call budget (about 600 a minute), per account and product, shared by
 * all replicas through PostgreSQL (leased in blocks: see `createPostgresRateLimitStores`). A live
 * call waits up to `maxWaitMs` for budget, then fails with RATE_LIMITED. A background call
 * (polling, reconciliation) must fit both its own share (`backgroundPercent` of the budget) and
 * the whole budget, and never waits: live traffic always keeps the rest of the minute's budget.
 */
@Injectable()
export class OutboundRateLimiter {
  private readonly logger = new Logger(OutboundRateLimiter.name);
  private readonly counters: RateLimitCounters = {
    waits: 0,
    liveRefusals: 0,
    backgroundRefusals: 0,
    storeErrors: 0,
  };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RATE_LIMIT_STORES) private readonly stores: RateLimitStores,
    @Inject(MOMO_SLEEPER) private readonly sleep: Sleeper,
  ) {}

  /** Takes one call's worth of budget, or throws RATE_LIMITED. */
  async acquire(request: BudgetRequest): Promise<void> {
    const key = `${request.accountId}:${request.product}`;
    if ((request.priority ?? 'live') === 'background') return this.acquireBackground(key);
    const maxWaitMs = this.config.momo.rateLimit.maxWaitMs;
    let waitedMs = 0;
    for (;;) {
      const attempt = await this.take(this.stores.total, key);
      if (attempt.granted) return;
      if (waitedMs + attempt.msBeforeNext > maxWaitMs) {
        this.counters.liveRefusals++;
        throw this.refused(attempt.msBeforeNext);
      }
      this.counters.waits++;
      waitedMs += attempt.msBeforeNext;
      await this.sleep(attempt.msBeforeNext);
    }
  }

  /**
   * The RATE_LIMITED a live call would get right now without asking anyone: this replica already
   * knows the budget is spent for longer than a live call may wait. Undefined otherwise (budget
   * left, or not known to be spent: the call itself finds out). Reads memory and takes nothing;
   * a refusal returned is counted as a live refusal, since the request is answered with it (or,
   * when it repeats an earlier one, with that one's transaction) instead of making the call.
   */
  refusalFor(request: Omit<BudgetRequest, 'priority'>): DomainError | undefined {
    const spentMs = this.stores.total.spentFor?.(`${request.accountId}:${request.product}`) ?? 0;
    if (spentMs <= this.config.momo.rateLimit.maxWaitMs) return undefined;
    this.counters.liveRefusals++;
    return this.refused(spentMs);
  }

  getCounters(): RateLimitCounters {
    return {
      ...this.counters,
      storeErrors: this.counters.storeErrors + (this.stores.storeErrors?.() ?? 0),
    };
  }

  private async acquireBackground(key: string): Promise<void> {
    // A total this replica knows is spent would refuse anyway: do not lease share units for it.
    const spentMs = this.stores.total.spentFor?.(key) ?? 0;
    if (spentMs > 0) {
      this.counters.backgroundRefusals++;
      throw this.refused(spentMs);
    }
    const share = await this.take(this.stores.background, key);
    if (!share.granted) {
      this.counters.backgroundRefusals++;
      throw this.refused(share.msBeforeNext);
    }
    const total = await this.take(this.stores.total, key);
    if (!total.granted) {
      // Give the share back: this call did not happen. It stays in this replica's leased block
      // for the next background call (no database work).
      await this.stores.background.reward(key, 1).catch(() => undefined);
      this.counters.backgroundRefusals++;
      throw this.refused(total.msBeforeNext);
    }
  }

  private async take(limiter: BudgetLimiter, key: string): Promise<Attempt> {
    try {
      await limiter.consume(key, 1);
      return { granted: true };
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        // A budget that cannot tell reports -1 or 0; assume a short wait.
        return { granted: false, msBeforeNext: err.msBeforeNext > 0 ? err.msBeforeNext : 1000 };
      }
      this.counters.storeErrors++;
      this.logger.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'Outbound rate limit unavailable; calling MTN without it',
      );
      return { granted: true };
    }
  }

  private refused(msBeforeNext: number): DomainError {
    return new DomainError(
      'RATE_LIMITED',
      'The MTN call budget for this minute is used up; try again shortly',
      {
        retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)),
      },
    );
  }
}
