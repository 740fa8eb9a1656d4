import { startGateway, type TestGateway } from '../support/gateway';
import {
  ALWAYS_OK,
  ROUTES,
  mtnCreates,
  mtnMark,
  mtnRequests,
  ordinaryNumber,
  patchEmulator,
  paymentBody,
  reservedNumber,
  settled,
  storedCount,
} from './support';

interface View {
  id: string;
  status: string;
  createdAt: string;
  externalId: string;
  country: string;
  phoneNumber: string;
}

/** The read side: one transaction, lists with filters and cursors, balances, account holders. */
describe('queries', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // No background polls: every request the emulator logs below was caused by the test.
    gw = await startGateway({ env: { POLL_ENABLED: 'false' } });
    await patchEmulator(gw, { longPendingMs: null });
  });
  afterAll(async () => {
    await gw.close();
  });

  async function collect(overrides: Record<string, unknown>, country: 'UG' | 'GH' | 'RW' = 'UG'): Promise<View> {
    const res = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, country, overrides));
    expect(res.status).toBe(202);
    return res.body as View;
  }

  describe('lists', () => {
    const payer = ordinaryNumber('UG', 101);
    const ghPayer = ordinaryNumber('GH', 102);
    let ok: View[];
    let failed: View;
    let pendingOne: View;
    let ghana: View;
    beforeAll(async () => {
      ok = [];
      for (let i = 0; i < 3; i += 1) ok.push(await settled(gw, '/v1/collections', (await collect({ phoneNumber: payer })).id));
      failed = await settled(gw, '/v1/collections', (await collect({ phoneNumber: reservedNumber('UG', 1, '05') })).id);
      pendingOne = await collect({ phoneNumber: reservedNumber('UG', 3, '00') });
      ghana = await settled(gw, '/v1/collections', (await collect({ phoneNumber: ghPayer }, 'GH')).id);
    });

    const ids = (body: { items: View[] }) => body.items.map((t) => t.id);

    it('filters by status', async () => {
      const res = await gw.request('GET', '/v1/collections?status=FAILED');
      expect(res.status).toBe(200);
      expect(ids(res.body)).toEqual([failed.id]);
      expect(res.body.items[0]).toMatchObject({ status: 'FAILED', reason: 'PAYER_LIMIT_REACHED' });
      expect(ids((await gw.request('GET', '/v1/collections?status=PENDING')).body)).toEqual([pendingOne.id]);
    });

    it('filters by externalId', async () => {
      const res = await gw.request('GET', `/v1/collections?externalId=${ok[1]?.externalId}`);
      expect(ids(res.body)).toEqual([ok[1]?.id]);
    });

    it('filters by phone number, written in any accepted form', async () => {
      const pretty = `+${payer.slice(0, 3)} ${payer.slice(3, 6)} ${payer.slice(6, 9)} ${payer.slice(9)}`;
      const res = await gw.request('GET', `/v1/collections?phoneNumber=${encodeURIComponent(pretty)}`);
      expect(res.status).toBe(200);
      expect(ids(res.body)).toEqual(ok.map((t) => t.id).reverse());
      const bad = await gw.request('GET', '/v1/collections?phoneNumber=12345678');
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ code: expect.stringMatching(/INVALID_PHONE_NUMBER|UNSUPPORTED_COUNTRY/), details: [expect.objectContaining({ field: 'phoneNumber' })] });
    });

    it('filters by country', async () => {
      const res = await gw.request('GET', '/v1/collections?country=GH');
      expect(ids(res.body)).toEqual([ghana.id]);
    });

    it('filters by creation time: createdFrom inclusive, createdTo exclusive', async () => {
      const middle = ok[1] as View;
      const from = await gw.request('GET', `/v1/collections?phoneNumber=${payer}&createdFrom=${encodeURIComponent(middle.createdAt)}`);
      expect(ids(from.body)).toEqual([ok[2]?.id, middle.id]);
      const to = await gw.request('GET', `/v1/collections?phoneNumber=${payer}&createdTo=${encodeURIComponent(middle.createdAt)}`);
      expect(ids(to.body)).toEqual([ok[0]?.id]);
    });

    it('lists newest first and pages with a cursor: no item twice, none missing, no cursor on the last page', async () => {
      const walker = ordinaryNumber('RW', 103);
      const created: string[] = [];
      for (let i = 0; i < 7; i += 1) created.push((await collect({ phoneNumber: walker }, 'RW')).id);
      const seen: string[] = [];
      let cursor: string | undefined;
      const sizes: number[] = [];
      do {
        const res = await gw.request('GET', `/v1/collections?phoneNumber=${walker}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.status).toBe(200);
        sizes.push(res.body.items.length);
        seen.push(...ids(res.body));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(sizes).toEqual([3, 3, 1]);
      expect(seen).toEqual([...created].reverse());
    });

    it('refuses a cursor that is not one of ours with 400', async () => {
      const res = await gw.request('GET', '/v1/collections?cursor=not-a-cursor');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'cursor' })] });
    });

    it("lists only the product's own transactions", async () => {
      const transfer = await gw.request('POST', '/v1/disbursements', paymentBody(ROUTES.transfer, 'UG', { phoneNumber: payer }));
      const disbursements = await gw.request('GET', `/v1/disbursements?phoneNumber=${payer}`);
      expect(ids(disbursements.body)).toEqual([transfer.body.id]);
      const collections = await gw.request('GET', `/v1/collections?phoneNumber=${payer}`);
      expect(ids(collections.body)).not.toContain(transfer.body.id);
    });
  });

  describe('one transaction', () => {
    it("answers 404 NOT_FOUND for another product's id, an unknown id and a malformed id", async () => {
      const collection = await collect({});
      for (const route of [`/v1/disbursements/${collection.id}`, `/v1/remittances/${collection.id}`, '/v1/collections/6f1c2b7e-3f0a-4c1e-9a55-0d7f4a2b9e10', '/v1/collections/nope']) {
        const res = await gw.request('GET', route);
        expect({ route, status: res.status }).toEqual({ route, status: 404 });
        expect(res.body).toMatchObject({ code: 'NOT_FOUND', retryable: false, requestId: expect.any(String) });
      }
      expect((await gw.request('GET', `/v1/collections/${collection.id}`)).status).toBe(200);
    });

    it('shows nothing internal: no callback token, request hash, account or poll state', async () => {
      const collection = await collect({ payerMessage: 'Order 42', payeeNote: 'Thanks' });
      const view = await settled(gw, '/v1/collections', collection.id);
      expect(Object.keys(view).sort()).toEqual(
        ['amount', 'completedAt', 'country', 'createdAt', 'currency', 'externalId', 'financialTransactionId', 'id', 'operation', 'payeeNote', 'payerMessage', 'phoneNumber', 'product', 'status', 'updatedAt'].sort(),
      );
    });
  });

  describe('balance', () => {
    it.each([
      ['/v1/collections/balance?country=UG'],
      ['/v1/disbursements/balance?country=GH'],
      ['/v1/remittances/balance?country=RW'],
    ])('answers %s with the account balance as a decimal string', async (route) => {
      const res = await gw.request('GET', route);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ availableBalance: expect.stringMatching(/^\d+(\.\d+)?$/), currency: expect.stringMatching(/^[A-Z]{3}$/) });
    });

    it('refuses an unknown market and a malformed country', async () => {
      const unknown = await gw.request('GET', '/v1/collections/balance?country=FR');
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ code: 'UNSUPPORTED_COUNTRY', details: [expect.objectContaining({ field: 'country' })] });
      const malformed = await gw.request('GET', '/v1/collections/balance?country=uganda');
      expect(malformed.status).toBe(400);
      expect(malformed.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'country' })] });
      const missing = await gw.request('GET', '/v1/collections/balance');
      expect(missing.status).toBe(400);
    });
  });

  describe('account holders', () => {
    it('says an active number is active and gives the basic user info names', async () => {
      const res = await gw.request('GET', `/v1/collections/account-holders/${encodeURIComponent('+256 774 123 456')}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ phoneNumber: '256774123456', country: 'UG', active: true, givenName: 'Sand', familyName: 'Box' });
    });

    it.each([
      ['a registered but inactive number', reservedNumber('GH', 1, '02'), 'GH'],
      ['a number MTN refuses as not found', reservedNumber('RW', 2, '01'), 'RW'],
      ['an MTN sandbox number that does not exist (with country)', '46733123450?country=UG', 'UG'],
    ])('answers active:false for %s, without names', async (_name, number, country) => {
      const res = await gw.request('GET', `/v1/disbursements/account-holders/${number}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ active: false, country });
      expect(res.body.givenName).toBeUndefined();
    });

    it('refuses a malformed number with 400 INVALID_PHONE_NUMBER', async () => {
      const res = await gw.request('GET', '/v1/remittances/account-holders/12ab');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'INVALID_PHONE_NUMBER', details: [expect.objectContaining({ field: 'phoneNumber' })] });
    });
  });

  describe('checkPayee', () => {
    it('refuses a transfer to an inactive number with 422 PAYEE_NOT_FOUND, storing and sending nothing', async () => {
      const since = mtnMark(gw);
      const body = paymentBody(ROUTES.transfer, 'UG', { phoneNumber: reservedNumber('UG', 1, '02'), checkPayee: true });
      const res = await gw.request('POST', '/v1/disbursements', body);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'PAYEE_NOT_FOUND', retryable: false, details: [expect.objectContaining({ field: 'phoneNumber' })] });
      expect(await storedCount(gw, 'external_id = $1', [body.externalId])).toBe(0);
      expect(mtnCreates(gw, since)).toEqual([]);
    });

    it('refuses a deposit to an inactive number the same way', async () => {
      const res = await gw.request('POST', '/v1/disbursements/deposits', paymentBody(ROUTES.deposit, 'GH', { phoneNumber: reservedNumber('GH', 1, '01'), checkPayee: true }));
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('PAYEE_NOT_FOUND');
    });

    it('validates the request before asking MTN about the payee', async () => {
      const since = mtnMark(gw);
      const res = await gw.request('POST', '/v1/disbursements', paymentBody(ROUTES.transfer, 'UG', { phoneNumber: reservedNumber('UG', 1, '02'), currency: 'GHS', checkPayee: true }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('CURRENCY_MISMATCH');
      const over = await gw.request('POST', '/v1/disbursements', paymentBody(ROUTES.transfer, 'UG', { amount: '4000001', checkPayee: true }));
      expect(over.body.code).toBe('AMOUNT_ABOVE_MAXIMUM');
      expect(mtnRequests(gw, { sinceSeq: since })).toEqual([]);
    });

    it('pays an active number after checking it', async () => {
      const res = await gw.request('POST', '/v1/disbursements', paymentBody(ROUTES.transfer, 'UG', { phoneNumber: ALWAYS_OK.UG, checkPayee: true }));
      expect(res.status).toBe(202);
      expect((await settled(gw, '/v1/disbursements', res.body.id)).status).toBe('SUCCESSFUL');
    });
  });
});
