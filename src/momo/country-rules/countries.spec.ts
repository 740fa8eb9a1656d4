import {
  getCountryCallingCode,
  getExampleNumber,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/mobile';
import examples from 'libphonenumber-js/mobile/examples';
import { CURRENCY_MINOR_UNITS } from '../../common/money';
import {
  COUNTRIES,
  COUNTRY_CODES,
  MTN_SANDBOX_TEST_MSISDNS,
  isCountryCode,
  isKycLevel,
} from './countries';

describe('the supported countries', () => {
  it('are the guide’s 11, in the guide’s order', () => {
    expect(COUNTRY_CODES).toEqual([
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
    ]);
  });

  it.each(COUNTRY_CODES)('%s has the calling code libphonenumber knows', (code) => {
    expect(COUNTRIES[code].callingCode).toBe(getCountryCallingCode(code));
  });

  it.each(COUNTRY_CODES)('%s has the length of libphonenumber’s example mobile number', (code) => {
    const example = getExampleNumber(code, examples);
    expect(COUNTRIES[code].nationalNumberLengths).toContain(example?.nationalNumber.length);
  });

  it.each(COUNTRY_CODES)(
    '%s mobile numbers one digit longer are not valid for libphonenumber',
    (code) => {
      const example = getExampleNumber(code, examples);
      const longer = parsePhoneNumberFromString(
        `+${COUNTRIES[code].callingCode}${example?.nationalNumber ?? ''}0`,
      );
      expect(longer?.isValid() ?? false).toBe(false);
    },
  );

  it.each(COUNTRY_CODES)('%s has a currency with known minor units', (code) => {
    expect(CURRENCY_MINOR_UNITS[COUNTRIES[code].currency]).toBeDefined();
  });

  it.each([
    ['UG', 'UGX', 'mtnuganda'],
    ['GH', 'GHS', 'mtnghana'],
    ['RW', 'RWF', 'mtnrwanda'],
    ['ZM', 'ZMW', 'mtnzambia'],
    ['NG', 'NGN', 'mtnnigeria'],
    ['BJ', 'XOF', 'mtnbenin'],
    ['CM', 'XAF', 'mtncameroon'],
    ['CG', 'XAF', 'mtncongo'],
    ['CI', 'XOF', 'mtnivorycoast'],
    ['GW', 'XOF', 'mtnguineabissau'],
    ['GN', 'GNF', 'mtnguineaconakry'],
  ] as const)('%s uses %s and target environment %s', (code, currency, target) => {
    expect([COUNTRIES[code].currency, COUNTRIES[code].targetEnvironment]).toEqual([
      currency,
      target,
    ]);
  });

  it('recognises a supported country code and refuses others', () => {
    expect([isCountryCode('UG'), isCountryCode('KE'), isCountryCode('ug')]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('recognises the KYC levels', () => {
    expect([
      isKycLevel('basic'),
      isKycLevel('standard'),
      isKycLevel('full'),
      isKycLevel('gold'),
    ]).toEqual([true, true, true, false]);
  });
});

describe('MTN sandbox test numbers', () => {
  it('are the 14 numbers 46733123450 to 46733123463 and 56733123453', () => {
    expect([...MTN_SANDBOX_TEST_MSISDNS].sort()).toEqual([
      ...Array.from({ length: 14 }, (_, i) => String(46733123450 + i)),
      '56733123453',
    ]);
  });

  it('belong to no supported market', () => {
    const countries = [...MTN_SANDBOX_TEST_MSISDNS].map(
      (n) => parsePhoneNumberFromString(`+${n}`)?.country,
    );
    expect(countries.some((c) => isCountryCode(c))).toBe(false);
  });
});
