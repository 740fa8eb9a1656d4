import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DomainError } from '../../common/errors/domain-error';
import { CURRENCY_MINOR_UNITS, Money, type CurrencyCode } from '../../common/money';
import { PRODUCTS, type Product } from '../../common/product';
import { ConfigError } from '../../config/app-config';
import {
  COUNTRIES,
  COUNTRY_CODES,
  KYC_LEVELS,
  KYC_MULTIPLIERS,
  isCountryCode,
  type CountryCode,
  type KycLevel,
} from './countries';
import {
  Problems,
  overridesFrom,
  type CountryOverride,
  type CountryRulesOverrides,
} from './country-rules.validator';

export interface AmountLimits {
  readonly min: Money;
  readonly max: Money;
  readonly daily: Money;
}

/** One market's effective rules: the built-in facts with the rules file applied. */
export interface CountryRules {
  readonly code: CountryCode;
  readonly name: string;
  readonly currency: CurrencyCode;
  readonly minorUnits: number;
  readonly callingCode: string;
  readonly nationalNumberLengths: readonly number[];
  readonly targetEnvironment: string;
  /** A disabled market is refused as UNSUPPORTED_COUNTRY (e.g. no MTN contract there yet). */
  readonly enabled: boolean;
  /** Whether numbers must also fit libphonenumber's mobile ranges, not just the length. */
  readonly checkNumberPlan: boolean;
  readonly limits: Readonly<Record<KycLevel, Readonly<Record<Product, AmountLimits>>>>;
}

export type CountryRulesTable = Readonly<Record<CountryCode, CountryRules>>;

function resolveLimits(
  code: CountryCode,
  override: CountryOverride,
  problems: Problems,
): CountryRules['limits'] {
  const definition = COUNTRIES[code];
  const given = override.limits ?? {};
  const basic: AmountLimits = {
    min: given.basic?.min ?? Money.parse(definition.limits.min, definition.currency),
    max: given.basic?.max ?? Money.parse(definition.limits.max, definition.currency),
    daily: given.basic?.daily ?? Money.parse(definition.limits.daily, definition.currency),
  };
  const result = {} as Record<KycLevel, Record<Product, AmountLimits>>;
  for (const tier of KYC_LEVELS) {
    const tierGiven = given[tier] ?? {};
    const tierLimits: AmountLimits = {
      min: tierGiven.min ?? basic.min,
      max: tierGiven.max ?? basic.max.times(KYC_MULTIPLIERS[tier]),
      daily: tierGiven.daily ?? basic.daily.times(KYC_MULTIPLIERS[tier]),
    };
    result[tier] = {} as Record<Product, AmountLimits>;
    for (const product of PRODUCTS) {
      const productGiven = override.productLimits?.[product]?.[tier] ?? {};
      const limits: AmountLimits = {
        min: productGiven.min ?? tierLimits.min,
        max: productGiven.max ?? tierLimits.max,
        daily: productGiven.daily ?? tierLimits.daily,
      };
      const at = `countries.${code} (${tier}, ${product})`;
      if (limits.min.greaterThan(limits.max))
        problems.add(at, `min ${limits.min.toString()} is above max ${limits.max.toString()}`);
      if (limits.max.greaterThan(limits.daily))
        problems.add(at, `max ${limits.max.toString()} is above daily ${limits.daily.toString()}`);
      result[tier][product] = limits;
    }
  }
  return result;
}

function build(overrides: CountryRulesOverrides, problems: Problems): CountryRulesTable {
  const table = {} as Record<CountryCode, CountryRules>;
  for (const code of COUNTRY_CODES) {
    const definition = COUNTRIES[code];
    const override = overrides[code] ?? {};
    table[code] = {
      code,
      name: definition.name,
      currency: definition.currency,
      minorUnits: CURRENCY_MINOR_UNITS[definition.currency],
      callingCode: definition.callingCode,
      nationalNumberLengths: definition.nationalNumberLengths,
      targetEnvironment: override.targetEnvironment ?? definition.targetEnvironment,
      enabled: override.enabled ?? true,
      checkNumberPlan: override.checkNumberPlan ?? true,
      limits: resolveLimits(code, override, problems),
    };
  }
  return table;
}

/** The built-in rules, as used when no rules file is configured. */
export function defaultCountryRules(): CountryRulesTable {
  return parseCountryRules(undefined, '(built-in)');
}

/**
 * Applies a parsed rules document (`{ countries: { UG: { ... } } }`) to the built-in rules. Any
 * problem, in the document or in the resulting limits, throws one `ConfigError` naming them all.
 */
export function parseCountryRules(document: unknown, source: string): CountryRulesTable {
  const problems = new Problems();
  const overrides = document === undefined ? {} : overridesFrom(document, problems);
  const table = build(overrides, problems);
  if (problems.list.length > 0) {
    throw new ConfigError(`Invalid country rules file ${source}: ${problems.list.join('; ')}`);
  }
  return table;
}

export type RulesFormat = 'json' | 'yaml';

/** Parses the text of a rules file (JSON, or YAML, which the operator may find easier to annotate). */
export function parseCountryRulesText(
  text: string,
  format: RulesFormat,
  source: string,
): CountryRulesTable {
  let document: unknown;
  try {
    document = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const reason = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
    throw new ConfigError(
      `Invalid country rules file ${source}: not valid ${format.toUpperCase()}: ${reason}`,
    );
  }
  if (document === null || document === undefined) {
    throw new ConfigError(`Invalid country rules file ${source}: the file is empty`);
  }
  return parseCountryRules(document, source);
}

export function rulesFormatOf(file: string): RulesFormat | undefined {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return undefined;
}

/** Reads the configured rules file once, at start-up; without one the built-in rules apply. */
export function loadCountryRules(file: string | undefined): CountryRulesTable {
  if (file === undefined) return defaultCountryRules();
  const format = rulesFormatOf(file);
  if (!format) {
    throw new ConfigError(
      `Invalid country rules file ${file}: the name must end in .json, .yaml or .yml`,
    );
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    throw new ConfigError(`Cannot read country rules file ${file} (COUNTRY_RULES_FILE): ${reason}`);
  }
  return parseCountryRulesText(text, format, file);
}

/** The rules of an enabled market, or UNSUPPORTED_COUNTRY naming the field that carried it. */
export function requireCountry(
  table: CountryRulesTable,
  value: unknown,
  field = 'country',
): CountryRules {
  const rules = isCountryCode(value) ? table[value] : undefined;
  if (!rules || !rules.enabled) {
    const supported = COUNTRY_CODES.filter((code) => table[code].enabled).join(', ');
    throw new DomainError(
      'UNSUPPORTED_COUNTRY',
      `Country ${JSON.stringify(value)} is not supported`,
      {
        details: [{ field, message: `must be one of ${supported}` }],
      },
    );
  }
  return rules;
}
