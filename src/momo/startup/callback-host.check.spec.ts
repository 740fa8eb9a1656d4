import { Logger } from '@nestjs/common';
import { loadConfig } from '../../config/app-config';
import { MomoAccount, MomoCredentialSet } from '../accounts/momo-account';
import type { MomoAccountsService } from '../accounts/momo-accounts.service';
import type { MomoClient } from '../client/momo-client';
import { mapTransportFailure } from '../client/mtn-error.mapper';
import { CallbackHostCheck } from './callback-host.check';

const USER = '6f1c2b7e-3f0a-4c1e-9a55-0d7f4a2b9e10';
const credentials = () =>
  new MomoCredentialSet({ subscriptionKey: 'k', apiUser: USER, apiKey: 'a' });

function setup(getApiUser: MomoClient['getApiUser'], env: Record<string, string> = {}) {
  const config = loadConfig({
    MTN_MOMO_CALLBACK_BASE_URL: 'https://gateway.example:8443/hooks',
    ...env,
  });
  const account = new MomoAccount('default', 'all', 'https://mtn.example', undefined, {
    collection: credentials(),
    disbursement: credentials(),
  });
  const accounts = { list: () => [account] } as unknown as MomoAccountsService;
  const client = { getApiUser: jest.fn(getApiUser) };
  const check = new CallbackHostCheck(config, accounts, client as unknown as MomoClient);
  return { check, client };
}

describe('CallbackHostCheck', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it("is quiet when the API user's callback host is ours", async () => {
    const { check } = setup(() => Promise.resolve({ providerCallbackHost: 'Gateway.Example' }));
    await expect(check.run()).resolves.toEqual([
      {
        accountId: 'default',
        product: 'collection',
        callbackHost: 'gateway.example',
        registeredHost: 'gateway.example',
        outcome: 'match',
      },
    ]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('accepts a registration that includes our port', async () => {
    const { check } = setup(() =>
      Promise.resolve({ providerCallbackHost: 'gateway.example:8443' }),
    );
    await expect(check.run()).resolves.toMatchObject([{ outcome: 'match' }]);
  });

  it('asks once per API user, not once per product', async () => {
    const { check, client } = setup(() =>
      Promise.resolve({ providerCallbackHost: 'gateway.example' }),
    );
    await check.run();
    expect(client.getApiUser).toHaveBeenCalledTimes(1);
  });

  it('warns plainly when the hosts differ', async () => {
    const { check } = setup(() => Promise.resolve({ providerCallbackHost: 'old.example' }));
    await expect(check.run()).resolves.toMatchObject([
      { outcome: 'mismatch', registeredHost: 'old.example' },
    ]);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({
        accountId: 'default',
        registeredHost: 'old.example',
        callbackHost: 'gateway.example',
      }),
      expect.stringContaining(
        'MTN would refuse every create with INVALID_CALLBACK_URL_HOST: provision a new API user for host gateway.example',
      ),
    );
  });

  it('warns and carries on when MTN cannot be reached', async () => {
    const { check } = setup(() =>
      Promise.reject(mapTransportFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))),
    );
    await expect(check.run()).resolves.toMatchObject([{ outcome: 'unknown' }]);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'MTN_UNAVAILABLE' }),
      expect.stringContaining('continuing'),
    );
  });

  it('does not stop start-up when the check fails', async () => {
    const { check } = setup(() => Promise.reject(new Error('anything')));
    await expect(check.onApplicationBootstrap()).resolves.toBeUndefined();
  });

  it('warns when MTN does not name the host', async () => {
    const { check } = setup(() => Promise.resolve({}));
    await expect(check.run()).resolves.toMatchObject([{ outcome: 'unknown' }]);
  });

  it('does nothing in production, where the provisioning API does not exist', async () => {
    const { check, client } = setup(() => Promise.resolve({}), {
      MTN_MOMO_ENVIRONMENT: 'production',
    });
    await expect(check.run()).resolves.toEqual([]);
    expect(client.getApiUser).not.toHaveBeenCalled();
  });
});
