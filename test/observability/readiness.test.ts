import { randomUUID } from 'node:crypto';
import { startGateway, type TestGateway } from '../support/gateway';

const PRODUCTS = ['collection', 'disbursement', 'remittance'];

/**
 * Readiness on the whole gateway: database and migrations, a token for each configured MTN
 * product (checked on every probe here: HEALTH_TOKEN_CHECK_TTL_SECONDS=0), and the breakers
 * shown without ever failing it. In order: a token endpoint that fails before any token is held
 * makes the pod unready; it recovers once tokens can be had; an open breaker leaves it ready.
 */
describe('GET /health/ready', () => {
  let gw: TestGateway;
  const ready = async () => {
    const res = await fetch(`${gw.url}/health/ready`);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked by the assertions
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    gw = await startGateway({
      env: {
        POLL_ENABLED: 'false',
        HEALTH_TOKEN_CHECK_TTL_SECONDS: '0',
        MTN_MOMO_BREAKER_FAILURE_THRESHOLD: '2',
      },
    });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('is 503 while no product can get a token, naming each, and liveness stays 200', async () => {
    await addFault(gw, { kind: 'token-failure' });
    try {
      const res = await ready();
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        status: 'error',
        details: { database: { status: 'up' }, mtnTokens: { status: 'down' } },
      });
      const accounts = res.body.details.mtnTokens.accounts as Array<Record<string, unknown>>;
      expect(accounts.map((a) => a.product).sort()).toEqual(PRODUCTS);
      for (const a of accounts)
        expect(a).toMatchObject({
          account: 'default',
          status: 'down',
          code: expect.stringMatching(/^[A-Z_]+$/),
        });
      expect((await fetch(`${gw.url}/health/live`)).status).toBe(200);
    } finally {
      await clearFaults(gw);
    }
  });

  it('is 200 once each product can get a token, and then keeps using the cached tokens', async () => {
    const res = await ready();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: {
        database: { status: 'up' },
        mtnTokens: { status: 'up' },
        mtnBreakers: { status: 'up', open: 0 },
      },
    });
    const accounts = res.body.info.mtnTokens.accounts as Array<Record<string, unknown>>;
    expect(accounts).toHaveLength(3);
    for (const a of accounts) expect(a).toMatchObject({ account: 'default', status: 'up' });

    // The tokens are held now: a failing token endpoint no longer matters to readiness.
    const tokenCalls = await tokenRequests(gw);
    await addFault(gw, { kind: 'token-failure' });
    try {
      expect((await ready()).status).toBe(200);
      expect(await tokenRequests(gw)).toBe(tokenCalls);
    } finally {
      await clearFaults(gw);
    }
  });

  it('stays 200 with an open breaker, and shows it', async () => {
    await addFault(gw, { kind: 'error', status: 503, pathPrefix: '/disbursement/v1_0/transfer' });
    try {
      const res = await gw.request('POST', '/v1/disbursements', {
        amount: '1000',
        currency: 'UGX',
        phoneNumber: '256774123456',
        externalId: `RDY_${randomUUID().slice(0, 8)}`,
      });
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      await clearFaults(gw);
    }
    const res = await ready();
    expect(res.status).toBe(200);
    expect(res.body.info.mtnBreakers.open).toBe(1);
    expect(res.body.info.mtnBreakers.breakers).toEqual(
      expect.arrayContaining([
        {
          product: 'disbursement',
          account: 'default',
          state: 'open',
          retryAfterSeconds: expect.any(Number),
        },
        { product: 'collection', account: 'default', state: 'closed' },
      ]),
    );
  });
});

async function addFault(gw: TestGateway, fault: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${gw.emulator.url}/_emulator/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  expect(res.status).toBe(201);
}

async function clearFaults(gw: TestGateway): Promise<void> {
  await fetch(`${gw.emulator.url}/_emulator/faults`, { method: 'DELETE' });
}

async function tokenRequests(gw: TestGateway): Promise<number> {
  const res = await fetch(`${gw.emulator.url}/_emulator/requests?method=POST`);
  const entries = (await res.json()) as Array<{ path: string }>;
  return entries.filter((e) => /\/token\/$/.test(e.path)).length;
}
