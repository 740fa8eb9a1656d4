import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Product } from '../../common/product';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { MomoAccountsService } from '../accounts/momo-accounts.service';
import { MomoCallError } from '../client/momo-call.error';
import { MomoClient } from '../client/momo-client';

export type CallbackHostOutcome = 'match' | 'mismatch' | 'unknown';

export interface CallbackHostResult {
  accountId: string;
  product: Product;
  callbackHost: string;
  registeredHost?: string;
  outcome: CallbackHostOutcome;
}

/**
 * In the sandbox an API user is bound to one `providerCallbackHost` for life, and MTN refuses
 * every create whose X-Callback-Url has another host (500 INVALID_CALLBACK_URL_HOST). Checking
 * once at start-up turns that into one plain warning instead of a stream of failed payments. It
 * never stops start-up: a failed check is a warning too.
 */
@Injectable()
export class CallbackHostCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger(CallbackHostCheck.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: MomoAccountsService,
    private readonly client: MomoClient,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.run();
  }

  async run(): Promise<CallbackHostResult[]> {
    // The provisioning API exists only in the sandbox; production hosts are registered with MTN.
    if (this.config.momo.environment !== 'sandbox') return [];
    const url = new URL(this.config.momo.callbackBaseUrl);
    const callbackHost = url.hostname.toLowerCase();
    // MTN registers a bare host name; a registration with a port is compared with the port.
    const accepted = new Set([callbackHost, url.host.toLowerCase()]);
    const results: CallbackHostResult[] = [];
    const seen = new Set<string>();
    for (const account of this.accounts.list()) {
      for (const product of account.products) {
        const credentials = account.credentialsFor(product);
        if (!credentials) continue;
        // One API user serves several products: ask once per user and host.
        const key = `${account.baseUrl}\n${credentials.apiUser}`;
        if (seen.has(key)) continue;
        seen.add(key);
        results.push(
          await this.checkOne(account.id, product, callbackHost, accepted, () =>
            this.client.getApiUser(account, product),
          ),
        );
      }
    }
    return results;
  }

  private async checkOne(
    accountId: string,
    product: Product,
    callbackHost: string,
    accepted: ReadonlySet<string>,
    lookup: () => ReturnType<MomoClient['getApiUser']>,
  ): Promise<CallbackHostResult> {
    try {
      const { providerCallbackHost } = await lookup();
      const registeredHost = providerCallbackHost?.trim().toLowerCase();
      if (registeredHost === undefined) {
        this.logger.warn(
          { accountId, product },
          'MTN did not say which callback host the API user has',
        );
        return { accountId, product, callbackHost, outcome: 'unknown' };
      }
      if (accepted.has(registeredHost))
        return { accountId, product, callbackHost, registeredHost, outcome: 'match' };
      this.logger.warn(
        { accountId, product, callbackHost, registeredHost },
        `Callback host mismatch for account ${accountId}: the API user is registered for ${registeredHost} but callbacks go to ${callbackHost}. ` +
          `MTN would refuse every create with INVALID_CALLBACK_URL_HOST: provision a new API user for host ${callbackHost}`,
      );
      return { accountId, product, callbackHost, registeredHost, outcome: 'mismatch' };
    } catch (error) {
      this.logger.warn(
        { accountId, product, code: error instanceof MomoCallError ? error.code : 'UNKNOWN' },
        "Could not check the API user's callback host with MTN; continuing",
      );
      return { accountId, product, callbackHost, outcome: 'unknown' };
    }
  }
}
