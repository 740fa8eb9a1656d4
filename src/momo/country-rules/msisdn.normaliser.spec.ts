import 'reflect-metadata';
import { DomainError } from '../../common/errors/domain-error';
import { defaultCountryRules, parseCountryRules } from './country-rules.loader';
import { normaliseMsisdn, type NormaliseOptions } from './msisdn.normaliser';

const table = defaultCountryRules();

function normalise(
  input: unknown,
  options?: NormaliseOptions,
): { msisdn: string; country: string } {
  return normaliseMsisdn(input, table, options);
}

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('the guide’s sandbox test numbers', () => {
  it.each([
    ['256774123456', 'UG'],
    ['233244000000', 'GH'],
    ['250788123456', 'RW'],
    ['260964000000', 'ZM'],
  ])('%s is a valid %s number', (msisdn, country) => {
    expect(normalise(msisdn)).toEqual({ msisdn, country });
  });
});

describe('each market', () => {
  // One valid MTN-range mobile number per market, in MTN form, and its national form.
  it.each([
    ['UG', '256774123456', '0774123456'],
    ['GH', '233244000000', '0244000000'],
    ['RW', '250788123456', '0788123456'],
    ['ZM', '260964000000', '0964000000'],
    ['NG', '2348031234567', '08031234567'],
    ['BJ', '2290197000000', '0197000000'],
    ['CM', '237671234567', '671234567'],
    ['CG', '242061234567', '061234567'],
    ['CI', '2250707123456', '0707123456'],
    ['GW', '245955123456', '955123456'],
    ['GN', '224661234567', '661234567'],
  ])(
    '%s: reads %s in MTN form, with a plus, with 00, and as national %s',
    (country, msisdn, national) => {
      const forms = [msisdn, `+${msisdn}`, `00${msisdn}`, national];
      expect(forms.map((form) => normalise(form, { country }))).toEqual(
        forms.map(() => ({ msisdn, country })),
      );
    },
  );

  it.each([
    ['UG', '25677412345'],
    ['GH', '2332440000001'],
    ['RW', '25078812345'],
    ['ZM', '2609640000001'],
    ['NG', '234803123456'],
    ['BJ', '229019700000'],
    ['CM', '2376712345678'],
    ['CG', '24206123456'],
    ['CI', '225070712345'],
    ['GW', '2459551234567'],
    ['GN', '22466123456'],
  ])('%s: refuses %s for its length', (country, msisdn) => {
    const err = errorOf(() => normalise(msisdn));
    expect([err.code, err.details?.[0]?.message]).toEqual([
      'INVALID_PHONE_NUMBER',
      expect.stringContaining('digits after'),
    ]);
  });
});

describe('accepted spellings', () => {
  it('ignores spaces after a plus', () => {
    expect(normalise('+256 774 123 456').msisdn).toBe('256774123456');
  });

  it('ignores dashes, dots and brackets', () => {
    expect(normalise('+256 (774) 123-45.6').msisdn).toBe('256774123456');
  });

  it('trims surrounding white space', () => {
    expect(normalise('  256774123456\n').msisdn).toBe('256774123456');
  });

  it('drops a trunk zero written after the calling code', () => {
    expect(normalise('+256 0774 123456').msisdn).toBe('256774123456');
  });

  it('reads a national number without its trunk zero when the country is given', () => {
    expect(normalise('774123456', { country: 'UG' }).msisdn).toBe('256774123456');
  });
});

