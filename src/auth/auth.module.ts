import { CounterPool } from '../database/counter-pool';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { systemClock } from '../momo/time/clock';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyLogContext } from './api-key.log-context';
import { API_KEY_BUDGETS, ApiKeyRateLimiter, postgresKeyBudgets } from './api-key.rate-limiter';
import { ApiKeyStore } from './api-key.store';
import { AUTH_CLOCK, type Clock } from './auth.clock';
import { AuthCoverageCheck } from './auth-coverage.check';

/**
 * API keys for REST consumers. `AppModule` makes `ApiKeyGuard` the global guard (APP_GUARD);
 * controllers declare access with `@RequireScope()`, `@Public()` or `@MetricsAccess()` and read the
 * caller with `@CurrentApiKey()`. Needs the global `ConfigModule` and a `TypeOrmModule.forRoot`.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    { provide: AUTH_CLOCK, useValue: systemClock },
    {
      provide: API_KEY_BUDGETS,
      inject: [CounterPool, AUTH_CLOCK],
      useFactory: (counters: CounterPool, clock: Clock) => postgresKeyBudgets(counters.pool, clock),
    },
    ApiKeyStore,
    ApiKeyAuthenticator,
    ApiKeyRateLimiter,
    ApiKeyLogContext,
    ApiKeyGuard,
    AuthCoverageCheck,
  ],
  exports: [ApiKeyGuard, ApiKeyStore],
})
export class AuthModule {}
