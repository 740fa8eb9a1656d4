import 'reflect-metadata';
import { DomainError } from '../../common/errors/domain-error';
import { ConfigError } from '../../config/app-config';
import { COUNTRY_CODES } from './countries';
import {
  defaultCountryRules,
  loadCountryRules,
  parseCountryRules,
  parseCountryRulesText,
  requireCountry,
  rulesFormatOf,
  type AmountLimits,
} from './country-rules.loader';

function figures(limits: AmountLimits): [string, string, string] {
  return [limits.min.toString(), limits.max.toString(), limits.daily.toString()];
}

function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('built-in rules', () => {
  const rules = defaultCountryRules();

  it.each([
    ['UG', '1000', '4000000', '10000000'],
    ['GH', '1', '10000', '50000'],
    ['RW', '100', '5000000', '10000000'],
    ['ZM', '1', '1000000', '5000000'],
    ['NG', '1', '1000000', '5000000'],
    ['BJ', '1', '1000000', '5000000'],
    ['CM', '1', '1000000', '5000000'],
    ['CG', '1', '1000000', '5000000'],
    ['CI', '1', '1000000', '5000000'],
    ['GW', '1', '1000000', '5000000'],
    ['GN', '1', '1000000', '5000000'],
  ] as const)('gives %s basic limits min %s, max %s, daily %s', (code, min, max, daily) => {
    expect(figures(rules[code].limits.basic.collection)).toEqual([min, max, daily]);
  });

  it('doubles the basic maximum and daily limit for the standard tier and keeps the minimum', () => {
    expect(figures(rules.UG.limits.standard.collection)).toEqual(['1000', '8000000', '20000000']);
  });

  it('multiplies the basic maximum and daily limit by five for the full tier', () => {
    expect(figures(rules.GH.limits.full.disbursement)).toEqual(['1', '50000', '250000']);
  });

  it('enables every country and checks every number plan', () => {
    expect(COUNTRY_CODES.every((c) => rules[c].enabled && rules[c].checkNumberPlan)).toBe(true);
  });

  it('carries each currency’s minor units', () => {
    expect([rules.UG.minorUnits, rules.GH.minorUnits]).toEqual([0, 2]);
  });
});

describe('overrides', () => {
  it('replaces a target environment', () => {
    const rules = parseCountryRules({ countries: { RW: { targetEnvironment: 'mtnrw' } } }, 'test');
    expect(rules.RW.targetEnvironment).toBe('mtnrw');
  });

  it('disables a country', () => {
    expect(parseCountryRules({ countries: { GW: { enabled: false } } }, 'test').GW.enabled).toBe(
      false,
    );
  });

  it('turns off the number-plan check of a country', () => {
    expect(
      parseCountryRules({ countries: { NG: { checkNumberPlan: false } } }, 'test').NG
        .checkNumberPlan,
    ).toBe(false);
  });

  it('replaces one basic figure and keeps the others', () => {
    const rules = parseCountryRules(
      { countries: { UG: { limits: { basic: { max: 5000000 } } } } },
      'test',
    );
    expect(figures(rules.UG.limits.basic.remittance)).toEqual(['1000', '5000000', '10000000']);
  });

  it('derives the higher tiers from an overridden basic tier', () => {
    const rules = parseCountryRules(
      { countries: { UG: { limits: { basic: { daily: '12000000' } } } } },
      'test',
    );
    expect(rules.UG.limits.full.collection.daily.toString()).toBe('60000000');
  });

  it('takes explicit figures for a higher tier instead of the multiplier', () => {
    const rules = parseCountryRules(
      { countries: { GH: { limits: { standard: { max: '15000' } } } } },
      'test',
    );
    expect(figures(rules.GH.limits.standard.collection)).toEqual(['1', '15000', '100000']);
  });

  it('applies product limits to that product only', () => {
    const rules = parseCountryRules(
      { countries: { GH: { productLimits: { disbursement: { basic: { max: '5000.50' } } } } } },
      'test',
    );
    expect([
      rules.GH.limits.basic.disbursement.max.toString(),
      rules.GH.limits.basic.collection.max.toString(),
    ]).toEqual(['5000.50', '10000']);
  });

  it('leaves the other tiers of a product alone when one tier is overridden', () => {
    const rules = parseCountryRules(
      { countries: { GH: { productLimits: { disbursement: { basic: { max: '5000' } } } } } },
      'test',
    );
    expect(rules.GH.limits.full.disbursement.max.toString()).toBe('50000');
  });

  it('accepts a document without countries', () => {
    expect(parseCountryRules({}, 'test').UG.targetEnvironment).toBe('mtnuganda');
  });

  it('reads JSON text', () => {
    const text = JSON.stringify({
      countries: { ZM: { targetEnvironment: 'mtnzambia2', limits: { basic: { max: '2000000' } } } },
    });
    const rules = parseCountryRulesText(text, 'json', 'rules.json');
    expect([rules.ZM.targetEnvironment, rules.ZM.limits.basic.collection.max.toString()]).toEqual([
      'mtnzambia2',
      '2000000',
    ]);
  });

  it('reads YAML text', () => {
    const text = [
      '# Ghana: higher limits agreed with MTN',
      'countries:',
      '  GH:',
      '    limits:',
      '      basic: { max: 20000, daily: "100000.00" }',
      '  GW:',
      '    enabled: false',
    ].join('\n');
    const rules = parseCountryRulesText(text, 'yaml', 'rules.yaml');
    expect([figures(rules.GH.limits.basic.collection), rules.GW.enabled]).toEqual([
      ['1', '20000', '100000'],
      false,
    ]);
  });
});

