const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** A non-negative decimal string PostgreSQL's numeric accepts as it is ("1000", "12.50"). */
export function isDecimal(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 40 && DECIMAL.test(value);
}

/** Leading zeros of the whole part and trailing zeros of the fraction removed: "0100.50" → "100.5". */
function normalise(value: string): string | undefined {
  const match = isDecimal(value) ? DECIMAL.exec(value) : null;
  if (!match) return undefined;
  const whole = (match[1] ?? '0').replace(/^0+(?=\d)/, '');
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/**
 * Equal by value, exactly (MTN writes "1000.00" for our "1000"), whatever the currency: MTN's
 * currency may be one our money table does not know. Anything that is not a plain decimal is
 * unequal to everything.
 */
export function sameDecimal(a: string, b: string): boolean {
  const x = normalise(a);
  return x !== undefined && x === normalise(b);
}
