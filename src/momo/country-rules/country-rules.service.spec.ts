import 'reflect-metadata';
import { DomainError } from '../../common/errors/domain-error';
import { loadConfig } from '../../config/app-config';
import { CountryRulesService, type CheckAmountParams } from './country-rules.service';

function service(env: NodeJS.ProcessEnv = {}): CountryRulesService {
  return new CountryRulesService(loadConfig(env));
}

const sandbox = service();
const production = service({ MTN_MOMO_ENVIRONMENT: 'production' });

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

function check(params: Partial<CheckAmountParams>): ReturnType<CountryRulesService['checkAmount']> {
  return sandbox.checkAmount({
    country: 'UG',
    currency: 'UGX',
    amount: '5000',
    product: 'collection',
    ...params,
  });
}

describe('checkAmount', () => {
  it('returns the canonical amount and its minor units', () => {
    const checked = check({ country: 'GH', currency: 'GHS', amount: '12.5' });
    expect([checked.amount, checked.minor, checked.currency]).toEqual(['12.50', 1250n, 'GHS']);
  });

  it('uses the basic tier when no KYC level is given', () => {
    expect(check({}).kycLevel).toBe('basic');
  });

  it('refuses a currency other than the country’s', () => {
    const err = errorOf(() => check({ currency: 'GHS' }));
    expect([err.code, err.details]).toEqual([
      'CURRENCY_MISMATCH',
      [{ field: 'currency', message: 'must be UGX for Uganda', expected: 'UGX' }],
    ]);
  });

  it('refuses EUR for a market in sandbox mode too, since rules apply to the requested currency', () => {
    expect(errorOf(() => check({ currency: 'EUR' })).code).toBe('CURRENCY_MISMATCH');
  });

  it('refuses decimals the currency does not have', () => {
    const err = errorOf(() => check({ amount: '5000.5' }));
    expect([err.code, err.details?.[0]?.field]).toEqual(['INVALID_AMOUNT', 'amount']);
  });

  it('refuses a malformed amount', () => {
    expect(errorOf(() => check({ amount: '5,000' })).code).toBe('INVALID_AMOUNT');
  });

  it('accepts the minimum itself', () => {
    expect(check({ amount: '1000' }).amount).toBe('1000');
  });

  it('refuses an amount below the minimum, with the limits in the details', () => {
    const err = errorOf(() => check({ amount: '999' }));
    expect([err.code, err.details]).toEqual([
      'AMOUNT_BELOW_MINIMUM',
      [
        {
          field: 'amount',
          message: 'must be at least 1000 UGX',
          min: '1000',
          max: '4000000',
          currency: 'UGX',
          kycLevel: 'basic',
        },
      ],
    ]);
  });

  it('accepts the basic maximum itself', () => {
    expect(check({ amount: '4000000' }).minor).toBe(4000000n);
  });

  it('refuses an amount above the basic maximum, with the limits in the details', () => {
    const err = errorOf(() => check({ amount: '4000001' }));
    expect([err.code, err.details?.[0]]).toEqual([
      'AMOUNT_ABOVE_MAXIMUM',
      expect.objectContaining({ min: '1000', max: '4000000', currency: 'UGX', kycLevel: 'basic' }),
    ]);
  });

  it('lets a standard-tier payer go above the basic maximum', () => {
    expect(check({ amount: '8000000', kycLevel: 'standard' }).kycLevel).toBe('standard');
  });

  it('refuses a standard-tier payer above the standard maximum', () => {
    const err = errorOf(() => check({ amount: '8000001', kycLevel: 'standard' }));
    expect(err.details?.[0]).toMatchObject({ max: '8000000', kycLevel: 'standard' });
  });

  it('lets a fully verified payer go up to the full-tier maximum', () => {
    expect(check({ amount: '20000000', kycLevel: 'full' }).amount).toBe('20000000');
  });

  it('refuses an unknown KYC level', () => {
    const err = errorOf(() => check({ kycLevel: 'gold' }));
    expect([err.code, err.details?.[0]?.field]).toEqual(['VALIDATION_FAILED', 'kycLevel']);
  });

  it('refuses an unsupported country', () => {
    expect(errorOf(() => check({ country: 'KE', currency: 'KES' })).code).toBe(
      'UNSUPPORTED_COUNTRY',
    );
  });

  it('names the caller’s fields in the details', () => {
    const err = errorOf(() => check({ currency: 'XOF', fields: { currency: 'money.currency' } }));
    expect(err.details?.[0]?.field).toBe('money.currency');
  });

  it('applies the guide’s generic range to a market without figures of its own', () => {
    const err = errorOf(() => check({ country: 'CI', currency: 'XOF', amount: '1000001' }));
    expect(err.details?.[0]).toMatchObject({ min: '1', max: '1000000', currency: 'XOF' });
  });

  it('applies Ghana’s minimum of 1 GHS to pesewa amounts', () => {
    expect(errorOf(() => check({ country: 'GH', currency: 'GHS', amount: '0.99' })).code).toBe(
      'AMOUNT_BELOW_MINIMUM',
    );
  });

  it('applies Rwanda’s maximum', () => {
    expect(errorOf(() => check({ country: 'RW', currency: 'RWF', amount: '5000001' })).code).toBe(
      'AMOUNT_ABOVE_MAXIMUM',
    );
  });
});