describe('a bad rules document', () => {
  it.each([
    [{ countries: { KE: {} } }, 'countries.KE: unknown key'],
    [{ country: {} }, '(file).country: unknown key'],
    [{ countries: { UG: { limit: {} } } }, 'countries.UG.limit: unknown key'],
    [{ countries: { UG: { limits: { gold: {} } } } }, 'countries.UG.limits.gold: unknown key'],
    [
      { countries: { UG: { limits: { basic: { maximum: 1 } } } } },
      'countries.UG.limits.basic.maximum: unknown key',
    ],
    [
      { countries: { UG: { productLimits: { refund: {} } } } },
      'countries.UG.productLimits.refund: unknown key',
    ],
    [
      { countries: { UG: { limits: { basic: { max: 12.5 } } } } },
      'countries.UG.limits.basic.max: must be a whole number or a quoted decimal string',
    ],
    [
      { countries: { UG: { limits: { basic: { max: '12.5' } } } } },
      'countries.UG.limits.basic.max: UGX has no minor unit',
    ],
    [
      { countries: { GH: { limits: { basic: { min: '-1' } } } } },
      'countries.GH.limits.basic.min: must be a decimal string',
    ],
    [
      { countries: { GH: { limits: { basic: { min: 0 } } } } },
      'countries.GH.limits.basic.min: must be greater than zero',
    ],
    [
      { countries: { GH: { limits: { basic: { min: 20000 } } } } },
      'countries.GH (basic, collection): min 20000 is above max 10000',
    ],
    [
      { countries: { GH: { limits: { basic: { max: 60000 } } } } },
      'countries.GH (basic, collection): max 60000 is above daily 50000',
    ],
    [
      { countries: { UG: { targetEnvironment: 'MTN Uganda' } } },
      'countries.UG.targetEnvironment: must be lower-case letters and digits',
    ],
    [
      { countries: { UG: { targetEnvironment: 'sandbox' } } },
      "countries.UG.targetEnvironment: must be a market's value such as mtnuganda, not sandbox",
    ],
    [{ countries: { UG: { targetEnvironment: 'production' } } }, 'not production'],
    [{ countries: { UG: { enabled: 'no' } } }, 'countries.UG.enabled: must be true or false'],
    [
      { countries: { UG: { checkNumberPlan: 1 } } },
      'countries.UG.checkNumberPlan: must be true or false',
    ],
    [{ countries: [] }, 'countries: must be a mapping'],
    [{ countries: { UG: 'x' } }, 'countries.UG: must be a mapping'],
    [
      { countries: { UG: { productLimits: 'x' } } },
      'countries.UG.productLimits: must be a mapping',
    ],
    [['UG'], '(file): must be a mapping'],
  ])('is refused: %j', (document, expected) => {
    const err = configErrorOf(() => parseCountryRules(document, 'rules.json'));
    expect(err.message).toContain(expected);
  });

  it('names the file and every problem on one line', () => {
    const err = configErrorOf(() =>
      parseCountryRules(
        { countries: { UG: { enabled: 1, targetEnvironment: 'X' } } },
        'rules.yaml',
      ),
    );
    expect(err.message).toBe(
      'Invalid country rules file rules.yaml: countries.UG.enabled: must be true or false; countries.UG.targetEnvironment: must be lower-case letters and digits, such as mtnuganda',
    );
  });

  it('refuses malformed JSON in one line', () => {
    const err = configErrorOf(() => parseCountryRulesText('{ "countries": ', 'json', 'rules.json'));
    expect(err.message).toMatch(/^Invalid country rules file rules\.json: not valid JSON: [^\n]+$/);
  });

  it('refuses malformed YAML in one line', () => {
    const err = configErrorOf(() =>
      parseCountryRulesText('countries:\n  UG: [1, 2\n', 'yaml', 'rules.yaml'),
    );
    expect(err.message).toMatch(/^Invalid country rules file rules\.yaml: not valid YAML: [^\n]+$/);
  });

  it('refuses YAML with a duplicated key', () => {
    const err = configErrorOf(() =>
      parseCountryRulesText('countries:\n  UG: {}\n  UG: {}\n', 'yaml', 'rules.yaml'),
    );
    expect(err.message).toContain('not valid YAML');
  });

  it('refuses an empty file', () => {
    const err = configErrorOf(() => parseCountryRulesText('# nothing yet\n', 'yaml', 'rules.yaml'));
    expect(err.message).toBe('Invalid country rules file rules.yaml: the file is empty');
  });

  it('refuses a file name without a known extension before reading it', () => {
    const err = configErrorOf(() => loadCountryRules('rules.txt'));
    expect(err.message).toBe(
      'Invalid country rules file rules.txt: the name must end in .json, .yaml or .yml',
    );
  });
});

