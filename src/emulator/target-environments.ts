/**
 * The values MTN accepts in `X-Target-Environment` and the one currency each takes. `sandbox`
 * takes EUR only, exactly as MTN's sandbox does; the country values let an API user emulate a
 * production market (a Ugandan user pays in UGX). Literal `production` is not a target
 * environment at MTN and is refused like any unknown value.
 */
const CURRENCY_BY_ENVIRONMENT: ReadonlyMap<string, string> = new Map([
  ['sandbox', 'EUR'],
  ['mtnuganda', 'UGX'],
  ['mtnghana', 'GHS'],
  ['mtnrwanda', 'RWF'],
  ['mtnzambia', 'ZMW'],
  ['mtnnigeria', 'NGN'],
  ['mtnbenin', 'XOF'],
  ['mtncameroon', 'XAF'],
  ['mtncongo', 'XAF'],
  ['mtnivorycoast', 'XOF'],
  ['mtnguineabissau', 'XOF'],
  ['mtnguineaconakry', 'GNF'],
  ['mtnswaziland', 'SZL'],
  ['mtnsouthafrica', 'ZAR'],
  ['mtnliberia', 'LRD'],
]);

export function currencyOf(targetEnvironment: string): string | undefined {
  return CURRENCY_BY_ENVIRONMENT.get(targetEnvironment);
}

export function targetEnvironments(): Record<string, string> {
  return Object.fromEntries(CURRENCY_BY_ENVIRONMENT);
}