describe('limitsFor', () => {
  it('gives the daily limit of a tier and product', () => {
    expect(sandbox.limitsFor('RW', 'remittance', 'full').daily.toString()).toBe('50000000');
  });

  it('refuses an unknown KYC level', () => {
    expect(errorOf(() => sandbox.limitsFor('RW', 'remittance', 'vip')).code).toBe(
      'VALIDATION_FAILED',
    );
  });
});

describe('target environment and MTN currency', () => {
  it('sends X-Target-Environment sandbox in sandbox mode', () => {
    expect(sandbox.targetEnvironmentFor('UG')).toBe('sandbox');
  });

  it('sends the market’s own target environment in production mode', () => {
    expect(['UG', 'CI', 'GN'].map((c) => production.targetEnvironmentFor(c))).toEqual([
      'mtnuganda',
      'mtnivorycoast',
      'mtnguineaconakry',
    ]);
  });

  it('sends MTN_MOMO_TARGET_ENVIRONMENT for every market when it is set', () => {
    const pinned = service({
      MTN_MOMO_ENVIRONMENT: 'production',
      MTN_MOMO_TARGET_ENVIRONMENT: 'mtnghana',
    });
    expect(pinned.targetEnvironmentFor('UG')).toBe('mtnghana');
  });

  it('sends EUR to MTN in sandbox mode', () => {
    expect(sandbox.mtnCurrencyFor('UG')).toBe('EUR');
  });

  it('sends the market’s currency to MTN in production mode', () => {
    expect(production.mtnCurrencyFor('UG')).toBe('UGX');
  });

  it('refuses an unsupported country', () => {
    expect(errorOf(() => production.mtnCurrencyFor('KE')).code).toBe('UNSUPPORTED_COUNTRY');
  });
});

describe('countries and numbers', () => {
  it('lists the 11 markets', () => {
    expect(sandbox.supportedCountries().map((r) => r.code)).toHaveLength(11);
  });

  it('gives a market’s rules', () => {
    expect(sandbox.rulesFor('GH').currency).toBe('GHS');
  });

  it('finds the country of an MSISDN', () => {
    expect(sandbox.countryOf('250788123456')).toBe('RW');
  });

  it('normalises a national number for the given country', () => {
    expect(sandbox.normaliseMsisdn('0774 123 456', 'UG')).toEqual({
      msisdn: '256774123456',
      country: 'UG',
    });
  });

  it('accepts MTN’s sandbox test numbers in sandbox mode', () => {
    expect(sandbox.normaliseMsisdn('46733123451', 'GH').country).toBe('GH');
  });

  it('refuses MTN’s sandbox test numbers in production mode', () => {
    expect(errorOf(() => production.normaliseMsisdn('46733123451', 'GH')).code).toBe(
      'INVALID_PHONE_NUMBER',
    );
  });

  it('names the caller’s field in a phone number error', () => {
    expect(
      errorOf(() => sandbox.normaliseMsisdn('12', undefined, { field: 'payer.partyId' }))
        .details?.[0]?.field,
    ).toBe('payer.partyId');
  });
});
