import {
  AllowedHostsError,
  isHostAllowed,
  parseAllowedHosts,
  parseHostPattern,
  urlHost,
} from './allowed-hosts';

/** Whether each URL is allowed by the setting `value`. */
function allows(value: string, urls: string[]): boolean[] {
  const allowed = parseAllowedHosts(value);
  return urls.map((url) => isHostAllowed(allowed, url));
}

describe('NOTIFICATIONS_ALLOWED_HOSTS patterns', () => {
  it('allows any host when unset or blank', () => {
    expect(parseAllowedHosts(undefined)).toBeNull();
    expect(parseAllowedHosts('')).toBeNull();
    expect(parseAllowedHosts('  ')).toBeNull();
    expect(isHostAllowed(null, 'http://169.254.169.254/latest/meta-data')).toBe(true);
  });

  it('normalises patterns: trimmed, lower case, no trailing dot, duplicates dropped', () => {
    expect(parseAllowedHosts(' Billing.Internal. ,*.Corp.Example.com, billing.internal')).toEqual([
      'billing.internal',
      '*.corp.example.com',
    ]);
  });

  it('matches an exact host name, and nothing above or below it', () => {
    expect(
      allows('billing.internal', [
        'https://billing.internal/hooks',
        'http://billing.internal/',
        'https://a.billing.internal/',
        'https://internal/',
        'https://billing.internal.evil.com/',
        'https://evilbilling.internal/',
      ]),
    ).toEqual([true, true, false, false, false, false]);
  });

  it('matches every host below a wildcard, at any depth, but not the domain itself', () => {
    expect(
      allows('*.corp.example.com', [
        'https://a.corp.example.com/',
        'https://x.y.corp.example.com/',
        'https://corp.example.com/',
        'https://evilcorp.example.com/',
        'https://a.corp.example.com.evil.com/',
        'https://.corp.example.com/',
      ]),
    ).toEqual([true, true, false, false, false, false]);
  });

  it('ignores case on both sides', () => {
    expect(allows('BILLING.internal', ['https://billing.INTERNAL/x'])).toEqual([true]);
    expect(allows('*.Corp.Example.COM', ['https://A.CORP.example.com/'])).toEqual([true]);
  });

  it('ignores a trailing dot on both sides', () => {
    expect(allows('billing.internal', ['https://billing.internal./x'])).toEqual([true]);
    expect(allows('billing.internal.', ['https://billing.internal/x'])).toEqual([true]);
    expect(allows('*.corp.example.com.', ['https://a.corp.example.com./'])).toEqual([true]);
  });

  it('ignores the port of the URL', () => {
    expect(
      allows('billing.internal,[::1]', [
        'https://billing.internal:8443/x',
        'http://billing.internal:80/x',
        'http://[::1]:9000/x',
      ]),
    ).toEqual([true, true, true]);
  });

  it('matches IPv4 literals, however the URL spells the address', () => {
    expect(
      allows('127.0.0.1,10.20.0.5', [
        'http://127.0.0.1:8080/x',
        'http://10.20.0.5/x',
        // WHATWG URL (and so fetch) reads all of these as 127.0.0.1.
        'http://2130706433/x',
        'http://0x7f.0.0.1/x',
        'http://127.1/x',
        'http://127.0.0.2/x',
        'http://10.20.0.50/x',
        'http://localhost/x',
      ]),
    ).toEqual([true, true, true, true, true, false, false, false]);
  });

  it('matches IPv6 literals written in brackets, in any spelling of the address', () => {
    expect(parseHostPattern('[0:0:0:0:0:0:0:1]')).toBe('[::1]');
    expect(parseHostPattern('[FD00::5]')).toBe('[fd00::5]');
    expect(
      allows('[::1],[fd00::5]', [
        'http://[::1]/x',
        'http://[0::1]:8080/x',
        'http://[fd00:0::5]/x',
        'http://[fd00::6]/x',
        // Same machine as 127.0.0.1, but another address: not allowed by `[::1]`.
        'http://127.0.0.1/x',
        'http://[::ffff:127.0.0.1]/x',
      ]),
    ).toEqual([true, true, true, false, false, false]);
  });

  it('reads the host the way fetch does, not the way the URL looks', () => {
    expect(urlHost('http://billing.internal@evil.com/')).toBe('evil.com');
    expect(urlHost('http://evil.com\\@billing.internal/')).toBe('evil.com');
    expect(allows('billing.internal', ['http://billing.internal@evil.com/'])).toEqual([false]);
    expect(allows('xn--bcher-kva.example', ['https://bücher.example/'])).toEqual([true]);
    expect(allows('bücher.example', ['https://xn--bcher-kva.example/'])).toEqual([true]);
  });

  it('refuses a URL it cannot parse', () => {
    expect(allows('billing.internal', ['not a url', ''])).toEqual([false, false]);
  });

  it.each([
    ['a*b', /'\*' is only allowed as a leading '\*\.'/],
    ['*', /'\*' is only allowed/],
    ['*.', /no host name/],
    ['*..', /no host name/],
    ['**.example.com', /'\*' is only allowed/],
    ['*.*.example.com', /'\*' is only allowed/],
    ['a.com,,b.com', /empty item/],
    ['a.com,', /empty item/],
    [' , a.com', /empty item/],
    ['https://billing.internal', /not a URL/],
    ['billing.internal/hooks', /not a URL/],
    ['bill ing.internal', /not a URL/],
    ['billing.internal:8443', /no port/],
    ['[::1]:8443', /no port/],
    ['::1', /IPv6 address is written in brackets/],
    ['fd00::5', /IPv6 address is written in brackets/],
    ['[::1', /not a host name or IP address/],
    ['*.10.0.0.1', /not IP addresses/],
    ['*.[::1]', /not IP addresses/],
    ['0x7f.0.0.1', /four decimal numbers/],
    ['127.1', /four decimal numbers/],
    ['999.1.1.1', /not a host name or IP address/],
    ['a..b', /not a host name or IP address/],
    ['-billing.internal', /not a host name or IP address/],
    [`${'a'.repeat(64)}.example.com`, /not a host name or IP address/],
  ])('refuses the malformed setting %j', (value, reason) => {
    expect(() => parseAllowedHosts(value)).toThrow(AllowedHostsError);
    expect(() => parseAllowedHosts(value)).toThrow(reason);
  });

  it('names the bad item in its message', () => {
    expect(() => parseAllowedHosts('billing.internal, a*b')).toThrow('"a*b": ');
  });
});
