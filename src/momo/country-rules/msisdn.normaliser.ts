import { ParseError, parsePhoneNumberWithError, type PhoneNumber } from 'libphonenumber-js/mobile';
import { DomainError } from '../../common/errors/domain-error';
import { COUNTRY_CODES, MTN_SANDBOX_TEST_MSISDNS, type CountryCode } from './countries';
import { requireCountry, type CountryRules, type CountryRulesTable } from './country-rules.loader';

export interface NormalisedMsisdn {
  /** Digits only, calling code first, no `+`: the form MTN takes as `partyId` (256774123456). */
  msisdn: string;
  country: CountryCode;
}

export interface NormaliseOptions {
  /** The market a national number (0774123456) belongs to; an international one must agree. */
  country?: string;
  /** The request field named in errors; `phoneNumber` unless told. */
  field?: string;
  /** Sandbox mode: MTN's test numbers (§8.3) are let through for the given country. */
  sandbox?: boolean;
}

/** Readability characters people paste with numbers; anything else (letters, `ext`) is refused. */
const SEPARATORS = /[\s\-.()]/g;

function invalid(field: string, message: string): DomainError {
  return new DomainError('INVALID_PHONE_NUMBER', `Invalid ${field}: ${message}`, {
    details: [{ field, message }],
  });
}

function lengthsText(lengths: readonly number[]): string {
  return lengths.join(' or ');
}

function parse(text: string, field: string, country?: CountryCode): PhoneNumber {
  try {
    return parsePhoneNumberWithError(text, country);
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    switch (err.message) {
      case 'INVALID_COUNTRY':
        throw invalid(field, 'does not start with a known country calling code');
      case 'TOO_SHORT':
        throw invalid(field, 'is too short');
      case 'TOO_LONG':
        throw invalid(field, 'is too long');
      default:
        throw invalid(field, 'is not a phone number');
    }
  }
}

/**
 * Turns what a caller typed into MTN's MSISDN form and the market it belongs to. Accepts
 * `+256 774 123 456`, `00256774123456`, `256774123456`, and the national `0774123456` when the
 * country is given. Refuses numbers of the wrong length or outside the market's mobile ranges
 * (INVALID_PHONE_NUMBER) and numbers of other countries (UNSUPPORTED_COUNTRY).
 */
export function normaliseMsisdn(
  input: unknown,
  table: CountryRulesTable,
  options: NormaliseOptions = {},
): NormalisedMsisdn {
  const field = options.field ?? 'phoneNumber';
  if (typeof input !== 'string') throw invalid(field, 'must be a string such as "256774123456"');
  const given = options.country === undefined ? undefined : requireCountry(table, options.country);

  let digits = input.trim().replace(SEPARATORS, '');
  let international = false;
  if (digits.startsWith('+')) {
    international = true;
    digits = digits.slice(1);
  } else if (digits.startsWith('00')) {
    international = true;
    digits = digits.slice(2);
  }
  if (!/^\d{1,20}$/.test(digits)) {
    throw invalid(
      field,
      'must be digits, optionally after a leading + (spaces, dashes, dots and brackets are ignored)',
    );
  }

  if (options.sandbox === true && MTN_SANDBOX_TEST_MSISDNS.has(digits)) {
    if (!given)
      throw invalid(
        field,
        'is an MTN sandbox test number: the country it stands for must be given',
      );
    return { msisdn: digits, country: given.code };
  }

  let phone: PhoneNumber;
  if (!given) {
    if (!international && digits.startsWith('0')) {
      throw invalid(
        field,
        'a national number needs its country; otherwise use the international form such as 256774123456',
      );
    }
    phone = parse(`+${digits}`, field);
  } else if (international || startsInternationally(digits, given)) {
    phone = parse(`+${digits}`, field);
  } else {
    phone = parse(digits, field, given.code);
  }

  const rules = COUNTRY_CODES.map((code) => table[code]).find(
    (r) => r.callingCode === phone.countryCallingCode,
  );
  if (!rules || !rules.enabled) {
    throw new DomainError(
      'UNSUPPORTED_COUNTRY',
      `Numbers starting +${phone.countryCallingCode} are not in a supported market`,
      {
        details: [
          { field, message: `country calling code +${phone.countryCallingCode} is not supported` },
        ],
      },
    );
  }
  if (given && given.code !== rules.code) {
    throw invalid(
      field,
      `is a ${rules.name} number (+${rules.callingCode}), but the country given is ${given.name}`,
    );
  }
  const national = phone.nationalNumber;
  if (!rules.nationalNumberLengths.includes(national.length)) {
    throw invalid(
      field,
      `must have ${lengthsText(rules.nationalNumberLengths)} digits after +${rules.callingCode} (${rules.name}), not ${national.length}`,
    );
  }
  if (rules.checkNumberPlan && !phone.isValid()) {
    throw invalid(field, `is not a ${rules.name} mobile number`);
  }
  return { msisdn: `${rules.callingCode}${national}`, country: rules.code };
}

/** `256774123456` given with country UG: the calling code is already there, without the `+`. */
function startsInternationally(digits: string, rules: CountryRules): boolean {
  return (
    digits.startsWith(rules.callingCode) &&
    rules.nationalNumberLengths.includes(digits.length - rules.callingCode.length)
  );
}
