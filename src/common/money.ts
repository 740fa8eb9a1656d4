import { DomainError } from './errors/domain-error';

/**
 * ISO 4217 minor units of the currencies the gateway handles: the 11 markets' currencies, EUR
 * (the only currency MTN's sandbox takes) and USD. A currency outside this table is refused, so a
 * typo such as `UGS` can never be treated as a currency with some guessed precision.
 */
export const CURRENCY_MINOR_UNITS = {
  EUR: 2,
  GHS: 2,
  GNF: 0,
  NGN: 2,
  RWF: 0,
  UGX: 0,
  USD: 2,
  XAF: 0,
  XOF: 0,
  ZMW: 2,
} as const satisfies Record<string, number>;

export type CurrencyCode = keyof typeof CURRENCY_MINOR_UNITS;

export const CURRENCY_CODES = Object.keys(CURRENCY_MINOR_UNITS) as CurrencyCode[];

/** The largest whole part accepted: 15 digits keeps every minor-unit total inside a PostgreSQL bigint. */
const MAX_INTEGER_DIGITS = 15;
/** Inputs longer than this are refused before any parsing, whatever they contain. */
const MAX_INPUT_LENGTH = 40;
const DECIMAL = /^(0|[1-9]\d*)(?:\.(\d+))?$/;

export function isCurrencyCode(value: unknown): value is CurrencyCode {
  return (
    typeof value === 'string' && Object.prototype.hasOwnProperty.call(CURRENCY_MINOR_UNITS, value)
  );
}

/** Digits after the decimal point in the currency's minor unit (UGX 0, GHS 2). */
export function minorUnitsOf(currency: string, field = 'currency'): number {
  if (!isCurrencyCode(currency)) {
    throw new DomainError('VALIDATION_FAILED', `Unsupported currency ${JSON.stringify(currency)}`, {
      details: [{ field, message: `must be one of ${CURRENCY_CODES.join(', ')}` }],
    });
  }
  return CURRENCY_MINOR_UNITS[currency];
}

export interface ParseAmountOptions {
  /** The request field named in the error details; `amount` unless told. */
  field?: string;
  /** Zero is refused unless allowed: no payment moves nothing. */
  allowZero?: boolean;
}

function invalidAmount(field: string, message: string): DomainError {
  return new DomainError('INVALID_AMOUNT', `Invalid ${field}: ${message}`, {
    details: [{ field, message }],
  });
}

/**
 * An exact amount of one currency, held as a bigint count of minor units (cents, or whole units
 * for currencies without a minor unit). Never a float.
 *
 * Canonical text (`toString`): a whole amount has no decimal point; any other amount has exactly
 * the currency's number of decimals. So UGX `1000` → `"1000"`, GHS `1000.00` → `"1000"`, GHS
 * `12.5` → `"12.50"`, GHS `0.05` → `"0.05"`. This matches how MTN writes amounts (`"100"`,
 * `"12.50"`) and is a function of the value alone, so equal amounts always print the same.
 */
export class Money {
  private constructor(
    readonly currency: CurrencyCode,
    /** Signed: a difference may be negative; parsed amounts never are. */
    readonly minor: bigint,
  ) {}

