import { DomainError } from './errors/domain-error';
import {
  CURRENCY_MINOR_UNITS,
  Money,
  canonicalAmount,
  fromMinorUnits,
  isCurrencyCode,
  minorUnitsOf,
  toMinorUnits,
} from './money';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('minor units', () => {
  it.each([
    ['UGX', 0],
    ['GHS', 2],
    ['RWF', 0],
    ['ZMW', 2],
    ['NGN', 2],
    ['XOF', 0],
    ['XAF', 0],
    ['GNF', 0],
    ['EUR', 2],
  ])('knows that %s has %i decimals', (currency, digits) => {
    expect(minorUnitsOf(currency)).toBe(digits);
  });

  it('refuses an unknown currency as a validation error on the currency field', () => {
    const err = errorOf(() => minorUnitsOf('UGS'));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details).toEqual([expect.objectContaining({ field: 'currency' })]);
  });

  it('does not treat inherited object keys as currencies', () => {
    expect(isCurrencyCode('toString')).toBe(false);
  });

  it('covers every currency in the table with 0 or 2 decimals, so sandbox EUR can carry them all', () => {
    expect(Object.values(CURRENCY_MINOR_UNITS).every((d) => d <= CURRENCY_MINOR_UNITS.EUR)).toBe(
      true,
    );
  });
});

describe('Money.parse', () => {
  it.each([
    ['1000', 'UGX', 1000n],
    ['0.05', 'GHS', 5n],
    ['12.5', 'GHS', 1250n],
    ['12.50', 'GHS', 1250n],
    ['999999999999999', 'UGX', 999999999999999n],
  ])('reads %s %s as %s minor units', (amount, currency, minor) => {
    expect(Money.parse(amount, currency).minor).toBe(minor);
  });

  it('accepts trailing zeros beyond the currency precision because the value is still exact', () => {
    expect(Money.parse('1000.00', 'UGX').minor).toBe(1000n);
  });

  it.each([
    '-5',
    '+5',
    '1e3',
    '1E3',
    ' 10',
    '10 ',
    '1 000',
    '1,000',
    '01',
    '00.5',
    '.5',
    '5.',
    '1.2.3',
    '',
    'abc',
    '0x10',
    '１２',
  ])('refuses the malformed amount %j', (amount) => {
    const err = errorOf(() => Money.parse(amount, 'GHS'));
    expect(err.code).toBe('INVALID_AMOUNT');
    expect(err.details).toEqual([
      { field: 'amount', message: expect.stringContaining('decimal string') },
    ]);
  });

  it('refuses a JSON number because floats are never money', () => {
    const err = errorOf(() => Money.parse(1000, 'UGX'));
    expect(err.code).toBe('INVALID_AMOUNT');
    expect(err.details?.[0]?.message).toContain('not a number');
  });

  it('refuses decimals on a currency without a minor unit', () => {
    const err = errorOf(() => Money.parse('1000.5', 'UGX'));
    expect(err.code).toBe('INVALID_AMOUNT');
    expect(err.details?.[0]?.message).toBe('UGX has no minor unit: the amount must be whole');
  });

  it('refuses more decimals than a two-decimal currency allows', () => {
    const err = errorOf(() => Money.parse('12.505', 'GHS'));
    expect(err.code).toBe('INVALID_AMOUNT');
    expect(err.details?.[0]?.message).toBe('GHS allows at most 2 decimals');
  });

  it('refuses zero by default', () => {
    const err = errorOf(() => Money.parse('0.00', 'GHS'));
    expect(err.details?.[0]?.message).toBe('must be greater than zero');
  });

  it('accepts zero when asked to', () => {
    expect(Money.parse('0', 'GHS', { allowZero: true }).isZero()).toBe(true);
  });

  it('refuses more than 15 digits before the point', () => {
    const err = errorOf(() => Money.parse('1000000000000000', 'UGX'));
    expect(err.code).toBe('INVALID_AMOUNT');
  });

  it('refuses an over-long input before parsing it', () => {
    const err = errorOf(() => Money.parse(`1.${'0'.repeat(40)}`, 'GHS'));
    expect(err.details?.[0]?.message).toBe('must be at most 40 characters');
  });

  it('names the field the caller gives in the error details', () => {
    const err = errorOf(() => Money.parse('x', 'GHS', { field: 'money.amount' }));
    expect(err.details?.[0]?.field).toBe('money.amount');
  });

  it('checks the currency before the amount', () => {
    expect(errorOf(() => Money.parse('x', 'ABC')).code).toBe('VALIDATION_FAILED');
  });
});

