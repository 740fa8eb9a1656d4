import type { JsonResponse } from '../support/app';
import { startGateway, type TestGateway } from '../support/gateway';
import { ROUTES, mtnCreates, mtnMark, paymentBody, referenceIdOf } from './support';

/**
 * The outbound budget to MTN (per account and product, all replicas together). When it is spent
 * and no wait is allowed, a payment is answered 429 RATE_LIMITED with Retry-After, stored FAILED
 * without reaching MTN, and its externalId stays free.
 */
describe('outbound rate limit', () => {
  const BUDGET = 3;
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({
      env: { MTN_MOMO_RATE_LIMIT_PER_MINUTE: String(BUDGET), MTN_MOMO_RATE_LIMIT_MAX_WAIT_MS: '0', POLL_ENABLED: 'false' },
    });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('answers 429 RATE_LIMITED with Retry-After once the minute budget is spent, storing FAILED and sending nothing', async () => {
    const since = mtnMark(gw);
    // The budget's window may roll over during the loop; within 3 budgets one request must be refused.
    let refused: JsonResponse<{ code: string; details: { transactionId?: string }[] }> | undefined;
    let body: Record<string, unknown> = {};
    for (let i = 0; i < 3 * BUDGET + 1 && !refused; i += 1) {
      body = paymentBody(ROUTES.requestToPay, 'UG');
      const res = await gw.request('POST', '/v1/collections', body);
      if (res.status === 429) refused = res;
      else expect(res.status).toBe(202);
    }
    expect(refused).toBeDefined();
    if (!refused) return;
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED', retryable: true, requestId: expect.any(String) });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);

    const id = refused.body.details.find((d) => d.transactionId)?.transactionId;
    expect((await gw.request('GET', `/v1/collections/${id}`)).body).toMatchObject({ status: 'FAILED', reason: 'RATE_LIMITED', externalId: body.externalId });
    expect(mtnCreates(gw, since).map(referenceIdOf)).not.toContain(id);

    // The refused payment does not hold its externalId: a retry is judged on the budget again.
    const retry = await gw.request('POST', '/v1/collections', body);
    expect(retry.body.code).not.toBe('DUPLICATE_EXTERNAL_ID');
    expect([202, 429]).toContain(retry.status);
  });

  it('keeps a budget per product: Disbursement still reaches MTN while Collection is out of budget', async () => {
    let collectionRefused = false;
    for (let i = 0; i < 3 * BUDGET + 1 && !collectionRefused; i += 1) {
      const res = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'GH'));
      collectionRefused = res.status === 429;
    }
    expect(collectionRefused).toBe(true);
    const transfer = await gw.request('POST', '/v1/disbursements', paymentBody(ROUTES.transfer, 'GH'));
    expect(transfer.status).toBe(202);
  });
});
