import type { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import type { AxiosRequestConfig } from 'axios';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { loadConfig } from '../../config/app-config';
import { MomoAccountsService } from '../accounts/momo-accounts.service';
import { BreakerService } from '../breaker/breaker.service';
import { CountryRulesService } from '../country-rules/country-rules.service';
import type { CreateRequest } from '../momo.types';
import { OutboundRateLimiter } from '../rate-limit/outbound-rate-limiter.service';
import type { BudgetLimiter } from '../rate-limit/rate-limit.stores';
import { RetryPolicy } from '../retry/retry.policy';
import { TokenService } from '../token/token.service';
import { earlierAttemptsOf } from './momo-call.error';
import { MomoClient } from './momo-client';

const API_USER = '6f1c2b7e-3f0a-4c1e-9a55-0d7f4a2b9e10';
const SUBSCRIPTION_KEY = 'sub-key-SECRET';
const API_KEY = 'api-key-SECRET';
const REFERENCE = '3c1f0e2a-9d4b-4f6a-8e2c-1b0a9d8c7e6f';
const BASE = 'https://mtn.example';

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
type Handler = (request: AxiosRequestConfig<string>) => Answer | Error;

const granted: BudgetLimiter = {
  consume: () => Promise.resolve(new RateLimiterRes()),
  reward: () => Promise.resolve(new RateLimiterRes()),
};

function setup(env: Record<string, string> = {}, budget: BudgetLimiter = granted) {
  const config = loadConfig({
    MTN_MOMO_BASE_URL: BASE,
    MTN_MOMO_SUBSCRIPTION_KEY: SUBSCRIPTION_KEY,
    MTN_MOMO_API_USER: API_USER,
    MTN_MOMO_API_KEY: API_KEY,
    ...env,
  });
  const clock = { now: () => Date.parse('2026-11-26T10:00:00Z') };
  const sleeps: number[] = [];
  const sleeper = (ms: number) => {
    sleeps.push(ms);
    return Promise.resolve();
  };
  const requests: Array<AxiosRequestConfig<string>> = [];
  let tokens = 0;
  const handlers: Handler[] = [];
  const product: Handler = () => ({ status: 202 });
  const http = {
    axiosRef: {
      request: jest.fn((request: AxiosRequestConfig<string>) => {
        requests.push(request);
        let answer: Answer | Error;
        if (request.url?.endsWith('/token/'))
          answer = {
            status: 200,
            body: {
              access_token: `token-${++tokens}`,
              token_type: 'access_token',
              expires_in: 3600,
            },
          };
        else answer = (handlers.shift() ?? product)(request);
        if (answer instanceof Error) return Promise.reject(answer);
        const data =
          answer.body === undefined
            ? ''
            : typeof answer.body === 'string'
              ? answer.body
              : JSON.stringify(answer.body);
        return Promise.resolve({
          status: answer.status,
          headers: answer.headers ?? {},
          data,
          config: request,
          statusText: '',
        });
      }),
    },
  } as unknown as HttpService;
  const accounts = new MomoAccountsService(config, new CountryRulesService(config));
  const limiter = new OutboundRateLimiter(config, { total: budget, background: budget }, sleeper);
  const client = new MomoClient(
    config,
    http,
    accounts,
    new TokenService(config, clock),
    new BreakerService(config, clock),
    new RetryPolicy(config, sleeper, () => 0.5),
    limiter,
    clock,
  );
  const productRequests = () => requests.filter((r) => !r.url?.endsWith('/token/'));
  const tokenRequests = () => requests.filter((r) => r.url?.endsWith('/token/'));
  return { client, handlers, requests, productRequests, tokenRequests, sleeps };
}

const rtp: CreateRequest = {
  product: 'collection',
  operation: 'requestToPay',
  country: 'UG',
  referenceId: REFERENCE,
  body: {
    amount: '100',
    currency: 'EUR',
    externalId: 'o-1',
    payer: { partyIdType: 'MSISDN', partyId: '256774123456' },
  },
  callbackUrl: 'https://gateway.example/v1/webhooks/mtn/collection/x',
};

const status = { collection: 'collection' as const };
const rtpStatus = {
  product: status.collection,
  operation: 'requestToPay' as const,
  country: 'UG' as const,
  referenceId: REFERENCE,
};
const unavailable: Handler = () => ({ status: 503, body: '<html>Service Unavailable</html>' });
const conflict: Handler = () => ({
  status: 409,
  body: { message: 'Duplicated reference id.', code: 'RESOURCE_ALREADY_EXIST' },
});

describe('MomoClient', () => {
  let logged: jest.SpyInstance[];
  beforeEach(() => {
    logged = [
      jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined),
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined),
    ];
  });
  afterEach(() => jest.restoreAllMocks());

  describe('create', () => {
    it("posts MTN's body with every header MTN requires", async () => {
      const { client, productRequests } = setup();
      await client.create(rtp);
      const [request] = productRequests();
      expect(request).toMatchObject({
        method: 'POST',
        url: `${BASE}/collection/v1_0/requesttopay`,
        timeout: 10_000,
        data: JSON.stringify(rtp.body),
        headers: {
          Authorization: 'Bearer token-1',
          'Ocp-Apim-Subscription-Key': SUBSCRIPTION_KEY,
          'X-Target-Environment': 'sandbox',
          'X-Reference-Id': REFERENCE,
          'X-Callback-Url': rtp.callbackUrl,
          'Content-Type': 'application/json',
        },
      });
    });

    it('uses a keep-alive agent', async () => {
      const { client, productRequests } = setup();
      await client.create(rtp);
      expect(productRequests()[0]?.httpAgent).toMatchObject({ keepAlive: true });
    });

    it('leaves out X-Callback-Url when no callback is wanted', async () => {
      const { client, productRequests } = setup();
      await client.create({ ...rtp, callbackUrl: undefined });
      expect(productRequests()[0]?.headers).not.toHaveProperty('X-Callback-Url');
    });

    it('reports one attempt when MTN accepts at once', async () => {
      const { client } = setup();
      await expect(client.create(rtp)).resolves.toEqual({ attempts: 1, alreadyExisted: false });
    });

    it('retries MTN trouble with the same reference id after the backoff', async () => {
      const { client, handlers, productRequests, sleeps } = setup();
      handlers.push(unavailable, unavailable);
      await expect(client.create(rtp)).resolves.toEqual({ attempts: 3, alreadyExisted: false });
      expect(
        productRequests().map((r) => (r.headers as Record<string, string>)['X-Reference-Id']),
      ).toEqual([REFERENCE, REFERENCE, REFERENCE]);
      expect(sleeps).toEqual([2000, 4000]);
    });

    it('resolves a 409 on a retry by a status lookup, not a new transaction', async () => {
      const { client, handlers, productRequests } = setup();
      handlers.push(unavailable, conflict, () => ({
        status: 200,
        body: { status: 'PENDING', amount: '100', currency: 'EUR' },
      }));
      await expect(client.create(rtp)).resolves.toEqual({
        attempts: 2,
        alreadyExisted: true,
        status: { status: 'PENDING', rawStatus: 'PENDING', amount: '100', currency: 'EUR' },
      });
      expect(productRequests().map((r) => `${r.method} ${r.url}`)).toEqual([
        `POST ${BASE}/collection/v1_0/requesttopay`,
        `POST ${BASE}/collection/v1_0/requesttopay`,
        `GET ${BASE}/collection/v1_0/requesttopay/${REFERENCE}`,
      ]);
    });

    it('still reports an earlier attempt landed when the lookup after a 409 fails', async () => {
      const { client, handlers } = setup();
      handlers.push(unavailable, conflict, () => ({
        status: 404,
        body: { code: 'RESOURCE_NOT_FOUND' },
      }));
      await expect(client.create(rtp)).resolves.toEqual({ attempts: 2, alreadyExisted: true });
    });

    it('fails with RESOURCE_ALREADY_EXIST on a 409 to the first attempt', async () => {
      const { client, handlers, productRequests } = setup();
      handlers.push(conflict);
      await expect(client.create(rtp)).rejects.toMatchObject({
        code: 'RESOURCE_ALREADY_EXIST',
        attempt: 1,
      });
      expect(productRequests()).toHaveLength(1);
    });

    it('fails at once on a business refusal', async () => {
      const { client, handlers, productRequests } = setup();
      handlers.push(() => ({
        status: 500,
        body: { message: 'Payer not found', code: 'PAYER_NOT_FOUND' },
      }));
      await expect(client.create(rtp)).rejects.toMatchObject({
        code: 'PAYER_NOT_FOUND',
        mtnCode: 'PAYER_NOT_FOUND',
      });
      expect(productRequests()).toHaveLength(1);
    });

    it('gives up after three attempts of MTN trouble', async () => {
      const { client, handlers, productRequests } = setup();
      handlers.push(unavailable, unavailable, unavailable);
      await expect(client.create(rtp)).rejects.toMatchObject({
        code: 'MTN_UNAVAILABLE',
        attempt: 3,
      });
      expect(productRequests()).toHaveLength(3);
    });

    it('retries a timeout', async () => {
      const { client, handlers } = setup();
      handlers.push(() =>
        Object.assign(new Error('timeout of 10000ms exceeded'), { code: 'ECONNABORTED' }),
      );
      await expect(client.create(rtp)).resolves.toMatchObject({ attempts: 2 });
    });

    it('keeps the failures of the earlier attempts on the error that ends the call', async () => {
      const { client, handlers } = setup();
      const timeout = () => Object.assign(new Error('timeout of 10000ms exceeded'), { code: 'ECONNABORTED' });
      handlers.push(timeout, unavailable, unavailable);
      const error: unknown = await client.create(rtp).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'MTN_UNAVAILABLE', attempt: 3 });
      expect(earlierAttemptsOf(error)).toEqual([
        expect.objectContaining({ code: 'MTN_TIMEOUT', kind: 'timeout' }),
        expect.objectContaining({ code: 'MTN_UNAVAILABLE', httpStatus: 503 }),
      ]);
    });

    it('stops retrying as soon as the breaker opens', async () => {
      const { client, handlers, productRequests } = setup({
        MTN_MOMO_BREAKER_FAILURE_THRESHOLD: '2',
      });
      handlers.push(unavailable, unavailable, unavailable);
      await expect(client.create(rtp)).rejects.toMatchObject({
        code: 'CIRCUIT_OPEN',
        retryAfterSeconds: 60,
      });
      expect(productRequests()).toHaveLength(2);
    });

    it('makes no call when the outbound budget is used up', async () => {
      const refused: BudgetLimiter = {
        ...granted,
        // rate-limiter-flexible's contract: a refusal rejects with a RateLimiterRes.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        consume: () => Promise.reject(new RateLimiterRes(0, 30_000, 601)),
      };
      const { client, requests } = setup({}, refused);
      await expect(client.create(rtp)).rejects.toMatchObject({
        code: 'RATE_LIMITED',
        retryAfterSeconds: 30,
      });
      expect(requests).toHaveLength(0);
    });
  });

  describe('tokens', () => {
    it("asks the product's token endpoint with Basic credentials and an empty body", async () => {
      const { client, tokenRequests } = setup();
      await client.create(rtp);
      const [request] = tokenRequests();
      expect(request).toMatchObject({
        method: 'POST',
        url: `${BASE}/collection/token/`,
        headers: {
          Authorization: `Basic ${Buffer.from(`${API_USER}:${API_KEY}`).toString('base64')}`,
          'Ocp-Apim-Subscription-Key': SUBSCRIPTION_KEY,
          'Content-Length': '0',
        },
      });
      expect(request?.headers).not.toHaveProperty('X-Target-Environment');
      expect(request?.data).toBeUndefined();
    });

    it('reuses a token across calls', async () => {
      const { client, tokenRequests } = setup();
      await client.create(rtp);
      await client.getStatus(rtpStatus).catch(() => undefined);
      expect(tokenRequests()).toHaveLength(1);
    });

    it('drops a token MTN refuses and tries once more with a new one', async () => {
      const { client, handlers, tokenRequests, productRequests } = setup();
      handlers.push(() => ({ status: 401, body: undefined }));
      await expect(client.create(rtp)).resolves.toMatchObject({ attempts: 1 });
      expect(tokenRequests()).toHaveLength(2);
      expect((productRequests()[1]?.headers as Record<string, string>).Authorization).toBe(
        'Bearer token-2',
      );
    });

    it('fails with MTN_AUTHENTICATION_FAILED when the new token is refused too', async () => {
      const { client, handlers, tokenRequests, productRequests } = setup();
      handlers.push(
        () => ({ status: 401, body: undefined }),
        () => ({ status: 401, body: undefined }),
      );
      await expect(client.create(rtp)).rejects.toMatchObject({ code: 'MTN_AUTHENTICATION_FAILED' });
      expect([tokenRequests().length, productRequests().length]).toEqual([2, 2]);
    });

    it('does not fetch a new token for an APIM subscription-key 401', async () => {
      const { client, handlers, tokenRequests, productRequests } = setup();
      handlers.push(() => ({
        status: 401,
        body: { statusCode: 401, message: 'Access denied due to invalid subscription key.' },
      }));
      await expect(client.create(rtp)).rejects.toMatchObject({ code: 'MTN_AUTHENTICATION_FAILED' });
      expect([tokenRequests().length, productRequests().length]).toEqual([1, 1]);
    });
  });

  describe('reads', () => {
    it('normalises a CREATED status to PENDING', async () => {
      const { client, handlers } = setup();
      handlers.push(() => ({ status: 200, body: { status: 'CREATED' } }));
      await expect(client.getStatus(rtpStatus)).resolves.toEqual({
        status: 'PENDING',
        rawStatus: 'CREATED',
      });
    });

    it('gets a status without X-Reference-Id or a body', async () => {
      const { client, handlers, productRequests } = setup();
      handlers.push(() => ({ status: 200, body: { status: 'SUCCESSFUL' } }));
      await client.getStatus({
        product: 'disbursement',
        operation: 'deposit',
        country: 'UG',
        referenceId: REFERENCE,
      });
      const [request] = productRequests();
      expect(request?.url).toBe(`${BASE}/disbursement/v1_0/deposit/${REFERENCE}`);
      expect(request?.headers).not.toHaveProperty('X-Reference-Id');
      expect(request?.headers).not.toHaveProperty('Content-Length');
    });

    it('reports a 404 status as MTN_RESOURCE_NOT_FOUND without retrying', async () => {
      const { client, handlers, productRequests } = setup();
      handlers.push(() => ({
        status: 404,
        body: { message: 'Requested resource was not found.', code: 'RESOURCE_NOT_FOUND' },
      }));
      await expect(client.getStatus(rtpStatus)).rejects.toMatchObject({
        code: 'MTN_RESOURCE_NOT_FOUND',
      });
      expect(productRequests()).toHaveLength(1);
    });

    it('refuses a 200 status it cannot read', async () => {
      const { client, handlers } = setup();
      handlers.push(() => ({ status: 200, body: '<html/>' }));
      await expect(client.getStatus(rtpStatus)).rejects.toMatchObject({
        code: 'MTN_UNEXPECTED_RESPONSE',
      });
    });

    it('reads the balance in a currency', async () => {
      const { client, handlers, productRequests } = setup();
      handlers.push(() => ({
        status: 200,
        body: { availableBalance: '1500.25', currency: 'EUR' },
      }));
      await expect(
        client.getBalance({ product: 'disbursement', country: 'UG', currency: 'EUR' }),
      ).resolves.toEqual({
        availableBalance: '1500.25',
        currency: 'EUR',
      });
      expect(productRequests()[0]?.url).toBe(`${BASE}/disbursement/v1_0/account/balance/EUR`);
    });

    it('says whether an account holder is active', async () => {
      const { client, handlers } = setup();
      handlers.push(() => ({ status: 200, body: { result: true } }));
      await expect(
        client.isAccountHolderActive({
          product: 'collection',
          country: 'UG',
          msisdn: '256774123456',
        }),
      ).resolves.toBe(true);
    });

    it('says an unknown account holder is not active', async () => {
      const { client, handlers } = setup();
      handlers.push(() => ({ status: 404, body: { code: 'RESOURCE_NOT_FOUND' } }));
      await expect(
        client.isAccountHolderActive({
          product: 'collection',
          country: 'UG',
          msisdn: '46733123450',
        }),
      ).resolves.toBe(false);
    });

    it('reads basic user info', async () => {
      const { client, handlers } = setup();
      handlers.push(() => ({ status: 200, body: { given_name: 'Sand', family_name: 'Box' } }));
      await expect(
        client.getBasicUserInfo({ product: 'remittance', country: 'UG', msisdn: '256774123456' }),
      ).resolves.toEqual({
        givenName: 'Sand',
        familyName: 'Box',
      });
    });

    it('asks the sandbox for an API user with the subscription key only', async () => {
      const { client, handlers, requests } = setup();
      const accounts = new MomoAccountsService(
        loadConfig({
          MTN_MOMO_BASE_URL: BASE,
          MTN_MOMO_SUBSCRIPTION_KEY: 'k',
          MTN_MOMO_API_USER: API_USER,
          MTN_MOMO_API_KEY: 'a',
        }),
        {} as CountryRulesService,
      );
      handlers.push(() => ({
        status: 200,
        body: { providerCallbackHost: 'gateway.example', targetEnvironment: 'sandbox' },
      }));
      await expect(client.getApiUser(accounts.list()[0]!, 'collection')).resolves.toEqual({
        providerCallbackHost: 'gateway.example',
        targetEnvironment: 'sandbox',
      });
      expect(requests[0]).toMatchObject({
        method: 'GET',
        url: `${BASE}/v1_0/apiuser/${API_USER}`,
        headers: { 'Ocp-Apim-Subscription-Key': 'k' },
      });
      expect(requests[0]?.headers).not.toHaveProperty('Authorization');
    });
  });

  describe('logging', () => {
    it('writes one line per HTTP call with product, operation, reference, status, latency, attempt and account', async () => {
      const { client, handlers } = setup();
      handlers.push(unavailable);
      await client.create(rtp);
      const lines = logged.flatMap((spy) =>
        spy.mock.calls.map((call: unknown[]) => call[0] as Record<string, unknown>),
      );
      const creates = lines
        .filter((l) => l.operation === 'requestToPay')
        .sort((a, b) => Number(a.attempt) - Number(b.attempt));
      expect(creates).toEqual([
        expect.objectContaining({
          product: 'collection',
          referenceId: REFERENCE,
          accountId: 'default',
          attempt: 1,
          httpStatus: 503,
          code: 'MTN_UNAVAILABLE',
          latencyMs: expect.any(Number),
        }),
        expect.objectContaining({
          product: 'collection',
          referenceId: REFERENCE,
          accountId: 'default',
          attempt: 2,
          httpStatus: 202,
        }),
      ]);
      expect(lines.filter((l) => l.operation === 'token')).toHaveLength(1);
    });

    it('never logs a secret', async () => {
      const { client, handlers } = setup();
      handlers.push(
        () => ({ status: 401, body: undefined }),
        unavailable,
        () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      );
      await client.create(rtp).catch(() => undefined);
      const everything = JSON.stringify(logged.flatMap((spy) => spy.mock.calls as unknown[]));
      const basic = Buffer.from(`${API_USER}:${API_KEY}`).toString('base64');
      for (const secret of [SUBSCRIPTION_KEY, API_KEY, 'token-1', 'token-2', basic, API_USER]) {
        expect(everything).not.toContain(secret);
      }
    });

    it('never puts a secret in the error it throws', async () => {
      const { client, handlers } = setup();
      handlers.push(() =>
        Object.assign(new Error('boom'), {
          code: 'ECONNREFUSED',
          config: { headers: { 'Ocp-Apim-Subscription-Key': SUBSCRIPTION_KEY } },
        }),
      );
      handlers.push(unavailable, unavailable);
      const error: unknown = await client.create(rtp).catch((e: unknown) => e);
      expect(JSON.stringify(error)).not.toContain(SUBSCRIPTION_KEY);
      expect((error as Error).cause).toBeUndefined();
    });
  });
});