describe('canonical text', () => {
  it.each([
    ['1000', 'UGX', '1000'],
    ['1000.00', 'UGX', '1000'],
    ['1000', 'GHS', '1000'],
    ['1000.00', 'GHS', '1000'],
    ['12.5', 'GHS', '12.50'],
    ['12.50', 'GHS', '12.50'],
    ['12.500', 'GHS', '12.50'],
    ['0.05', 'EUR', '0.05'],
    ['0.1', 'ZMW', '0.10'],
  ])('writes %s %s as %s', (amount, currency, text) => {
    expect(canonicalAmount(amount, currency)).toBe(text);
  });

  it('writes a negative difference with a leading minus', () => {
    expect(Money.parse('1', 'GHS').minus(Money.parse('1.25', 'GHS')).toString()).toBe('-0.25');
  });

  it('serialises to JSON as the canonical string', () => {
    expect(JSON.stringify({ amount: Money.parse('12.5', 'GHS') })).toBe('{"amount":"12.50"}');
  });
});

describe('minor-unit conversion', () => {
  it('converts an amount to bigint minor units', () => {
    expect(toMinorUnits('12.34', 'NGN')).toBe(1234n);
  });

  it('converts minor units back to canonical text', () => {
    expect(fromMinorUnits(1234n, 'NGN')).toBe('12.34');
  });

  it('keeps whole-unit currencies unscaled', () => {
    expect(fromMinorUnits(5000n, 'XOF')).toBe('5000');
  });

  it('refuses minor units of an unknown currency', () => {
    expect(errorOf(() => Money.fromMinor(1n, 'XYZ')).code).toBe('VALIDATION_FAILED');
  });
});

describe('arithmetic and comparison', () => {
  const a = Money.parse('10.10', 'GHS');
  const b = Money.parse('0.20', 'GHS');

  it('adds exactly where floats would not', () => {
    expect(Money.parse('0.1', 'GHS').plus(Money.parse('0.2', 'GHS')).toString()).toBe('0.30');
  });

  it('subtracts exactly', () => {
    expect(a.minus(b).toString()).toBe('9.90');
  });

  it('multiplies by a whole factor', () => {
    expect(a.times(3n).toString()).toBe('30.30');
  });

  it.each([
    ['1', '2', -1],
    ['2', '2.00', 0],
    ['2.01', '2', 1],
  ])('compares %s with %s as %i', (x, y, result) => {
    expect(Money.parse(x, 'GHS').compare(Money.parse(y, 'GHS'))).toBe(result);
  });

  it('answers lessThan and greaterThan', () => {
    expect([b.lessThan(a), b.greaterThan(a)]).toEqual([true, false]);
  });

  it('treats equal values of different currencies as different', () => {
    expect(Money.parse('5', 'XOF').equals(Money.parse('5', 'XAF'))).toBe(false);
  });

  it('reports a negative result', () => {
    expect(b.minus(a).isNegative()).toBe(true);
  });

  it('refuses to add different currencies', () => {
    expect(errorOf(() => Money.parse('5', 'XOF').plus(Money.parse('5', 'XAF'))).code).toBe(
      'CURRENCY_MISMATCH',
    );
  });

  it('refuses to compare different currencies', () => {
    expect(errorOf(() => Money.parse('5', 'XOF').compare(Money.zero('XAF'))).code).toBe(
      'CURRENCY_MISMATCH',
    );
  });
});
