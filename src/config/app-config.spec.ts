import { ConfigError, loadConfig } from './app-config';

const MTN = {
  MTN_MOMO_BASE_URL: 'https://sandbox.momodeveloper.mtn.com',
  MTN_MOMO_SUBSCRIPTION_KEY: 'sub-key',
  MTN_MOMO_API_USER: '0f0c2a3e-6a63-4a43-9d8b-6f2b1b7f3c11',
  MTN_MOMO_API_KEY: 'api-key',
};

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const c = loadConfig({});
    expect(c.http.port).toBe(3000);
    expect(c.database.url).toBeUndefined();
    expect(c.momo.environment).toBe('sandbox');
    expect(c.momo.targetEnvironment).toBe('sandbox');
    expect(c.momo.breaker).toEqual({ failureThreshold: 5, openSeconds: 60 });
    expect(c.momo.retry).toEqual({ maxAttempts: 3, baseDelayMs: 2000 });
    expect(c.momo.rateLimit.requestsPerMinute).toBe(600);
    expect(c.polling).toEqual({ enabled: true, intervalMs: 5000, maxAttempts: 12 });
    expect(c.callbacks).toEqual({ concurrency: 4, queueCapacity: 1000, drainTimeoutMs: 10000 });
  });

  it('keeps notifications 30 days by default; 0 keeps them forever; negative is refused', () => {
    expect(loadConfig({}).notifications.retentionDays).toBe(30);
    expect(loadConfig({ NOTIFICATIONS_RETENTION_DAYS: '0' }).notifications.retentionDays).toBe(0);
    expect(() => loadConfig({ NOTIFICATIONS_RETENTION_DAYS: '-1' })).toThrow(
      /NOTIFICATIONS_RETENTION_DAYS/,
    );
  });

  it('allows notifications to any host unless NOTIFICATIONS_ALLOWED_HOSTS is set', () => {
    expect(loadConfig({}).notifications.allowedHosts).toBeNull();
    expect(loadConfig({ NOTIFICATIONS_ALLOWED_HOSTS: '' }).notifications.allowedHosts).toBeNull();
    expect(
      loadConfig({ NOTIFICATIONS_ALLOWED_HOSTS: 'Billing.Internal, *.corp.example.com,[::1]' })
        .notifications.allowedHosts,
    ).toEqual(['billing.internal', '*.corp.example.com', '[::1]']);
  });

  it.each(['a*b', '*.', 'a.com,,b.com', 'a.com,', 'billing.internal:8443'])(
    'refuses the malformed NOTIFICATIONS_ALLOWED_HOSTS %j, naming the variable',
    (value) => {
      expect(() => loadConfig({ NOTIFICATIONS_ALLOWED_HOSTS: value })).toThrow(ConfigError);
      expect(() => loadConfig({ NOTIFICATIONS_ALLOWED_HOSTS: value })).toThrow(
        /^Invalid configuration: NOTIFICATIONS_ALLOWED_HOSTS: /,
      );
    },
  );

  it('names the variable when a value is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ MTN_MOMO_ENVIRONMENT: 'staging' })).toThrow(/MTN_MOMO_ENVIRONMENT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).http.port).toBe(3000);
  });

  it('uses the shared MTN credentials for every product unless a product overrides them', () => {
    const c = loadConfig({ ...MTN, MTN_MOMO_DISBURSEMENT_SUBSCRIPTION_KEY: 'disb-key' });
    expect(c.momo.credentials.collection?.subscriptionKey).toBe('sub-key');
    expect(c.momo.credentials.disbursement?.subscriptionKey).toBe('disb-key');
    expect(c.momo.credentials.remittance?.apiUser).toBe(MTN.MTN_MOMO_API_USER);
  });

  it('refuses incomplete credentials, naming what is missing', () => {
    expect(() => loadConfig({ MTN_MOMO_BASE_URL: MTN.MTN_MOMO_BASE_URL, MTN_MOMO_SUBSCRIPTION_KEY: 'k' })).toThrow(
      /MTN_MOMO_COLLECTION_API_USER \(or MTN_MOMO_API_USER\)/,
    );
  });

  it('refuses credentials without a base URL', () => {
    const { MTN_MOMO_BASE_URL: _omit, ...rest } = MTN;
    expect(() => loadConfig(rest)).toThrow(/MTN_MOMO_BASE_URL is required/);
  });

  it('refuses a non-UUID API user', () => {
    expect(() => loadConfig({ ...MTN, MTN_MOMO_API_USER: 'bob' })).toThrow(/MTN_MOMO_API_USER: must be a UUID/);
  });

  it('refuses the sandbox target environment in production', () => {
    expect(() => loadConfig({ ...MTN, MTN_MOMO_ENVIRONMENT: 'production', MTN_MOMO_TARGET_ENVIRONMENT: 'sandbox' })).toThrow(
      /MTN_MOMO_TARGET_ENVIRONMENT/,
    );
  });

  it('leaves the production target environment to the country when not set', () => {
    expect(loadConfig({ ...MTN, MTN_MOMO_ENVIRONMENT: 'production' }).momo.targetEnvironment).toBeUndefined();
  });

  it('builds the callback base URL from the port when unset and strips trailing slashes', () => {
    expect(loadConfig({ PORT: '8080' }).momo.callbackBaseUrl).toBe('http://localhost:8080');
    expect(loadConfig({ MTN_MOMO_CALLBACK_BASE_URL: 'https://pay.example.com/' }).momo.callbackBaseUrl).toBe('https://pay.example.com');
  });
});
