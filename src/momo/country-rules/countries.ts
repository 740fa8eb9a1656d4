import type { CurrencyCode } from '../../common/money';

/** The 11 markets of the integration guide, by ISO 3166-1 alpha-2 code. */
export const COUNTRY_CODES = [
  'UG',
  'GH',
  'RW',
  'ZM',
  'NG',
  'BJ',
  'CM',
  'CG',
  'CI',
  'GW',
  'GN',
] as const;
export type CountryCode = (typeof COUNTRY_CODES)[number];

export function isCountryCode(value: unknown): value is CountryCode {
  return typeof value === 'string' && (COUNTRY_CODES as readonly string[]).includes(value);
}

/**
 * Customer verification (KYC) levels. MTN raises limits with verification but publishes no
 * figures, so the higher tiers are our own documented defaults (see `KYC_MULTIPLIERS`), each
 * replaceable per country by the rules file.
 */
export const KYC_LEVELS = ['basic', 'standard', 'full'] as const;
export type KycLevel = (typeof KYC_LEVELS)[number];
export const DEFAULT_KYC_LEVEL: KycLevel = 'basic';

export function isKycLevel(value: unknown): value is KycLevel {
  return typeof value === 'string' && (KYC_LEVELS as readonly string[]).includes(value);
}

/** Higher tiers multiply the basic per-transaction maximum and daily limit; the minimum stays. */
export const KYC_MULTIPLIERS: Readonly<Record<KycLevel, bigint>> = {
  basic: 1n,
  standard: 2n,
  full: 5n,
};

/** Limits as decimal strings in the country's currency (the rules file uses the same form). */
export interface LimitFigures {
  min: string;
  max: string;
  daily: string;
}

export interface CountryDefinition {
  code: CountryCode;
  name: string;
  currency: CurrencyCode;
  /** E.164 country calling code: the first digits of every MSISDN of the country. */
  callingCode: string;
  /** Digits after the calling code in a mobile MSISDN (libphonenumber-js metadata agrees; see spec). */
  nationalNumberLengths: readonly number[];
  /** Production `X-Target-Environment`; overridable by the rules file. */
  targetEnvironment: string;
  /** Basic-tier limits; the other tiers follow by `KYC_MULTIPLIERS` unless the file says otherwise. */
  limits: LimitFigures;
}

/**
 * The guide's generic test range ("1 - 1,000,000 accepted range for most currencies") for the
 * markets it gives no figures for. The guide gives no daily figure for them: 5,000,000 is our
 * default, five maximum-size payments a day, in line with the ratios of the markets it does cover.
 */
const GENERIC_LIMITS: LimitFigures = { min: '1', max: '1000000', daily: '5000000' };

/**
 * Target environments: the official MTN SDK values (momo-api.md §8.2) where MTN publishes one.
 * `mtnrwanda` and `mtnnigeria` are seen only in third-party code and `mtnguineabissau` is a guess
 * following MTN's naming; all three are the first thing to confirm with MTN before going live in
 * those markets, and the rules file can replace any of them without a release.
 */
export const COUNTRIES: Readonly<Record<CountryCode, CountryDefinition>> = {
  UG: {
    code: 'UG',
    name: 'Uganda',
    currency: 'UGX',
    callingCode: '256',
    nationalNumberLengths: [9],
    targetEnvironment: 'mtnuganda',
    limits: { min: '1000', max: '4000000', daily: '10000000' },
  },
  GH: {
    code: 'GH',
    name: 'Ghana',
    currency: 'GHS',
    callingCode: '233',
    nationalNumberLengths: [9],
    targetEnvironment: 'mtnghana',
    limits: { min: '1', max: '10000', daily: '50000' },
  },
  RW: {
    code: 'RW',
    name: 'Rwanda',
    currency: 'RWF',
    callingCode: '250',
    nationalNumberLengths: [9],
    targetEnvironment: 'mtnrwanda',
    limits: { min: '100', max: '5000000', daily: '10000000' },
  },
  ZM: {
    code: 'ZM',
    name: 'Zambia',
    currency: 'ZMW',
    callingCode: '260',
    nationalNumberLengths: [9],
    targetEnvironment: 'mtnzambia',
    limits: GENERIC_LIMITS,
  },
  NG: {
    code: 'NG',
    name: 'Nigeria',
    currency: 'NGN',
    callingCode: '234',
    nationalNumberLengths: [10],
    targetEnvironment: 'mtnnigeria',
    limits: GENERIC_LIMITS,
  },
  BJ: {
    code: 'BJ',
    name: 'Benin',
    currency: 'XOF',
    callingCode: '229',
    // Benin moved to 10-digit numbers (01 + the old 8 digits) in 2024.
    nationalNumberLengths: [10],
    targetEnvironment: 'mtnbenin',
    limits: GENERIC_LIMITS,
  },
  CM: {
    code: 'CM',
    name: 'Cameroon',
    currency: 'XAF',
    callingCode: '237',
    nationalNumberLengths: [9],
    targetEnvironment: 'mtncameroon',
    limits: GENERIC_LIMITS,
  },
  CG: {
    code: 'CG',
    name: 'Congo-Brazzaville',
    currency: 'XAF',
    callingCode: '242',
    nationalNumberLengths: [9],
    targetEnvironment: 'mtncongo',
    limits: GENERIC_LIMITS,
  },
  CI: {
    code: 'CI',
    name: "Côte d'Ivoire",
    currency: 'XOF',
    callingCode: '225',
    nationalNumberLengths: [10],
    targetEnvironment: 'mtnivorycoast',
    limits: GENERIC_LIMITS,
  },
  GW: {
    code: 'GW',
    name: 'Guinea-Bissau',
    currency: 'XOF',
    callingCode: '245',
    nationalNumberLengths: [9],
    targetEnvironment: 'mtnguineabissau',
    limits: GENERIC_LIMITS,
  },
  GN: {
    code: 'GN',
    name: 'Guinea-Conakry',
    currency: 'GNF',
    callingCode: '224',
    nationalNumberLengths: [9],
    targetEnvironment: 'mtnguineaconakry',
    limits: GENERIC_LIMITS,
  },
};

/**
 * MTN's documented sandbox test MSISDNs (momo-api.md §8.3): Swedish and Chilean numbers that make
 * the sandbox (and the project's emulator) fail in a chosen way. They belong to none of the 11
 * markets, so they are accepted only in sandbox mode and only when the caller names the country.
 */
export const MTN_SANDBOX_TEST_MSISDNS: ReadonlySet<string> = new Set([
  ...Array.from({ length: 14 }, (_, i) => `467331234${50 + i}`),
  '56733123453',
]);
