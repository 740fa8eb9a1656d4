import { DomainError } from '../../common/errors/domain-error';
import { Money, type CurrencyCode } from '../../common/money';
import { PRODUCTS, type Product } from '../../common/product';
import {
  COUNTRIES,
  COUNTRY_CODES,
  KYC_LEVELS,
  isCountryCode,
  type CountryCode,
  type KycLevel,
} from './countries';

/*
 * Validation of a rules file's content (see docs/country-rules.md), written by hand rather than
 * with class-validator because the file is a nested map keyed by country, tier and product, and
 * each problem must be reported with its full path (`countries.GH.limits.basic.max`).
 */

/** Limits as the rules file may give them, any of them absent. */
export interface LimitOverride {
  min?: Money;
  max?: Money;
  daily?: Money;
}
export type TierOverrides = Partial<Record<KycLevel, LimitOverride>>;

export interface CountryOverride {
  enabled?: boolean;
  targetEnvironment?: string;
  checkNumberPlan?: boolean;
  limits?: TierOverrides;
  productLimits?: Partial<Record<Product, TierOverrides>>;
}

export type CountryRulesOverrides = Partial<Record<CountryCode, CountryOverride>>;

const TARGET_ENVIRONMENT = /^[a-z0-9]+$/;
const LIMIT_KEYS = ['min', 'max', 'daily'] as const;

/** Collects every problem in a file so one start-up attempt reports them all, on one line. */
export class Problems {
  readonly list: string[] = [];
  add(at: string, message: string): void {
    this.list.push(`${at}: ${message}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapping(
  value: unknown,
  at: string,
  allowed: readonly string[],
  problems: Problems,
): Record<string, unknown> | undefined {
  if (!isRecord(value)) {
    problems.add(at, 'must be a mapping');
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      problems.add(`${at}.${key}`, `unknown key (expected one of ${allowed.join(', ')})`);
  }
  return value;
}

function amount(
  value: unknown,
  at: string,
  currency: CurrencyCode,
  problems: Problems,
): Money | undefined {
  // YAML and JSON authors write limits as plain numbers; only exact integers are safe to take.
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      problems.add(at, 'must be a whole number or a quoted decimal string such as "12.50"');
      return undefined;
    }
    value = String(value);
  }
  try {
    return Money.parse(value, currency, { field: at });
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    problems.add(at, err.details?.[0]?.message ?? err.message);
    return undefined;
  }
}

function limitOverride(
  value: unknown,
  at: string,
  currency: CurrencyCode,
  problems: Problems,
): LimitOverride {
  const raw = mapping(value, at, LIMIT_KEYS, problems);
  const result: LimitOverride = {};
  if (!raw) return result;
  for (const key of LIMIT_KEYS) {
    if (raw[key] === undefined) continue;
    const money = amount(raw[key], `${at}.${key}`, currency, problems);
    if (money) result[key] = money;
  }
  return result;
}

function tierOverrides(
  value: unknown,
  at: string,
  currency: CurrencyCode,
  problems: Problems,
): TierOverrides {
  const raw = mapping(value, at, KYC_LEVELS, problems);
  const result: TierOverrides = {};
  if (!raw) return result;
  for (const tier of KYC_LEVELS) {
    if (raw[tier] !== undefined)
      result[tier] = limitOverride(raw[tier], `${at}.${tier}`, currency, problems);
  }
  return result;
}

function booleanAt(value: unknown, at: string, problems: Problems): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    problems.add(at, 'must be true or false');
    return undefined;
  }
  return value;
}

function countryOverride(code: CountryCode, value: unknown, problems: Problems): CountryOverride {
  const at = `countries.${code}`;
  const raw = mapping(
    value,
    at,
    ['enabled', 'targetEnvironment', 'checkNumberPlan', 'limits', 'productLimits'],
    problems,
  );
  const result: CountryOverride = {};
  if (!raw) return result;
  const currency = COUNTRIES[code].currency;
  result.enabled = booleanAt(raw.enabled, `${at}.enabled`, problems);
  result.checkNumberPlan = booleanAt(raw.checkNumberPlan, `${at}.checkNumberPlan`, problems);
  if (raw.targetEnvironment !== undefined) {
    const env = raw.targetEnvironment;
    if (typeof env !== 'string' || !TARGET_ENVIRONMENT.test(env)) {
      problems.add(
        `${at}.targetEnvironment`,
        'must be lower-case letters and digits, such as mtnuganda',
      );
    } else if (env === 'sandbox' || env === 'production') {
      // `sandbox` comes from MTN_MOMO_ENVIRONMENT, and MTN rejects a literal `production`.
      problems.add(
        `${at}.targetEnvironment`,
        `must be a market's value such as mtnuganda, not ${env}`,
      );
    } else {
      result.targetEnvironment = env;
    }
  }
  if (raw.limits !== undefined)
    result.limits = tierOverrides(raw.limits, `${at}.limits`, currency, problems);
  if (raw.productLimits !== undefined) {
    const products = mapping(raw.productLimits, `${at}.productLimits`, PRODUCTS, problems);
    if (products) {
      result.productLimits = {};
      for (const product of PRODUCTS) {
        if (products[product] === undefined) continue;
        result.productLimits[product] = tierOverrides(
          products[product],
          `${at}.productLimits.${product}`,
          currency,
          problems,
        );
      }
    }
  }
  return result;
}

/** Validates the parsed content of a rules file; problems are collected, not thrown. */
export function overridesFrom(document: unknown, problems: Problems): CountryRulesOverrides {
  const root = mapping(document, '(file)', ['countries'], problems);
  const result: CountryRulesOverrides = {};
  if (!root || root.countries === undefined) return result;
  const countries = mapping(root.countries, 'countries', COUNTRY_CODES, problems);
  if (!countries) return result;
  for (const [key, value] of Object.entries(countries)) {
    if (isCountryCode(key)) result[key] = countryOverride(key, value, problems);
  }
  return result;
}
