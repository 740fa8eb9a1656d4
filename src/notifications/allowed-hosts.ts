import { isIPv4 } from 'node:net';

/**
 * NOTIFICATIONS_ALLOWED_HOSTS: the hosts notification endpoints may point at, so that an API key
 * holder cannot make the gateway call whatever its network reaches (docs/notifications.md).
 *
 * A pattern is one of:
 * - a host name, `billing.internal`: that host only;
 * - `*.` and a host name, `*.corp.example.com`: any host below it (`a.corp.example.com`,
 *   `x.y.corp.example.com`), not `corp.example.com` itself;
 * - an IPv4 address in dotted decimal, `10.20.0.5`;
 * - an IPv6 address in brackets, as it is written in a URL, `[fd00::5]`. Brackets are required:
 *   without them `::1` reads like a host and a port, and the URL's hostname has them anyway.
 *
 * Patterns carry no port and no scheme (any port of an allowed host is allowed). Hosts are
 * compared as WHATWG `URL` (the parser `fetch` itself uses) normalises them: lower case,
 * punycode for international names, IP addresses in their canonical form (`[0:0::1]` is `[::1]`);
 * a trailing dot is ignored on both sides.
 */

/**
 * Why a host is refused: the `url` detail of a refused registration, and the `lastError` of a
 * notification not sent.
 */
export const HOST_NOT_ALLOWED = 'host not in NOTIFICATIONS_ALLOWED_HOSTS';

/** A malformed NOTIFICATIONS_ALLOWED_HOSTS; the message says which item and why. */
export class AllowedHostsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AllowedHostsError';
  }
}

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const WILDCARD = '*.';

function withoutTrailingDot(host: string): string {
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/** The host part of a URL as patterns are compared with it; undefined for an unparsable URL. */
export function urlHost(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return withoutTrailingDot(parsed.hostname.toLowerCase()) || undefined;
}

/** One pattern in its normalised form (see above), or an AllowedHostsError naming it. */
export function parseHostPattern(item: string): string {
  const given = item.trim();
  const bad = (why: string) => new AllowedHostsError(`${JSON.stringify(given)}: ${why}`);
  if (given === '')
    throw new AllowedHostsError('empty item (two commas in a row, or a stray comma)');
  const wildcard = given.startsWith(WILDCARD);
  const rest = withoutTrailingDot(wildcard ? given.slice(WILDCARD.length) : given);
  if (rest === '') throw bad('no host name');
  if (rest.includes('*')) throw bad("'*' is only allowed as a leading '*.'");
  if (/[/?#@\\\s]/.test(rest)) throw bad('a host name, not a URL');
  if (!rest.startsWith('[') && rest.includes(':')) {
    throw bad(
      rest.indexOf(':') === rest.lastIndexOf(':')
        ? 'no port (any port of an allowed host is allowed)'
        : 'an IPv6 address is written in brackets, e.g. [::1]',
    );
  }
  let host: string;
  try {
    const parsed = new URL(`http://${rest}/`);
    if (parsed.port !== '') throw bad('no port (any port of an allowed host is allowed)');
    host = withoutTrailingDot(parsed.hostname);
  } catch (err) {
    if (err instanceof AllowedHostsError) throw err;
    throw bad('not a host name or IP address');
  }
  const ip = host.startsWith('[') || isIPv4(host);
  if (ip) {
    if (wildcard) throw bad("'*.' applies to host names, not IP addresses");
    if (isIPv4(host) && host !== rest) throw bad('write an IPv4 address as four decimal numbers');
    return host;
  }
  if (host.length > 253 || !host.split('.').every((label) => LABEL.test(label)))
    throw bad('not a host name or IP address');
  return wildcard ? `${WILDCARD}${host}` : host;
}

/**
 * The patterns of NOTIFICATIONS_ALLOWED_HOSTS, normalised; null when it is unset or blank, which
 * allows any host.
 */
export function parseAllowedHosts(value: string | undefined): string[] | null {
  if (value === undefined || value.trim() === '') return null;
  return [...new Set(value.split(',').map(parseHostPattern))];
}

/** Whether `url`'s host matches one of `allowed` (normalised patterns; null: any host). */
export function isHostAllowed(allowed: readonly string[] | null, url: string): boolean {
  if (allowed === null) return true;
  const host = urlHost(url);
  if (host === undefined) return false;
  return allowed.some((pattern) =>
    pattern.startsWith(WILDCARD)
      ? host.length > pattern.length - 1 && host.endsWith(pattern.slice(1))
      : host === pattern,
  );
}
