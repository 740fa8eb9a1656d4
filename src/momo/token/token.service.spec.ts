import { Logger } from '@nestjs/common';
import { loadConfig } from '../../config/app-config';
import type { TokenGrant } from '../client/mtn-status.mapper';
import { TokenService, type TokenOwner } from './token.service';

const owner: TokenOwner = {
  product: 'collection',
  baseUrl: 'https://mtn.example',
  apiUser: '0f3b7f5c-8a73-4a43-9a0e-2f2f4b1b9b11',
  subscriptionKey: 'sub-key',
  accountId: 'default',
};

function setup(marginSeconds = 60) {
  const clock = { now: jest.fn(() => 1_000_000) };
  const config = loadConfig({ MTN_MOMO_TOKEN_REFRESH_MARGIN_SECONDS: String(marginSeconds) });
  const service = new TokenService(config, clock);
  let issued = 0;
  const fetch = jest.fn((): Promise<TokenGrant> =>
    Promise.resolve({ accessToken: `token-${++issued}`, expiresInSeconds: 3600 }),
  );
  return { clock, service, fetch };
}

describe('TokenService', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('fetches a token on first use', async () => {
    const { service, fetch } = setup();
    await expect(service.get(owner, fetch)).resolves.toBe('token-1');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('reuses the cached token until the refresh margin', async () => {
    const { service, fetch, clock } = setup();
    await service.get(owner, fetch);
    clock.now.mockReturnValue(1_000_000 + (3600 - 61) * 1000);
    await expect(service.get(owner, fetch)).resolves.toBe('token-1');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('refreshes once the refresh margin before expiry is reached', async () => {
    const { service, fetch, clock } = setup();
    await service.get(owner, fetch);
    clock.now.mockReturnValue(1_000_000 + (3600 - 60) * 1000);
    await expect(service.get(owner, fetch)).resolves.toBe('token-2');
  });

  it('caps the margin at half the lifetime of a short-lived token', async () => {
    const { service, clock } = setup(60);
    const fetch = jest.fn(() => Promise.resolve({ accessToken: 'short', expiresInSeconds: 30 }));
    await service.get(owner, fetch);
    clock.now.mockReturnValue(1_000_000 + 14_000);
    await service.get(owner, fetch);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('makes one token request for many concurrent callers', async () => {
    const { service } = setup();
    let release: (grant: TokenGrant) => void = () => undefined;
    const fetch = jest.fn(() => new Promise<TokenGrant>((resolve) => (release = resolve)));
    const calls = Array.from({ length: 200 }, () => service.get(owner, fetch));
    release({ accessToken: 'shared', expiresInSeconds: 3600 });
    await expect(Promise.all(calls)).resolves.toEqual(Array(200).fill('shared'));
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('makes one token request for many concurrent callers during a refresh', async () => {
    const { service, fetch, clock } = setup();
    await service.get(owner, fetch);
    clock.now.mockReturnValue(1_000_000 + 3590 * 1000);
    const calls = await Promise.all(Array.from({ length: 200 }, () => service.get(owner, fetch)));
    expect(new Set(calls)).toEqual(new Set(['token-2']));
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('keeps separate tokens per product', async () => {
    const { service, fetch } = setup();
    await service.get(owner, fetch);
    await expect(service.get({ ...owner, product: 'disbursement' }, fetch)).resolves.toBe(
      'token-2',
    );
  });

  it('keeps separate tokens per credential set', async () => {
    const { service, fetch } = setup();
    await service.get(owner, fetch);
    await expect(service.get({ ...owner, subscriptionKey: 'other-key' }, fetch)).resolves.toBe(
      'token-2',
    );
  });

  it('drops a refused token so the next call fetches another', async () => {
    const { service, fetch } = setup();
    await service.get(owner, fetch);
    service.invalidate(owner, 'token-1');
    await expect(service.get(owner, fetch)).resolves.toBe('token-2');
  });

  it('keeps a newer token when an older one is reported refused', async () => {
    const { service, fetch } = setup();
    await service.get(owner, fetch);
    service.invalidate(owner, 'token-1');
    await service.get(owner, fetch);
    service.invalidate(owner, 'token-1');
    await expect(service.get(owner, fetch)).resolves.toBe('token-2');
  });

  it('keeps using the current token when an early refresh fails', async () => {
    const { service, fetch, clock } = setup();
    await service.get(owner, fetch);
    clock.now.mockReturnValue(1_000_000 + 3590 * 1000);
    fetch.mockRejectedValueOnce(new Error('MTN down'));
    await expect(service.get(owner, fetch)).resolves.toBe('token-1');
  });

  it('fails when the refresh fails and the token has expired', async () => {
    const { service, fetch, clock } = setup();
    await service.get(owner, fetch);
    clock.now.mockReturnValue(1_000_000 + 3600 * 1000);
    fetch.mockRejectedValueOnce(new Error('MTN down'));
    await expect(service.get(owner, fetch)).rejects.toThrow('MTN down');
  });

  it('counts refreshes, failures and invalidations', async () => {
    const { service, fetch } = setup();
    await service.get(owner, fetch);
    service.invalidate(owner, 'token-1');
    fetch.mockRejectedValueOnce(new Error('MTN down'));
    await service.get(owner, fetch).catch(() => undefined);
    expect(service.getCounters()).toEqual({ refreshes: 1, failures: 1, invalidations: 1 });
  });
});
