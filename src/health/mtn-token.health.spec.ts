import { HealthIndicatorService } from '@nestjs/terminus';
import { loadConfig } from '../config/app-config';
import { MomoCallError } from '../momo/client/momo-call.error';
import type { MomoAccountsService } from '../momo/accounts/momo-accounts.service';
import { MomoAccount, MomoCredentialSet } from '../momo/accounts/momo-account';
import type { MomoClient } from '../momo/client/momo-client';
import { MtnTokenHealthIndicator } from './mtn-token.health';

const credentials = () =>
  new MomoCredentialSet({
    subscriptionKey: 'k',
    apiUser: '6f1c2b7e-3f0a-4c1e-9a55-0d7f4a2b9e10',
    apiKey: 'a',
  });
const uganda = new MomoAccount('uganda', ['UG'], 'https://mtn.example', 'mtnuganda', {
  collection: credentials(),
  disbursement: credentials(),
});

function indicator(
  env: Record<string, string>,
  accounts: MomoAccount[],
  checkToken: MomoClient['checkToken'],
) {
  const config = loadConfig(env);
  return new MtnTokenHealthIndicator(
    config,
    { list: () => accounts } as unknown as MomoAccountsService,
    { checkToken } as unknown as MomoClient,
    new HealthIndicatorService(),
  );
}

describe('MtnTokenHealthIndicator', () => {
  it('is up when every product of every account gets a token', async () => {
    const checked: string[] = [];
    const health = indicator(
      {},
      [uganda],
      (account, product) => (checked.push(`${account.id}/${product}`), Promise.resolve()),
    );
    await expect(health.check()).resolves.toEqual({
      mtnTokens: {
        status: 'up',
        accounts: [
          { product: 'collection', account: 'uganda', status: 'up' },
          { product: 'disbursement', account: 'uganda', status: 'up' },
        ],
      },
    });
    expect(checked).toEqual(['uganda/collection', 'uganda/disbursement']);
  });

  it('is down naming the product that cannot, with our error code only', async () => {
    const health = indicator({}, [uganda], (_account, product) =>
      product === 'disbursement'
        ? Promise.reject(
            new MomoCallError('MTN_UNAVAILABLE', 'x', {
              kind: 'http',
              transient: true,
              httpStatus: 500,
              mtnCode: 'login_failed',
            }),
          )
        : Promise.resolve(),
    );
    const result = await health.check();
    expect(result.mtnTokens!.status).toBe('down');
    expect(result.mtnTokens!.accounts).toContainEqual({
      product: 'disbursement',
      account: 'uganda',
      status: 'down',
      code: 'MTN_UNAVAILABLE',
    });
  });

  it('reuses a result for HEALTH_TOKEN_CHECK_TTL_SECONDS', async () => {
    let calls = 0;
    const health = indicator(
      { HEALTH_TOKEN_CHECK_TTL_SECONDS: '30' },
      [uganda],
      () => (calls++, Promise.resolve()),
    );
    await health.check();
    await health.check();
    expect(calls).toBe(2); // two products, checked once
  });

  it('is up with no MTN account configured: nothing to check', async () => {
    await expect(
      indicator({}, [], () => Promise.reject(new Error('never'))).check(),
    ).resolves.toEqual({ mtnTokens: { status: 'up', accounts: [] } });
  });
});
