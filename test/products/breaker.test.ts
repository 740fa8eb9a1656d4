import { startGateway, type TestGateway } from '../support/gateway';
import { ROUTES, addFault, clearFaults, mtnCreates, mtnMark, mtnRequests, paymentBody, settled, storedCount } from './support';

/**
 * The guide's per-product circuit breaker, seen from the API: five consecutive MTN failures on
 * Collection open it; Collection then answers 503 CIRCUIT_OPEN at once (with Retry-After),
 * storing nothing for a payment refused before it was sent (a repeated request still gets its
 * earlier transaction), while Disbursement and Remittance carry on.
 */
describe('circuit breaker per product', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ env: { POLL_ENABLED: 'false' } });
  });
  afterAll(async () => {
    await gw.close();
  });

  it('opens Collection after 5 consecutive MTN 503s; Collection answers 503 CIRCUIT_OPEN, Disbursement still works', async () => {
    // A first collection works (and fetches the token, so only the creates fail below).
    const okBody = paymentBody(ROUTES.requestToPay, 'UG');
    const okHeaders = { 'idempotency-key': `breaker-${String(okBody.externalId)}` };
    const ok = await gw.request('POST', '/v1/collections', okBody, okHeaders);
    expect((await settled(gw, '/v1/collections', ok.body.id)).status).toBe('SUCCESSFUL');
    await addFault(gw, { kind: 'error', status: 503, pathPrefix: '/collection/v1_0/requesttopay', method: 'POST' });
    const since = mtnMark(gw);

    // Three attempts, three 503s: the caller may try again later.
    const first = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG'));
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });

    // Two more 503s make five in a row: the breaker opens and ends this call's retries.
    const second = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG'));
    expect(second.status).toBe(503);
    expect(second.body).toMatchObject({ code: 'CIRCUIT_OPEN', retryable: true });
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(second.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(mtnCreates(gw, since)).toHaveLength(5);

    // The payment whose own call opened the breaker had been stored: it is FAILED, CIRCUIT_OPEN.
    const secondId = (second.body.details as { transactionId?: string }[]).find((d) => d.transactionId)?.transactionId;
    expect((await gw.request('GET', `/v1/collections/${secondId}`)).body).toMatchObject({ status: 'FAILED', reason: 'CIRCUIT_OPEN' });

    // Open: refused at once, without a request to MTN and without storing anything.
    const thirdBody = paymentBody(ROUTES.requestToPay, 'GH');
    const third = await gw.request('POST', '/v1/collections', thirdBody);
    expect(third.status).toBe(503);
    expect(third.body).toMatchObject({ code: 'CIRCUIT_OPEN', retryable: true });
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(third.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((third.body.details as { transactionId?: string }[]).some((d) => d.transactionId)).toBe(false);
    expect(mtnCreates(gw, since)).toHaveLength(5);
    expect(await storedCount(gw, 'external_id = $1', [thirdBody.externalId])).toBe(0);

    // A repeat of a payment stored before the breaker opened still gets that payment back.
    const replay = await gw.request('POST', '/v1/collections', okBody, okHeaders);
    expect(replay.status).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toMatchObject({ id: ok.body.id, status: 'SUCCESSFUL' });
    expect(mtnCreates(gw, since)).toHaveLength(5);

    // Other Collection calls of the same account wait too: no request reaches MTN.
    const sinceBalance = mtnMark(gw);
    const balance = await gw.request('GET', '/v1/collections/balance?country=UG');
    expect(balance.status).toBe(503);
    expect(balance.body.code).toBe('CIRCUIT_OPEN');
    expect(mtnRequests(gw, { sinceSeq: sinceBalance })).toEqual([]);

    // Disbursement and Remittance have breakers of their own.
    const transfer = await gw.request('POST', '/v1/disbursements', paymentBody(ROUTES.transfer, 'UG'));
    expect(transfer.status).toBe(202);
    expect((await settled(gw, '/v1/disbursements', transfer.body.id)).status).toBe('SUCCESSFUL');
    const remittance = await gw.request('POST', '/v1/remittances', paymentBody(ROUTES.remittance, 'RW'));
    expect(remittance.status).toBe(202);
    await clearFaults(gw);
  });

  it('lets the caller reuse the externalId of a payment refused by the open breaker', async () => {
    const body = paymentBody(ROUTES.requestToPay, 'UG');
    const refused = await gw.request('POST', '/v1/collections', body);
    expect(refused.body.code).toBe('CIRCUIT_OPEN');
    const again = await gw.request('POST', '/v1/collections', body);
    // Still open: refused again as CIRCUIT_OPEN, and neither attempt stored anything.
    expect(again.body.code).toBe('CIRCUIT_OPEN');
    expect(await storedCount(gw, 'external_id = $1', [body.externalId])).toBe(0);
  });
});
