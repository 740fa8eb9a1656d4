import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { BreakerService } from '../momo/breaker/breaker.service';

/**
 * The MTN circuit breakers, for the readiness body. Always up: an open breaker means MTN is
 * failing for one product and market, which every replica sees alike; taking this one out of
 * service would not help, and the gateway still answers (reads, other products, CIRCUIT_OPEN).
 */
@Injectable()
export class BreakerHealthIndicator {
  constructor(
    private readonly breakers: BreakerService,
    private readonly health: HealthIndicatorService,
  ) {}

  check(key = 'mtnBreakers') {
    const breakers = this.breakers.getStates().map((b) => ({
      product: b.product,
      account: b.accountId,
      state: b.state,
      ...(b.retryAfterSeconds !== undefined ? { retryAfterSeconds: b.retryAfterSeconds } : {}),
    }));
    return this.health
      .check(key)
      .up({ open: breakers.filter((b) => b.state === 'open').length, breakers });
  }
}
