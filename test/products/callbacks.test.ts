import { startGateway, type TestGateway } from '../support/gateway';
import {
  ROUTES,
  emulatorControl,
  events,
  eventually,
  ledger,
  mtnMark,
  mtnRequests,
  mtnTransactions,
  patchEmulator,
  paymentBody,
  pollNow,
  reservedNumber,
  settled,
  webhookStats,
} from './support';

/**
 * MTN's callbacks are unsigned hints: they may come twice, late, never, at the same moment as a
 * poll, or from someone else entirely. Whatever arrives, a transaction changes status once, to
 * what MTN's status endpoint says. Polling is switched off here and driven by hand (`pollOnce`).
 */
describe('callbacks and polling', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ env: { POLL_ENABLED: 'false' } });
    // Mode-3 numbers stay PENDING until a test completes them.
    await patchEmulator(gw, { longPendingMs: null });
  });
  afterAll(async () => {
    await gw.close();
  });
  afterEach(async () => {
    await patchEmulator(gw, { callbackDropRate: 0, duplicateCallbacks: false, callbackDelayMs: 0 });
    await gw.emulator.callbacksIdle();
  });

  const SLOW_SUCCESS = reservedNumber('UG', 3, '00');
  const SLOW_FAILURE = reservedNumber('UG', 3, '10');

  async function pending(phoneNumber = SLOW_SUCCESS, route = ROUTES.requestToPay): Promise<string> {
    const res = await gw.request('POST', route.post, paymentBody(route, 'UG', { phoneNumber }));
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('PENDING');
    return res.body.id as string;
  }

  function callbackUrl(id: string): string {
    const url = mtnTransactions(gw, id)[0]?.callbackUrl;
    if (!url) throw new Error(`MTN holds no callback URL for ${id}`);
    return url;
  }

  async function sendCallback(url: string, body: unknown, method = 'POST'): Promise<{ status: number; body: unknown }> {
    const res = await fetch(url, { method, headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'LWAC Http Client 1.0' }, body: JSON.stringify(body) });
    const answer: unknown = await res.json();
    return { status: res.status, body: answer };
  }

  const transitions = async (id: string) => (await events(gw, id)).filter((e) => e.fromStatus !== e.toStatus);

  it('settles each transaction once when its callback and a poll arrive at the same moment', async () => {
    const ids = await Promise.all(Array.from({ length: 5 }, () => pending()));
    await Promise.all([...ids.map((id) => emulatorControl(gw, 'POST', `/_emulator/transactions/${id}/complete`)), pollNow(gw), pollNow(gw)]);
    await gw.emulator.callbacksIdle();

    for (const id of ids) {
      expect(await settled(gw, '/v1/collections', id)).toMatchObject({ status: 'SUCCESSFUL', financialTransactionId: expect.any(String) });
      expect((await transitions(id)).map((e) => `${e.fromStatus}->${e.toStatus}`)).toEqual(['null->PENDING', 'PENDING->SUCCESSFUL']);
      expect(ledger(gw).postingsFor(id)).toHaveLength(1);
    }
  });

  it('settles once when a callback is handled while a poll applies the same final status', async () => {
    const id = await pending(SLOW_FAILURE);
    const url = callbackUrl(id);
    // MTN finishes it, but its own callback is lost: ours and the poll then race on a final MTN status.
    await patchEmulator(gw, { callbackDropNext: 1 });
    await emulatorControl(gw, 'POST', `/_emulator/transactions/${id}/complete`);
    await gw.emulator.callbacksIdle();
    const [answer] = await Promise.all([sendCallback(url, { status: 'FAILED', reason: 'EXPIRED' }), pollNow(gw), sendCallback(url, { status: 'FAILED', reason: 'EXPIRED' }, 'PUT')]);
    expect(answer).toEqual({ status: 200, body: { received: true } });

    expect(await settled(gw, '/v1/collections', id)).toMatchObject({ status: 'FAILED', reason: 'EXPIRED' });
    expect((await transitions(id)).map((e) => e.toStatus)).toEqual(['PENDING', 'FAILED']);
  });

  it('ignores duplicate callbacks: one status change, money moved once', async () => {
    await patchEmulator(gw, { duplicateCallbacks: true, duplicateCallbackDelayMs: 0 });
    const res = await gw.request('POST', '/v1/disbursements', paymentBody(ROUTES.transfer, 'UG'));
    await gw.emulator.callbacksIdle();
    const deliveries = (await emulatorControl(gw, 'GET', `/_emulator/callbacks?referenceId=${res.body.id}`)).body as { outcome: string; httpStatus?: number }[];
    expect(deliveries).toHaveLength(2);
    expect(deliveries.every((d) => d.outcome === 'delivered' && d.httpStatus === 200)).toBe(true);

    expect(await settled(gw, '/v1/disbursements', res.body.id)).toMatchObject({ status: 'SUCCESSFUL' });
    expect((await transitions(res.body.id)).map((e) => e.toStatus)).toEqual(['PENDING', 'SUCCESSFUL']);
    expect(ledger(gw).postingsFor(res.body.id)).toHaveLength(1);
  });

  it('ignores late and out-of-order callbacks for a final transaction (stale PENDING, contrary FAILED)', async () => {
    const res = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG'));
    const done = await settled(gw, '/v1/collections', res.body.id);
    expect(done.status).toBe('SUCCESSFUL');
    const url = callbackUrl(res.body.id);
    const before = webhookStats(gw).duplicate;
    const since = mtnMark(gw);

    await sendCallback(url, { status: 'PENDING' });
    await sendCallback(url, { status: 'FAILED', reason: 'INTERNAL_PROCESSING_ERROR' });
    await eventually('both late callbacks handled', () => webhookStats(gw).duplicate >= before + 2);

    const after = await gw.request('GET', `/v1/collections/${res.body.id}`);
    expect(after.body).toEqual(done);
    expect((await transitions(res.body.id)).map((e) => e.toStatus)).toEqual(['PENDING', 'SUCCESSFUL']);
    // A final transaction is not even looked up again.
    expect(mtnRequests(gw, { sinceSeq: since, method: 'GET' }).filter((e) => e.path.endsWith(res.body.id))).toEqual([]);
  });

  it('believes MTN, not the callback: a callback saying SUCCESSFUL for a payment MTN FAILED ends FAILED', async () => {
    await patchEmulator(gw, { callbackDropNext: 1 });
    const res = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG', { phoneNumber: reservedNumber('UG', 1, '04') }));
    expect(res.body.status).toBe('PENDING');
    await gw.emulator.callbacksIdle();

    const answer = await sendCallback(callbackUrl(res.body.id), { status: 'SUCCESSFUL', financialTransactionId: '999999', amount: res.body.amount, currency: 'EUR' });
    expect(answer.status).toBe(200);
    expect(await settled(gw, '/v1/collections', res.body.id)).toMatchObject({ status: 'FAILED', reason: 'NOT_ENOUGH_FUNDS' });
    const view = await gw.request('GET', `/v1/collections/${res.body.id}`);
    expect(view.body.financialTransactionId).toBeUndefined();
    expect(ledger(gw).postingsFor(res.body.id)).toEqual([]);
  });

  it('keeps a transaction PENDING when a callback claims SUCCESSFUL but MTN still says PENDING', async () => {
    const id = await pending();
    const before = webhookStats(gw).confirmed;
    await sendCallback(callbackUrl(id), { status: 'SUCCESSFUL', financialTransactionId: '123' });
    await eventually('callback confirmed with MTN', () => webhookStats(gw).confirmed > before);
    expect((await gw.request('GET', `/v1/collections/${id}`)).body.status).toBe('PENDING');
    expect(await transitions(id)).toHaveLength(1);
  });

  it('settles every product by polling when all callbacks are lost (callbackDropRate 1)', async () => {
    const collected = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'GH', { amount: '50' }));
    expect((await settled(gw, '/v1/collections', collected.body.id)).status).toBe('SUCCESSFUL');
    await patchEmulator(gw, { callbackDropRate: 1 });
    const routes = [ROUTES.requestToPay, ROUTES.withdrawal, ROUTES.transfer, ROUTES.deposit, ROUTES.remittance, ROUTES.cashTransfer];
    const created = await Promise.all(routes.map(async (route) => ({ route, res: await gw.request('POST', route.post, paymentBody(route, 'GH')) })));
    const refund = await gw.request('POST', '/v1/disbursements/refunds', { collectionId: collected.body.id, amount: '20', externalId: `RF_LOST_${String(collected.body.id).slice(0, 8)}` });
    // A refund is read where disbursements are.
    created.push({ route: ROUTES.transfer, res: refund });
    const failing = await gw.request('POST', '/v1/remittances', paymentBody(ROUTES.remittance, 'GH', { phoneNumber: reservedNumber('GH', 1, '02') }));
    await gw.emulator.callbacksIdle();
    const records = (await emulatorControl(gw, 'GET', '/_emulator/callbacks')).body as { referenceId: string; outcome: string }[];
    for (const { route, res } of created) {
      expect(res.status).toBe(202);
      expect(records.filter((r) => r.referenceId === res.body.id).map((r) => r.outcome)).toEqual(['dropped']);
      expect((await gw.request('GET', `${route.base}/${res.body.id}`)).body.status).toBe('PENDING');
    }

    expect(await pollNow(gw)).toBeGreaterThanOrEqual(created.length + 1);
    for (const { route, res } of created) {
      expect((await gw.request('GET', `${route.base}/${res.body.id}`)).body).toMatchObject({ status: 'SUCCESSFUL', financialTransactionId: expect.any(String) });
    }
    expect((await gw.request('GET', `/v1/remittances/${failing.body.id}`)).body).toMatchObject({ status: 'FAILED', reason: 'PAYEE_NOT_FOUND' });
  });

  describe('forged callbacks', () => {
    const UNKNOWN_ID = '6f1c2b7e-3f0a-4c1e-9a55-0d7f4a2b9e10';
    let id: string;
    let url: string;
    beforeAll(async () => {
      id = await pending();
      url = callbackUrl(id);
    });

    const forgeries: [string, (u: string) => string][] = [
      ['a wrong token', (u) => u.replace(/[^/]+$/, 'A'.repeat(43))],
      ['an unknown transaction id', (u) => u.replace(/\/collection\/[^/]+\//, `/collection/${UNKNOWN_ID}/`)],
      ['another product (disbursement) for a collection', (u) => u.replace('/collection/', '/disbursement/')],
      ['a product that does not exist', (u) => u.replace('/collection/', '/payments/')],
      ['an id that is no UUID', (u) => u.replace(/\/collection\/[^/]+\//, '/collection/not-a-uuid/')],
    ];

    it.each(forgeries)('answers 200 to a callback with %s, changes nothing and counts it as forged', async (_name, forge) => {
      const before = webhookStats(gw);
      const since = mtnMark(gw);
      const answer = await sendCallback(forge(url), { status: 'SUCCESSFUL', financialTransactionId: '1', amount: '5000', currency: 'EUR' });
      expect(answer).toEqual({ status: 200, body: { received: true } });
      await eventually('the forged callback counted', () => webhookStats(gw).forged === before.forged + 1);
      expect(webhookStats(gw)).toMatchObject({ confirmed: before.confirmed, duplicate: before.duplicate });

      expect((await gw.request('GET', `/v1/collections/${id}`)).body.status).toBe('PENDING');
      expect(await transitions(id)).toHaveLength(1);
      // Not even a status question to MTN: a forger cannot make us spend MTN's budget.
      expect(mtnRequests(gw, { sinceSeq: since }).filter((e) => e.path.includes(id) || e.path.includes(UNKNOWN_ID))).toEqual([]);
    });
  });
});