  /**
   * Parses a decimal string strictly: digits, at most one point, no sign, exponent, spaces or
   * thousands separators, no leading zeros. Precision is judged on the value, not on how it is
   * written: GHS `"12.500"` and UGX `"1000.00"` are exact and accepted (MTN itself writes UGX
   * amounts as `"1000.00"`), while GHS `"12.505"` and UGX `"1000.5"` are refused.
   */
  static parse(amount: unknown, currency: string, options: ParseAmountOptions = {}): Money {
    const field = options.field ?? 'amount';
    const digits = minorUnitsOf(currency);
    if (typeof amount !== 'string') {
      throw invalidAmount(
        field,
        'must be a decimal string such as "1000" or "12.50", not a number',
      );
    }
    if (amount.length > MAX_INPUT_LENGTH) {
      throw invalidAmount(field, `must be at most ${MAX_INPUT_LENGTH} characters`);
    }
    const match = DECIMAL.exec(amount);
    if (!match) {
      throw invalidAmount(
        field,
        'must be a decimal string such as "1000" or "12.50" (digits and one point only: no sign, exponent, spaces or leading zeros)',
      );
    }
    const whole = match[1] ?? '0';
    const written = match[2] ?? '';
    if (whole.length > MAX_INTEGER_DIGITS) {
      throw invalidAmount(
        field,
        `must have at most ${MAX_INTEGER_DIGITS} digits before the decimal point`,
      );
    }
    const significant = written.replace(/0+$/, '');
    if (significant.length > digits) {
      throw invalidAmount(
        field,
        digits === 0
          ? `${currency} has no minor unit: the amount must be whole`
          : `${currency} allows at most ${digits} decimal${digits === 1 ? '' : 's'}`,
      );
    }
    const minor = BigInt(whole + significant.padEnd(digits, '0'));
    if (minor === 0n && options.allowZero !== true) {
      throw invalidAmount(field, 'must be greater than zero');
    }
    return new Money(currency as CurrencyCode, minor);
  }

  static fromMinor(minor: bigint, currency: string): Money {
    minorUnitsOf(currency);
    return new Money(currency as CurrencyCode, minor);
  }

  static zero(currency: string): Money {
    return Money.fromMinor(0n, currency);
  }

  get minorUnits(): number {
    return CURRENCY_MINOR_UNITS[this.currency];
  }

  plus(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(this.currency, this.minor + other.minor);
  }

  minus(other: Money): Money {
    this.assertSameCurrency(other);
    return new Money(this.currency, this.minor - other.minor);
  }

  /** Multiplies by a whole factor (e.g. a KYC tier multiplier); fractions would need rounding rules. */
  times(factor: bigint): Money {
    return new Money(this.currency, this.minor * factor);
  }

  compare(other: Money): -1 | 0 | 1 {
    this.assertSameCurrency(other);
    return this.minor < other.minor ? -1 : this.minor > other.minor ? 1 : 0;
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.minor === other.minor;
  }

  lessThan(other: Money): boolean {
    return this.compare(other) < 0;
  }

  greaterThan(other: Money): boolean {
    return this.compare(other) > 0;
  }

  isZero(): boolean {
    return this.minor === 0n;
  }

  isNegative(): boolean {
    return this.minor < 0n;
  }

  /** The canonical decimal string (see the class comment). */
  toString(): string {
    return formatMinor(this.minor, this.minorUnits);
  }

  toJSON(): string {
    return this.toString();
  }

  private assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency) {
      throw new DomainError(
        'CURRENCY_MISMATCH',
        `Cannot combine ${other.currency} with ${this.currency}`,
        {
          details: [
            { field: 'currency', message: `expected ${this.currency}, got ${other.currency}` },
          ],
        },
      );
    }
  }
}

function formatMinor(minor: bigint, digits: number): string {
  const sign = minor < 0n ? '-' : '';
  const abs = minor < 0n ? -minor : minor;
  if (digits === 0) return `${sign}${abs}`;
  const scale = 10n ** BigInt(digits);
  const whole = abs / scale;
  const fraction = abs % scale;
  if (fraction === 0n) return `${sign}${whole}`;
  return `${sign}${whole}.${fraction.toString().padStart(digits, '0')}`;
}

/** `Money.parse(...).toString()`: the canonical form of a caller's amount, or INVALID_AMOUNT. */
export function canonicalAmount(
  amount: unknown,
  currency: string,
  options?: ParseAmountOptions,
): string {
  return Money.parse(amount, currency, options).toString();
}

/** The amount as a bigint count of the currency's minor units. */
export function toMinorUnits(
  amount: unknown,
  currency: string,
  options?: ParseAmountOptions,
): bigint {
  return Money.parse(amount, currency, options).minor;
}

/** The canonical decimal string of a count of minor units. */
export function fromMinorUnits(minor: bigint, currency: string): string {
  return Money.fromMinor(minor, currency).toString();
}
