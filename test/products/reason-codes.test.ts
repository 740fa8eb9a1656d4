import { httpStatusOf, isRetryable } from '../../src/common/errors/error-http-status';
import type { ErrorCode } from '../../src/common/errors/error-code';
import { startGateway, type TestGateway } from '../support/gateway';
import {
  ALWAYS_OK,
  GUIDE_REASONS,
  ROUTES,
  mtnCreates,
  mtnMark,
  mtnTransactions,
  paymentBody,
  referenceIdOf,
  reservedNumber,
  settled,
  type Country,
  type ProductRoute,
} from './support';

/**
 * Every reason of the integration guide's error table, for each product, both ways MTN gives it:
 *   - refused at once (reserved numbers, mode 2: HTTP 500/503/409 on the create): answered with
 *     our code and its HTTP status, the transaction stored FAILED with that reason, its externalId
 *     free for another try;
 *   - accepted, then FAILED (mode 1): 202, then FAILED with `reason` once MTN says so.
 */
describe('MTN reason codes, per product', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // The retryable refusals (500 INTERNAL_PROCESSING_ERROR, 503 SERVICE_UNAVAILABLE) are retried
    // three times each; the breaker has its own suite, so it must not open on this table.
    gw = await startGateway({ env: { MTN_MOMO_BREAKER_FAILURE_THRESHOLD: '100' } });
  });
  afterAll(async () => {
    await gw.close();
  });

  const products: [string, ProductRoute, Country][] = [
    ['collection (request to pay, UG)', ROUTES.requestToPay, 'UG'],
    ['disbursement (transfer, GH)', ROUTES.transfer, 'GH'],
    ['remittance (transfer, RW)', ROUTES.remittance, 'RW'],
  ];

  describe.each(products)('%s', (_name, route, country) => {
    const refusals = GUIDE_REASONS.filter((r) => r.reason !== 'RESOURCE_ALREADY_EXIST');

    it.each(refusals.map((r) => [r.reason, r] as [string, (typeof GUIDE_REASONS)[number]]))(
      '%s refused at once: its HTTP status and code, stored FAILED, externalId reusable',
      async (reason, { digits, retryable }) => {
        const code = reason as ErrorCode;
        const since = mtnMark(gw);
        const body = paymentBody(route, country, { phoneNumber: reservedNumber(country, 2, digits) });

        const refused = await gw.request('POST', route.post, body);
        expect(refused.status).toBe(httpStatusOf(code));
        expect(refused.body).toMatchObject({ code: reason, retryable, requestId: expect.any(String) });
        expect(isRetryable(code)).toBe(retryable);
        if (refused.status === 503) expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        const detail = (refused.body.details as { transactionId?: string }[]).find((d) => d.transactionId);
        expect(detail?.transactionId).toEqual(expect.any(String));
        const id = detail?.transactionId ?? '';

        const stored = await gw.request('GET', `${route.base}/${id}`);
        expect(stored.status).toBe(200);
        expect(stored.body).toMatchObject({ status: 'FAILED', reason, externalId: body.externalId });
        // MTN was asked under the stored id (three times when the refusal is retryable) and holds nothing.
        const creates = mtnCreates(gw, since, route.mtnCreate);
        expect(creates.length).toBe(retryable ? 3 : 1);
        expect(new Set(creates.map(referenceIdOf))).toEqual(new Set([id]));
        expect(mtnTransactions(gw, id)).toEqual([]);

        const again = await gw.request('POST', route.post, { ...body, phoneNumber: ALWAYS_OK[country] });
        expect(again.status).toBe(202);
        expect(again.body.id).not.toBe(id);
        expect(again.body.externalId).toBe(body.externalId);
      },
    );

    it('RESOURCE_ALREADY_EXIST refused at once: kept PENDING, never FAILED, because MTN says it holds this reference id', async () => {
      const body = paymentBody(route, country, { phoneNumber: reservedNumber(country, 2, '07') });
      const answered = await gw.request('POST', route.post, body);
      expect(answered.status).toBe(202);
      expect(answered.body).toMatchObject({ status: 'PENDING', externalId: body.externalId });
      // The externalId stays taken: another try could pay twice if MTN does hold the first one.
      const again = await gw.request('POST', route.post, { ...body, phoneNumber: ALWAYS_OK[country] });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'DUPLICATE_EXTERNAL_ID', details: [expect.objectContaining({ field: 'externalId', transactionId: answered.body.id })] });
    });

    it.each(GUIDE_REASONS.map((r) => [r.reason, r] as [string, (typeof GUIDE_REASONS)[number]]))(
      '%s after acceptance: 202, then FAILED with that reason',
      async (reason, { digits }) => {
        const body = paymentBody(route, country, { phoneNumber: reservedNumber(country, 1, digits) });
        const accepted = await gw.request('POST', route.post, body);
        expect(accepted.status).toBe(202);
        expect(['PENDING', 'FAILED']).toContain(accepted.body.status);
        const done = await settled(gw, route.base, accepted.body.id);
        expect(done).toMatchObject({ status: 'FAILED', reason, externalId: body.externalId });
        expect(done.financialTransactionId).toBeUndefined();
      },
    );
  });
});
