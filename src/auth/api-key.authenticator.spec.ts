import { Logger } from '@nestjs/common';
import { loadConfig, type AppConfig } from '../config/app-config';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import type { ApiKeyEntity } from './api-key.entity';
import { generateApiKey } from './api-key.format';
import type { ApiKeyStore } from './api-key.store';

function setup(options: { ttlSeconds?: number } = {}) {
  const generated = generateApiKey();
  const row: ApiKeyEntity = {
    id: '4c3a2a3e-6a63-4a43-9d8b-6f2b1b7f3c11',
    name: 'billing',
    prefix: generated.prefix,
    keyHash: generated.hash,
    scopes: ['collection:read'],
    rateLimitPerMinute: null,
    createdAt: new Date(0),
    revokedAt: null,
    lastUsedAt: null,
  };
  const store = {
    findByPrefix: jest.fn((prefix: string) =>
      Promise.resolve(prefix === row.prefix ? { ...row } : null),
    ),
    touch: jest.fn(() => Promise.resolve()),
  };
  const base = loadConfig({});
  const config: AppConfig = {
    ...base,
    auth: {
      ...base.auth,
      keyCacheTtlSeconds: options.ttlSeconds ?? 30,
      defaultRateLimitPerMinute: 1200,
    },
  };
  let now = 1_000_000;
  const clock = { now: () => now };
  const authenticator = new ApiKeyAuthenticator(store as unknown as ApiKeyStore, config, clock);
  return { authenticator, store, row, key: generated.key, advance: (ms: number) => (now += ms) };
}

describe('ApiKeyAuthenticator', () => {
  it('knows a valid key by its prefix and hash, with the default limit when it has none', async () => {
    const { authenticator, key, row } = setup();
    await expect(authenticator.authenticate(key)).resolves.toEqual({
      ok: true,
      key: {
        id: row.id,
        name: 'billing',
        prefix: `mgw_${row.prefix}`,
        scopes: ['collection:read'],
        rateLimitPerMinute: 1200,
      },
    });
  });

  it("uses the key's own limit when it has one", async () => {
    const { authenticator, key, row } = setup();
    row.rateLimitPerMinute = 60;
    await expect(authenticator.authenticate(key)).resolves.toMatchObject({
      ok: true,
      key: { rateLimitPerMinute: 60 },
    });
  });

  it('refuses a malformed key without a lookup', async () => {
    const { authenticator, store } = setup();
    await expect(authenticator.authenticate('not-a-key')).resolves.toEqual({
      ok: false,
      reason: 'unknown',
    });
    expect(store.findByPrefix).not.toHaveBeenCalled();
  });

  it('refuses a key whose prefix exists but whose secret differs', async () => {
    const { authenticator, key } = setup();
    const forged = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await expect(authenticator.authenticate(forged)).resolves.toEqual({
      ok: false,
      reason: 'unknown',
    });
  });

  it('says a revoked key is revoked', async () => {
    const { authenticator, key, row } = setup();
    row.revokedAt = new Date();
    await expect(authenticator.authenticate(key)).resolves.toEqual({
      ok: false,
      reason: 'revoked',
    });
  });

  it('remembers a key for the cache time, so a revocation takes effect when it runs out', async () => {
    const { authenticator, key, row, store, advance } = setup({ ttlSeconds: 30 });
    await expect(authenticator.authenticate(key)).resolves.toMatchObject({ ok: true });
    row.revokedAt = new Date();
    advance(29_999);
    await expect(authenticator.authenticate(key)).resolves.toMatchObject({ ok: true });
    expect(store.findByPrefix).toHaveBeenCalledTimes(1);
    advance(1);
    await expect(authenticator.authenticate(key)).resolves.toEqual({
      ok: false,
      reason: 'revoked',
    });
    expect(store.findByPrefix).toHaveBeenCalledTimes(2);
  });

  it('reads the database on every request when the cache time is 0', async () => {
    const { authenticator, key, row, store } = setup({ ttlSeconds: 0 });
    await authenticator.authenticate(key);
    row.revokedAt = new Date();
    await expect(authenticator.authenticate(key)).resolves.toEqual({
      ok: false,
      reason: 'revoked',
    });
    expect(store.findByPrefix).toHaveBeenCalledTimes(2);
  });

  it('shares one lookup between concurrent requests with the same key', async () => {
    const { authenticator, key, store } = setup();
    const outcomes = await Promise.all([
      authenticator.authenticate(key),
      authenticator.authenticate(key),
      authenticator.authenticate(key),
    ]);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(store.findByPrefix).toHaveBeenCalledTimes(1);
  });

  it('does not remember a lookup that failed', async () => {
    const { authenticator, key, store } = setup();
    store.findByPrefix.mockRejectedValueOnce(new Error('connect ECONNREFUSED'));
    await expect(authenticator.authenticate(key)).rejects.toThrow('ECONNREFUSED');
    await expect(authenticator.authenticate(key)).resolves.toMatchObject({ ok: true });
  });

  it('records use at most once a minute per key', async () => {
    const { authenticator, key, row, store, advance } = setup({ ttlSeconds: 0 });
    await authenticator.authenticate(key);
    advance(59_999);
    await authenticator.authenticate(key);
    expect(store.touch).toHaveBeenCalledTimes(1);
    expect(store.touch).toHaveBeenCalledWith(row.id, 60);
    advance(1);
    await authenticator.authenticate(key);
    expect(store.touch).toHaveBeenCalledTimes(2);
  });

  it('still lets the request through when recording use fails', async () => {
    const { authenticator, key, store } = setup();
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    store.touch.mockRejectedValueOnce(new Error('deadlock'));
    await expect(authenticator.authenticate(key)).resolves.toMatchObject({ ok: true });
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ err: 'deadlock' }),
      'could not record API key use',
    );
    warn.mockRestore();
  });

  it('never records use of an unknown or revoked key', async () => {
    const { authenticator, key, row, store } = setup({ ttlSeconds: 0 });
    row.revokedAt = new Date();
    await authenticator.authenticate(key);
    await authenticator.authenticate('mgw_zzzzzzzz_' + 'A'.repeat(43));
    expect(store.touch).not.toHaveBeenCalled();
  });
});
