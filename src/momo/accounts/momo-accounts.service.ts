import { Inject, Injectable, Logger } from '@nestjs/common';
import * as fs from 'node:fs';
import { DomainError } from '../../common/errors/domain-error';
import type { Product } from '../../common/product';
import { APP_CONFIG, ConfigError, type AppConfig } from '../../config/app-config';
import type { CountryCode } from '../country-rules/countries';
import { CountryRulesService } from '../country-rules/country-rules.service';
import { parseAccountsFile } from './accounts-file.parser';
import { MomoAccount, MomoCredentialSet } from './momo-account';

/** Everything one call needs to reach the right MTN market. */
export interface ResolvedAccount {
  account: MomoAccount;
  credentials: MomoCredentialSet;
  targetEnvironment: string;
}

export const DEFAULT_ACCOUNT_ID = 'default';

/**
 * Which MTN account serves a country and product. In production every country is its own MTN
 * market with its own keys, API user, target environment and sometimes host, so the accounts come
 * from `MTN_MOMO_ACCOUNTS_FILE`; without one, the `MTN_MOMO_*` variables form a single default
 * account for every country. Read and validated once, at start-up.
 */
@Injectable()
export class MomoAccountsService {
  private readonly logger = new Logger(MomoAccountsService.name);
  private readonly accounts: readonly MomoAccount[];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly countryRules: CountryRulesService,
  ) {
    this.accounts = this.load();
  }

  private load(): MomoAccount[] {
    const { momo } = this.config;
    if (momo.accountsFile) {
      let text: string;
      try {
        text = fs.readFileSync(momo.accountsFile, 'utf8');
      } catch (err) {
        const reason =
          (err as { code?: unknown }).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
        throw new ConfigError(
          `Invalid configuration: MTN_MOMO_ACCOUNTS_FILE ${momo.accountsFile} ${reason}`,
        );
      }
      const accounts = parseAccountsFile(text, momo.accountsFile, {
        baseUrl: momo.baseUrl,
        environment: momo.environment,
      });
      if (Object.keys(momo.credentials).length > 0) {
        this.logger.warn(
          'MTN_MOMO_ACCOUNTS_FILE is set: the MTN_MOMO_* credential variables are ignored',
        );
      }
      return accounts;
    }
    if (!momo.baseUrl || Object.keys(momo.credentials).length === 0) return [];
    const credentials: Partial<Record<Product, MomoCredentialSet>> = {};
    for (const [product, values] of Object.entries(momo.credentials) as Array<
      [Product, typeof momo.credentials.collection]
    >) {
      if (values) credentials[product] = new MomoCredentialSet(values);
    }
    return [new MomoAccount(DEFAULT_ACCOUNT_ID, 'all', momo.baseUrl, undefined, credentials)];
  }

  list(): readonly MomoAccount[] {
    return this.accounts;
  }

  /**
   * The account for this country and product: its own first, else the one for every country.
   * `field` names the request field the market came from in the UNSUPPORTED_COUNTRY error.
   */
  resolve(country: CountryCode, product: Product, field = 'country'): ResolvedAccount {
    const own = this.accounts.find(
      (a) => a.countries !== 'all' && a.countries.includes(country) && a.credentialsFor(product),
    );
    const account =
      own ?? this.accounts.find((a) => a.countries === 'all' && a.credentialsFor(product));
    const credentials = account?.credentialsFor(product);
    if (!account || !credentials) {
      throw new DomainError(
        'UNSUPPORTED_COUNTRY',
        `No MTN account is configured for ${product} in ${country}`,
        { details: [{ field, message: `no MTN ${product} account serves ${country}` }] },
      );
    }
    return { account, credentials, targetEnvironment: this.targetEnvironmentFor(account, country) };
  }

  /**
   * The account's own setting, else MTN_MOMO_TARGET_ENVIRONMENT, else `sandbox` in sandbox mode,
   * else the country's market (`mtnuganda`, …) from the country rules.
   */
  targetEnvironmentFor(account: MomoAccount, country: CountryCode): string {
    if (account.targetEnvironment) return account.targetEnvironment;
    if (this.config.momo.targetEnvironment) return this.config.momo.targetEnvironment;
    if (this.config.momo.environment === 'sandbox') return 'sandbox';
    return this.countryRules.targetEnvironmentFor(country);
  }
}
