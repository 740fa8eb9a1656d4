import { randomUUID } from 'node:crypto';
import type { CreateRequest, StatusRequest } from '../../src/momo/momo.types';
import {
  addFault,
  CALLBACK_HOST,
  clearFaults,
  emulatorRequests,
  startHarness,
  type Harness,
} from './momo-harness';

function requestToPay(msisdn = '256774123456', currency = 'EUR'): CreateRequest {
  return {
    product: 'collection',
    operation: 'requestToPay',
    country: 'UG',
    referenceId: randomUUID(),
    body: {
      amount: '100',
      currency,
      externalId: 'order-1',
      payer: { partyIdType: 'MSISDN', partyId: msisdn },
      payerMessage: 'Order 1',
      payeeNote: 'Thanks',
    },
    callbackUrl: `https://${CALLBACK_HOST}/v1/webhooks/mtn/collection`,
  };
}

const statusOf = (create: CreateRequest): StatusRequest =>
  ({
    product: create.product,
    operation: create.operation,
    country: create.country,
    referenceId: create.referenceId,
  }) as StatusRequest;

describe('MomoClient against the emulator', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  afterEach(async () => {
    await clearFaults(h.emulator);
  });

  it('creates a request to pay and reads its final status', async () => {
    const create = requestToPay();
    await expect(h.client.create(create)).resolves.toEqual({ attempts: 1, alreadyExisted: false });
    await expect(h.client.getStatus(statusOf(create))).resolves.toMatchObject({
      status: 'SUCCESSFUL',
      rawStatus: 'SUCCESSFUL',
      amount: '100',
      currency: 'EUR',
      externalId: 'order-1',
      partyId: '256774123456',
      financialTransactionId: expect.any(String),
    });
  });

  it("sends MTN's headers on a create", async () => {
    const create = requestToPay();
    await h.client.create(create);
    const [request] = await emulatorRequests(h.emulator, {
      method: 'POST',
      path: '/collection/v1_0/requesttopay',
      limit: '1',
    });
    expect(request?.headers).toMatchObject({
      'x-reference-id': create.referenceId,
      'x-target-environment': 'sandbox',
      'x-callback-url': create.callbackUrl,
      'content-type': 'application/json',
      'ocp-apim-subscription-key': h.emulator.subscriptionKeys.collection,
      authorization: expect.stringMatching(/^Bearer /),
    });
  });

  it('creates a disbursement deposit through its v2 path and reads it through v1', async () => {
    const create: CreateRequest = {
      product: 'disbursement',
      operation: 'deposit',
      country: 'UG',
      referenceId: randomUUID(),
      body: {
        amount: '50',
        currency: 'EUR',
        externalId: 'd-1',
        payee: { partyIdType: 'MSISDN', partyId: '256774123456' },
      },
    };
    await h.client.create(create);
    await expect(h.client.getStatus(statusOf(create))).resolves.toMatchObject({
      status: 'SUCCESSFUL',
    });
  });

  it("reports the sandbox's CREATED as PENDING, keeping the raw status", async () => {
    const create = requestToPay('46733123454');
    await h.client.create(create);
    await expect(h.client.getStatus(statusOf(create))).resolves.toEqual({
      status: 'PENDING',
      rawStatus: 'CREATED',
      amount: '100',
      currency: 'EUR',
      externalId: 'order-1',
      partyId: '46733123454',
      partyIdType: 'MSISDN',
    });
  });

  it("reads a failed transaction's reason", async () => {
    const create = requestToPay('46733123451');
    await h.client.create(create);
    await expect(h.client.getStatus(statusOf(create))).resolves.toMatchObject({
      status: 'FAILED',
      reason: 'APPROVAL_REJECTED',
      reasonCode: 'APPROVAL_REJECTED',
    });
  });

  it('reports an unknown reference id as MTN_RESOURCE_NOT_FOUND, not as failed', async () => {
    await expect(h.client.getStatus(statusOf(requestToPay()))).rejects.toMatchObject({
      code: 'MTN_RESOURCE_NOT_FOUND',
      mtnCode: 'RESOURCE_NOT_FOUND',
    });
  });

  it('retries MTN trouble with the same X-Reference-Id', async () => {
    const create = requestToPay();
    await addFault(h.emulator, {
      kind: 'error',
      status: 503,
      pathPrefix: '/collection/v1_0/requesttopay',
      method: 'POST',
      count: 2,
    });
    await expect(h.client.create(create)).resolves.toEqual({ attempts: 3, alreadyExisted: false });
    const posts = await emulatorRequests(h.emulator, {
      method: 'POST',
      path: '/collection/v1_0/requesttopay',
      limit: '3',
    });
    expect(posts.map((p) => [p.status, p.headers['x-reference-id']])).toEqual([
      [503, create.referenceId],
      [503, create.referenceId],
      [202, create.referenceId],
    ]);
  });

  it('fails at once with RESOURCE_ALREADY_EXIST when the first attempt meets a used reference id', async () => {
    const create = requestToPay();
    await h.client.create(create);
    await expect(h.client.create(create)).rejects.toMatchObject({
      code: 'RESOURCE_ALREADY_EXIST',
      attempt: 1,
    });
  });

  it("maps MTN's {code, message} error body to our code", async () => {
    await expect(h.client.create(requestToPay('256774123456', 'UGX'))).rejects.toMatchObject({
      code: 'INVALID_CURRENCY',
      mtnCode: 'INVALID_CURRENCY',
      httpStatus: 500,
      transient: false,
    });
  });

  it("maps the token endpoint's {error} body to MTN_AUTHENTICATION_FAILED", async () => {
    await addFault(h.emulator, { kind: 'token-failure', product: 'remittance', status: 500 });
    await expect(
      h.client.getBalance({ product: 'remittance', country: 'UG' }),
    ).rejects.toMatchObject({
      code: 'MTN_AUTHENTICATION_FAILED',
      mtnCode: 'login_failed',
    });
  });

  it("maps APIM's {statusCode, message} 401 to MTN_AUTHENTICATION_FAILED without a token refresh", async () => {
    await h.client.getBalance({ product: 'disbursement', country: 'UG' });
    const since = String((await emulatorRequests(h.emulator)).at(-1)?.seq ?? 0);
    await addFault(h.emulator, {
      kind: 'error',
      status: 401,
      pathPrefix: '/disbursement/v1_0/account',
      count: 1,
    });
    await expect(
      h.client.getBalance({ product: 'disbursement', country: 'UG' }),
    ).rejects.toMatchObject({ code: 'MTN_AUTHENTICATION_FAILED' });
    const after = await emulatorRequests(h.emulator, { since });
    expect(after.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/disbursement/v1_0/account/balance 401',
    ]);
  });

  it("reads the balance, an account holder's state and basic user info", async () => {
    const ctx = { product: 'collection' as const, country: 'UG' as const };
    await expect(h.client.getBalance(ctx)).resolves.toEqual({
      availableBalance: expect.any(String),
      currency: 'EUR',
    });
    await expect(h.client.isAccountHolderActive({ ...ctx, msisdn: '256774123456' })).resolves.toBe(
      true,
    );
    await expect(
      h.client.getBasicUserInfo({ ...ctx, msisdn: '256774123456' }),
    ).resolves.toMatchObject({ givenName: expect.any(String) });
  });
});