describe('refused numbers', () => {
  it('refuses a national number without a country', () => {
    const err = errorOf(() => normalise('0774123456'));
    expect([err.code, err.details?.[0]?.message]).toEqual([
      'INVALID_PHONE_NUMBER',
      expect.stringContaining('needs its country'),
    ]);
  });

  it('refuses a number outside the mobile ranges', () => {
    const err = errorOf(() => normalise('256414123456'));
    expect(err.details?.[0]?.message).toBe('is not a Uganda mobile number');
  });

  it('refuses an unallocated prefix', () => {
    expect(errorOf(() => normalise('256174123456')).code).toBe('INVALID_PHONE_NUMBER');
  });

  it('refuses a number of an unsupported country', () => {
    const err = errorOf(() => normalise('+254712345678'));
    expect([err.code, err.details?.[0]?.field]).toEqual(['UNSUPPORTED_COUNTRY', 'phoneNumber']);
  });

  it('refuses a calling code that does not exist', () => {
    const err = errorOf(() => normalise('999123456789'));
    expect([err.code, err.details?.[0]?.message]).toEqual([
      'INVALID_PHONE_NUMBER',
      'does not start with a known country calling code',
    ]);
  });

  it('refuses a number too short to hold a calling code', () => {
    expect(errorOf(() => normalise('+2')).details?.[0]?.message).toBe('is too short');
  });

  it('refuses a number of another market than the one given', () => {
    const err = errorOf(() => normalise('+233244000000', { country: 'UG' }));
    expect(err.details?.[0]?.message).toBe(
      'is a Ghana number (+233), but the country given is Uganda',
    );
  });

  it('refuses an unsupported country given with the number', () => {
    const err = errorOf(() => normalise('0712345678', { country: 'KE' }));
    expect([err.code, err.details?.[0]?.field]).toEqual(['UNSUPPORTED_COUNTRY', 'country']);
  });

  it.each(['256774123456 ext 1', 'tel:+256774123456', '+256+774123456', '256-77x-123456', ''])(
    'refuses the characters in %j',
    (input) => {
      expect(errorOf(() => normalise(input)).code).toBe('INVALID_PHONE_NUMBER');
    },
  );

  it('refuses a number that is not a string', () => {
    expect(errorOf(() => normalise(256774123456)).code).toBe('INVALID_PHONE_NUMBER');
  });

  it('names the field the caller gives', () => {
    expect(errorOf(() => normalise('x', { field: 'payee.partyId' })).details?.[0]?.field).toBe(
      'payee.partyId',
    );
  });
});

describe('rules-file switches', () => {
  it('refuses numbers of a disabled market', () => {
    const rules = parseCountryRules({ countries: { UG: { enabled: false } } }, 'test');
    expect(errorOf(() => normaliseMsisdn('256774123456', rules)).code).toBe('UNSUPPORTED_COUNTRY');
  });

  it('accepts a number outside the known ranges when the number-plan check is off', () => {
    const rules = parseCountryRules({ countries: { UG: { checkNumberPlan: false } } }, 'test');
    expect(normaliseMsisdn('256414123456', rules).msisdn).toBe('256414123456');
  });

  it('still checks the length when the number-plan check is off', () => {
    const rules = parseCountryRules({ countries: { UG: { checkNumberPlan: false } } }, 'test');
    expect(errorOf(() => normaliseMsisdn('2564141234567', rules)).code).toBe(
      'INVALID_PHONE_NUMBER',
    );
  });
});

describe('MTN sandbox test numbers', () => {
  it('are accepted in sandbox mode for the country given', () => {
    expect(normalise('46733123450', { country: 'UG', sandbox: true })).toEqual({
      msisdn: '46733123450',
      country: 'UG',
    });
  });

  it('are accepted with a plus in sandbox mode', () => {
    expect(normalise('+56733123453', { country: 'GH', sandbox: true }).msisdn).toBe('56733123453');
  });

  it('need the country in sandbox mode', () => {
    const err = errorOf(() => normalise('46733123450', { sandbox: true }));
    expect(err.details?.[0]?.message).toContain('sandbox test number');
  });

  it('are an unsupported country outside sandbox mode', () => {
    expect(errorOf(() => normalise('+46733123450', { country: 'UG' })).code).toBe(
      'UNSUPPORTED_COUNTRY',
    );
  });

  it('are an unsupported country outside sandbox mode when no country is given', () => {
    expect(errorOf(() => normalise('46733123450')).code).toBe('UNSUPPORTED_COUNTRY');
  });

  it('do not open the door to other Swedish numbers in sandbox mode', () => {
    expect(errorOf(() => normalise('46733123464', { country: 'UG', sandbox: true })).code).toBe(
      'INVALID_PHONE_NUMBER',
    );
  });
});
