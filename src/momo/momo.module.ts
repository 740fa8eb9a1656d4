import { CounterPool } from '../database/counter-pool';
import { HttpModule } from '@nestjs/axios';
import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MomoAccountsService } from './accounts/momo-accounts.service';
import { BreakerService } from './breaker/breaker.service';
import { MomoClient } from './client/momo-client';
import { CountryRulesService } from './country-rules/country-rules.service';
import { DailyLimitService } from './country-rules/daily-limit.service';
import { OutboundRateLimiter } from './rate-limit/outbound-rate-limiter.service';
import { RATE_LIMIT_STORES, createPostgresRateLimitStores } from './rate-limit/rate-limit.stores';
import { RetryPolicy } from './retry/retry.policy';
import { CallbackHostCheck } from './startup/callback-host.check';
import {
  MOMO_CLOCK,
  MOMO_RANDOM,
  MOMO_SLEEPER,
  realSleeper,
  systemClock,
  type Clock,
} from './time/clock';
import { TokenService } from './token/token.service';

/**
 * The shared MTN plumbing, imported by the product modules and reconciliation. Needs the global
 * `ConfigModule` (APP_CONFIG) and a `TypeOrmModule.forRoot` (the outbound budget lives in
 * PostgreSQL, on the application's own pool). Tests replace MOMO_CLOCK, MOMO_SLEEPER and
 * MOMO_RANDOM.
 */
@Module({
  imports: [HttpModule],
  providers: [
    { provide: MOMO_CLOCK, useValue: systemClock },
    { provide: MOMO_SLEEPER, useValue: realSleeper },
    { provide: MOMO_RANDOM, useValue: Math.random },
    {
      provide: RATE_LIMIT_STORES,
      inject: [CounterPool, APP_CONFIG, MOMO_CLOCK],
      useFactory: (counters: CounterPool, config: AppConfig, clock: Clock) =>
        createPostgresRateLimitStores(counters.pool, config, clock),
    },
    CountryRulesService,
    DailyLimitService,
    MomoAccountsService,
    TokenService,
    BreakerService,
    RetryPolicy,
    OutboundRateLimiter,
    MomoClient,
    CallbackHostCheck,
  ],
  exports: [
    MomoClient,
    TokenService,
    BreakerService,
    OutboundRateLimiter,
    MomoAccountsService,
    CountryRulesService,
    DailyLimitService,
  ],
})
export class MomoModule implements OnModuleInit {
  constructor(
    @Inject(MomoAccountsService) private readonly accounts: MomoAccountsService,
    @Inject(BreakerService) private readonly breakers: BreakerService,
  ) {}

  /** Every account and product has a breaker from the start, so health and metrics list them all. */
  onModuleInit(): void {
    for (const account of this.accounts.list()) {
      for (const product of account.products) this.breakers.register(product, account.id);
    }
  }
}