describe('a create whose first attempt landed although its answer was lost', () => {
  let h: Harness;
  let beforeRetry: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    h = await startHarness({
      sleeper: async () => {
        const step = beforeRetry;
        beforeRetry = undefined;
        await step?.();
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it("resolves the retry's 409 by a status lookup instead of a new transaction", async () => {
    const create = requestToPay();
    // The emulator refuses without processing when a client gives up on a request, so "processed
    // by MTN, answer lost" is staged: the first attempt is answered 503, and before the retry the
    // exact request (its logged headers, same body) reaches MTN after all.
    await addFault(h.emulator, {
      kind: 'error',
      status: 503,
      pathPrefix: '/collection/v1_0/requesttopay',
      method: 'POST',
      count: 1,
    });
    beforeRetry = async () => {
      const [first] = await emulatorRequests(h.emulator, {
        method: 'POST',
        path: '/collection/v1_0/requesttopay',
        limit: '1',
      });
      const headers = Object.fromEntries(
        Object.entries(first?.headers ?? {}).filter(
          (e): e is [string, string] =>
            typeof e[1] === 'string' && !['host', 'content-length', 'connection'].includes(e[0]),
        ),
      );
      const landed = await fetch(`${h.emulator.url}/collection/v1_0/requesttopay`, {
        method: 'POST',
        headers,
        body: JSON.stringify(create.body),
      });
      expect(landed.status).toBe(202);
    };
    await expect(h.client.create(create)).resolves.toEqual({
      attempts: 2,
      alreadyExisted: true,
      status: expect.objectContaining({ status: 'SUCCESSFUL' }),
    });
    const requests = await emulatorRequests(h.emulator, {
      pathPrefix: '/collection/v1_0/requesttopay',
    });
    expect(
      requests.map(
        (r) =>
          `${r.method} ${r.status} ${r.path.endsWith(create.referenceId) ? 'status' : r.headers['x-reference-id']}`,
      ),
    ).toEqual([
      `POST 503 ${create.referenceId}`,
      `POST 202 ${create.referenceId}`,
      `POST 409 ${create.referenceId}`,
      'GET 200 status',
    ]);
  });
});

describe('a create that times out', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { MTN_MOMO_TIMEOUT_MS: '150' } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('is retried with the same X-Reference-Id after MTN_TIMEOUT', async () => {
    const create = requestToPay();
    await addFault(h.emulator, {
      kind: 'timeout',
      pathPrefix: '/collection/v1_0/requesttopay',
      method: 'POST',
      count: 1,
    });
    await expect(h.client.create(create)).resolves.toEqual({ attempts: 2, alreadyExisted: false });
    const posts = await emulatorRequests(h.emulator, {
      method: 'POST',
      path: '/collection/v1_0/requesttopay',
    });
    expect(posts.map((p) => [p.status ?? 'held', p.headers['x-reference-id']])).toEqual([
      ['held', create.referenceId],
      [202, create.referenceId],
    ]);
  });
});
