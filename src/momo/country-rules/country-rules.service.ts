import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { Money } from '../../common/money';
import type { Product } from '../../common/product';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import {
  COUNTRY_CODES,
  DEFAULT_KYC_LEVEL,
  KYC_LEVELS,
  isKycLevel,
  type CountryCode,
  type KycLevel,
} from './countries';
import {
  loadCountryRules,
  requireCountry,
  type AmountLimits,
  type CountryRules,
  type CountryRulesTable,
} from './country-rules.loader';
import { normaliseMsisdn, type NormalisedMsisdn } from './msisdn.normaliser';

export interface CheckAmountParams {
  country: string;
  /** The currency the caller asked for; it must be the market's own, in sandbox mode too. */
  currency: string;
  amount: unknown;
  kycLevel?: string;
  product: Product;
  /** Request field names for error details; `country`, `currency`, `amount`, `kycLevel` unless told. */
  fields?: Partial<Record<'country' | 'currency' | 'amount' | 'kycLevel', string>>;
}

export interface CheckedAmount {
  /** Canonical decimal string (see `Money`): what to store and what to send to MTN. */
  amount: string;
  minor: bigint;
  currency: string;
  kycLevel: KycLevel;
  limits: AmountLimits;
}

/**
 * The 11 markets' rules: MSISDN normalisation, currency, per-transaction limits by KYC tier, and
 * what to put in MTN's `X-Target-Environment` and `currency`. The rules file named by
 * COUNTRY_RULES_FILE is read once here, so a bad file stops start-up.
 */
@Injectable()
export class CountryRulesService {
  private readonly table: CountryRulesTable;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.table = loadCountryRules(config.momo.countryRulesFile);
  }

  private get sandbox(): boolean {
    return this.config.momo.environment === 'sandbox';
  }

  /** The enabled markets, in the guide's order. */
  supportedCountries(): CountryRules[] {
    return COUNTRY_CODES.map((code) => this.table[code]).filter((rules) => rules.enabled);
  }

  rulesFor(country: string, field = 'country'): CountryRules {
    return requireCountry(this.table, country, field);
  }

  /**
   * Digits-only MSISDN (`256774123456`) and its market. In sandbox mode MTN's test numbers
   * (46733123450…) are also accepted for the country given, so failure cases can be exercised.
   */
  normaliseMsisdn(
    input: unknown,
    country?: string,
    options: { field?: string } = {},
  ): NormalisedMsisdn {
    return normaliseMsisdn(input, this.table, {
      country,
      field: options.field,
      sandbox: this.sandbox,
    });
  }

  countryOf(msisdn: string): CountryCode {
    return this.normaliseMsisdn(msisdn).country;
  }

  limitsFor(
    country: string,
    product: Product,
    kycLevel?: string,
    field = 'kycLevel',
  ): AmountLimits {
    const rules = this.rulesFor(country);
    return rules.limits[this.kycLevel(kycLevel, field)][product];
  }

  /**
   * Checks an amount against the market's currency, its precision and the per-transaction limits
   * of the payer's KYC tier. The daily limit is `DailyLimitService`'s, because it needs the database.
   */
  checkAmount(params: CheckAmountParams): CheckedAmount {
    const fields = {
      country: params.fields?.country ?? 'country',
      currency: params.fields?.currency ?? 'currency',
      amount: params.fields?.amount ?? 'amount',
      kycLevel: params.fields?.kycLevel ?? 'kycLevel',
    };
    const rules = this.rulesFor(params.country, fields.country);
    const kycLevel = this.kycLevel(params.kycLevel, fields.kycLevel);
    if (params.currency !== rules.currency) {
      throw new DomainError(
        'CURRENCY_MISMATCH',
        `${rules.name} takes ${rules.currency}, not ${String(params.currency)}`,
        {
          details: [
            {
              field: fields.currency,
              message: `must be ${rules.currency} for ${rules.name}`,
              expected: rules.currency,
            },
          ],
        },
      );
    }
    const money = Money.parse(params.amount, rules.currency, { field: fields.amount });
    const limits = rules.limits[kycLevel][params.product];
    const detail = {
      field: fields.amount,
      min: limits.min.toString(),
      max: limits.max.toString(),
      currency: rules.currency,
      kycLevel,
    };
    if (money.lessThan(limits.min)) {
      throw new DomainError(
        'AMOUNT_BELOW_MINIMUM',
        `Amount ${money.toString()} ${rules.currency} is below the minimum of ${detail.min} ${rules.currency}`,
        { details: [{ ...detail, message: `must be at least ${detail.min} ${rules.currency}` }] },
      );
    }
    if (money.greaterThan(limits.max)) {
      throw new DomainError(
        'AMOUNT_ABOVE_MAXIMUM',
        `Amount ${money.toString()} ${rules.currency} is above the maximum of ${detail.max} ${rules.currency} per transaction`,
        {
          details: [
            {
              ...detail,
              message: `must be at most ${detail.max} ${rules.currency} per transaction`,
            },
          ],
        },
      );
    }
    return {
      amount: money.toString(),
      minor: money.minor,
      currency: rules.currency,
      kycLevel,
      limits,
    };
  }

  /**
   * `X-Target-Environment` for a market: MTN_MOMO_TARGET_ENVIRONMENT when set (`sandbox` by
   * default in sandbox mode), otherwise the market's own value (`mtnuganda`).
   */
  targetEnvironmentFor(country: string): string {
    const rules = this.rulesFor(country);
    return this.config.momo.targetEnvironment ?? rules.targetEnvironment;
  }

  /**
   * The `currency` to send to MTN. MTN's sandbox takes only EUR, so in sandbox mode the amount is
   * sent unchanged with currency EUR, while every rule above still applies to the requested
   * currency and the stored transaction keeps the requested currency. This depends on
   * configuration only, so the emulator can be run in production mode (mtnuganda → UGX) too.
   */
  mtnCurrencyFor(country: string): string {
    const rules = this.rulesFor(country);
    return this.sandbox ? 'EUR' : rules.currency;
  }

  private kycLevel(value: string | undefined, field: string): KycLevel {
    if (value === undefined) return DEFAULT_KYC_LEVEL;
    if (!isKycLevel(value)) {
      throw new DomainError('VALIDATION_FAILED', `Unknown KYC level ${JSON.stringify(value)}`, {
        details: [{ field, message: `must be one of ${KYC_LEVELS.join(', ')}` }],
      });
    }
    return value;
  }
}
