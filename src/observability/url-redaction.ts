/**
 * Paths as they may go into a span: phone numbers (a path segment of 6 to 15 digits, as in
 * `/account-holders/256774123456` or MTN's `/accountholder/msisdn/256774123456/active`) and the
 * secret token at the end of a callback URL are replaced, so traces hold no personal data and
 * nothing that would let anyone send a callback.
 */
export function redactPath(path: string): string {
  const [pathname = '', query] = splitQuery(path);
  let redacted = pathname.replace(/(^|\/)\+?\d{6,15}(?=\/|$)/g, '$1{msisdn}');
  if (redacted.startsWith('/v1/webhooks/')) redacted = redacted.replace(/\/[^/]+$/, '/{token}');
  return query === undefined ? redacted : `${redacted}?${query}`;
}

/** Query parameters whose values never go into a span (the SDK's own defaults included). */
export const REDACTED_QUERY_PARAMS = [
  'phoneNumber',
  'msisdn',
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
];

function splitQuery(path: string): [string, string | undefined] {
  const at = path.indexOf('?');
  return at < 0 ? [path, undefined] : [path.slice(0, at), path.slice(at + 1)];
}
