import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DomainError } from '../common/errors/domain-error';
import type { Product } from '../common/product';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MomoAccountsService } from '../momo/accounts/momo-accounts.service';
import { MomoClient } from '../momo/client/momo-client';
import { CachedValue } from '../observability/cached-value';
import { withTimeout } from './with-timeout';

export interface TokenCheck {
  product: Product;
  account: string;
  status: 'up' | 'down';
  /** Why not, as our error code (`MTN_UNAVAILABLE`, `MTN_TIMEOUT` …); never MTN's body. */
  code?: string;
}

/** A probe must answer quickly; a slow token call goes on and fills the token cache anyway. */
const CHECK_TIMEOUT_MS = 3_000;

/**
 * Every configured product of every MTN account can get an access token. A valid cached token
 * counts, so this calls MTN only when a token is due; the whole result is kept for
 * `HEALTH_TOKEN_CHECK_TTL_SECONDS` (30 s), so a recovery shows within that time. With no MTN
 * account configured there is nothing to check, and it is up.
 */
@Injectable()
export class MtnTokenHealthIndicator {
  private readonly result: CachedValue<TokenCheck[]>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly accounts: MomoAccountsService,
    private readonly client: MomoClient,
    private readonly health: HealthIndicatorService,
  ) {
    this.result = new CachedValue(config.observability.readiness.tokenCheckTtlMs, () =>
      this.checkAll(),
    );
  }

  async check(key = 'mtnTokens') {
    const indicator = this.health.check(key);
    const checks = await this.result.get();
    const data = { accounts: checks };
    return checks.some((c) => c.status === 'down') ? indicator.down(data) : indicator.up(data);
  }

  private checkAll(): Promise<TokenCheck[]> {
    const pairs = this.accounts
      .list()
      .flatMap((account) => account.products.map((product) => ({ account, product })));
    return Promise.all(
      pairs.map(async ({ account, product }): Promise<TokenCheck> => {
        try {
          await withTimeout(this.client.checkToken(account, product), CHECK_TIMEOUT_MS);
          return { product, account: account.id, status: 'up' };
        } catch (err) {
          const code = err instanceof DomainError ? err.code : 'MTN_UNREACHABLE';
          return { product, account: account.id, status: 'down', code };
        }
      }),
    );
  }
}
