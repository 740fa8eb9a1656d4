import type { JsonResponse } from '../support/app';
import { startGateway, type TestGateway } from '../support/gateway';
import { ROUTES, mtnCreates, mtnMark, paymentBody, referenceIdOf } from './support';

type Refusal = JsonResponse<{ code: string; retryable: boolean; details?: { transactionId?: string }[] }>;

const storedId = (res: Refusal): string | undefined => (res.body.details ?? []).find((d) => d.transactionId)?.transactionId;

/**
 * The outbound budget to MTN (per account and product, all replicas together). When it is spent
 * and no wait is allowed, a payment is answered 429 RATE_LIMITED with Retry-After without reaching
 * MTN, and its externalId stays free. A replica that already knows the budget is spent refuses
 * before storing anything; one that learns it from the shared budget row on the call stores the
 * payment FAILED (it was persisted before the call, as every payment is).
 */
describe('outbound rate limit', () => {
  const BUDGET = 3;
  const env = { MTN_MOMO_RATE_LIMIT_PER_MINUTE: String(BUDGET), MTN_MOMO_RATE_LIMIT_MAX_WAIT_MS: '0', POLL_ENABLED: 'false' };
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ env });
  });
  afterAll(async () => {
    await gw.close();
  });

  /** Collections until one is refused (a window rolling over mid-loop restarts the count). */
  async function untilRefused(g: TestGateway): Promise<{ res: Refusal; body: Record<string, unknown> } | undefined> {
    for (let i = 0; i < 3 * (BUDGET + 2); i += 1) {
      const body = paymentBody(ROUTES.requestToPay, 'UG');
      const res: Refusal = await g.request('POST', '/v1/collections', body);
      if (res.status === 429) return { res, body };
      if (res.status !== 429) expect(res.status).toBe(202);
    }
    return undefined;
  }

  it('answers 429 RATE_LIMITED with Retry-After once the minute budget is spent, storing nothing and sending nothing', async () => {
    const since = mtnMark(gw);
    const refused = await untilRefused(gw);
    expect(refused).toBeDefined();
    if (!refused) return;
    expect(refused.res.body).toMatchObject({ code: 'RATE_LIMITED', retryable: true, requestId: expect.any(String) });
    const retryAfter = Number(refused.res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // This replica spent the budget itself, so it knew before storing anything.
    expect(storedId(refused.res)).toBeUndefined();
    const listed = await gw.request('GET', `/v1/collections?externalId=${String(refused.body.externalId)}`);
    expect(listed.body.items).toEqual([]);
    expect(mtnCreates(gw, since).filter((c) => c.body?.includes(String(refused.body.externalId)))).toEqual([]);

    // Nothing holds its externalId: a retry is judged on the budget again.
    const retry = await gw.request('POST', '/v1/collections', refused.body);
    expect(retry.body.code).not.toBe('DUPLICATE_EXTERNAL_ID');
    expect([202, 429]).toContain(retry.status);
  });

  it('stores FAILED, and sends nothing, when a replica learns from the shared budget that another spent it', async () => {
    const other = await startGateway({ env, db: gw.db, sharedEmulator: gw.emulator });
    try {
      const since = mtnMark(gw);
      // Spend the window's budget on this replica; the other one has not leased anything yet.
      let learnt: { res: Refusal; body: Record<string, unknown> } | undefined;
      for (let round = 0; round < 3 && !learnt; round += 1) {
        await untilRefused(gw);
        const body = paymentBody(ROUTES.requestToPay, 'UG');
        const res: Refusal = await other.request('POST', '/v1/collections', body);
        if (res.status === 429) learnt = { res, body };
      }
      expect(learnt).toBeDefined();
      if (!learnt) return;
      const id = storedId(learnt.res);
      expect(id).toEqual(expect.any(String));
      expect((await other.request('GET', `/v1/collections/${id}`)).body).toMatchObject({ status: 'FAILED', reason: 'RATE_LIMITED', externalId: learnt.body.externalId });
      expect(mtnCreates(gw, since).map(referenceIdOf)).not.toContain(id);
      // From then on, in this window, the other replica knows too: nothing more is stored.
      const next: Refusal = await other.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG'));
      if (next.status === 429) expect(storedId(next)).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('keeps a budget per product: Disbursement still reaches MTN while Collection is out of budget', async () => {
    expect(await untilRefused(gw)).toBeDefined();
    const transfer = await gw.request('POST', '/v1/disbursements', paymentBody(ROUTES.transfer, 'GH'));
    expect(transfer.status).toBe(202);
  });
});
