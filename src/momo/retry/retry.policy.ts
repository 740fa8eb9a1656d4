import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { MomoCallError } from '../client/momo-call.error';
import { MOMO_RANDOM, MOMO_SLEEPER, type RandomSource, type Sleeper } from '../time/clock';

export type RetryDecision = { retry: false } | { retry: true; delayMs: number };

/** A `Retry-After` longer than this is not waited out: the caller gets RATE_LIMITED with it. */
export const MAX_HONOURED_RETRY_AFTER_MS = 10_000;
/** Jitter spreads replicas' retries: each delay is the nominal one ±20 %. */
const JITTER = 0.2;

/**
 * At most `retry.maxAttempts` attempts (3), waiting `baseDelayMs`·2^(n−1) (2 s, 4 s, 8 s …, with
 * jitter) before attempt n+1, and only after MTN trouble: network errors, timeouts, 429,
 * 502/503/504, INTERNAL_PROCESSING_ERROR, SERVICE_UNAVAILABLE (`MomoCallError.transient`). A
 * business answer, our own RATE_LIMITED or an open circuit ends the call at once: retrying cannot
 * change the first, and the other two mean "not now".
 */
@Injectable()
export class RetryPolicy {
  private readonly random: RandomSource;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MOMO_SLEEPER) private readonly sleep: Sleeper,
    @Optional() @Inject(MOMO_RANDOM) random?: RandomSource,
  ) {
    this.random = random ?? Math.random;
  }

  get maxAttempts(): number {
    return this.config.momo.retry.maxAttempts;
  }

  /** The nominal wait after failed attempt `attempt` (1-based), before jitter. */
  nominalDelayMs(attempt: number): number {
    return this.config.momo.retry.baseDelayMs * 2 ** (attempt - 1);
  }

  decide(error: unknown, attempt: number): RetryDecision {
    if (attempt >= this.maxAttempts) return { retry: false };
    if (!(error instanceof MomoCallError) || !error.transient) return { retry: false };
    if (error.retryAfterMs !== undefined) {
      // MTN said how long: wait exactly that, if it is short enough to be worth holding the caller.
      return error.retryAfterMs <= MAX_HONOURED_RETRY_AFTER_MS
        ? { retry: true, delayMs: error.retryAfterMs }
        : { retry: false };
    }
    const jitter = 1 + JITTER * (2 * this.random() - 1);
    return { retry: true, delayMs: Math.round(this.nominalDelayMs(attempt) * jitter) };
  }

  /** Runs `attempt(1)`, `attempt(2)` … as decided; the last error is thrown with its attempt number. */
  async execute<T>(attempt: (n: number) => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt(n);
      } catch (error) {
        if (error instanceof MomoCallError) error.attempt = n;
        const decision = this.decide(error, n);
        if (!decision.retry) throw error;
        await this.sleep(decision.delayMs);
      }
    }
  }
}