describe('rules file format', () => {
  it.each([
    ['rules.json', 'json'],
    ['RULES.JSON', 'json'],
    ['rules.yaml', 'yaml'],
    ['rules.yml', 'yaml'],
    ['rules', undefined],
  ])('of %s is %s', (file, format) => {
    expect(rulesFormatOf(file)).toBe(format);
  });

  it('falls back to the built-in rules when no file is configured', () => {
    expect(loadCountryRules(undefined).UG.targetEnvironment).toBe('mtnuganda');
  });
});

describe('requireCountry', () => {
  const rules = parseCountryRules({ countries: { GW: { enabled: false } } }, 'test');

  it('returns an enabled country’s rules', () => {
    expect(requireCountry(rules, 'UG').name).toBe('Uganda');
  });

  it.each(['KE', 'ug', undefined, 7])('refuses %j as an unsupported country', (value) => {
    expect(() => requireCountry(rules, value)).toThrow(DomainError);
  });

  it('refuses a disabled country and names the field', () => {
    let error: unknown;
    try {
      requireCountry(rules, 'GW', 'payee.country');
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({
      code: 'UNSUPPORTED_COUNTRY',
      details: [{ field: 'payee.country' }],
    });
  });

  it('lists only the enabled countries as the allowed ones', () => {
    let error: unknown;
    try {
      requireCountry(rules, 'KE');
    } catch (err) {
      error = err;
    }
    expect((error as DomainError).details?.[0]?.message).toBe(
      'must be one of UG, GH, RW, ZM, NG, BJ, CM, CG, CI, GN',
    );
  });
});
