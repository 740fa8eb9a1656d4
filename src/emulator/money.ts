/**
 * Exact money: amounts travel as decimal strings and are held as BigInt counts of 1/10000 of a
 * major unit. Four decimals is the widest precision seen in MoMo amount patterns; a fifth
 * decimal is refused rather than rounded, because rounding would create or destroy money.
 */
const SCALE_DIGITS = 4;
const SCALE = 10n ** BigInt(SCALE_DIGITS);
const AMOUNT_PATTERN = /^(0|[1-9]\d{0,17})(?:\.(\d{1,4}))?$/;

/** Units of a non-negative decimal string, or undefined if it is not one. */
export function parseAmount(text: string): bigint | undefined {
  const match = AMOUNT_PATTERN.exec(text);
  if (!match) return undefined;
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').padEnd(SCALE_DIGITS, '0');
  return BigInt(whole) * SCALE + BigInt(fraction);
}

/** Canonical decimal text: no trailing fractional zeros, no trailing dot. */
export function formatUnits(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / SCALE;
  const fraction = (abs % SCALE).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole.toString()}${fraction ? `.${fraction}` : ''}`;
}
