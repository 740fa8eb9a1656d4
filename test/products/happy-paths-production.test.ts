import { startGateway, type TestGateway } from '../support/gateway';
import {
  ALWAYS_OK,
  COUNTRIES,
  CURRENCY,
  ROUTES,
  accountLedgerId,
  discrepancies,
  expectConserved,
  ledger,
  mtnCreates,
  mtnMark,
  paymentBody,
  referenceIdOf,
  settled,
  units,
  walletId,
  type Country,
  type ProductRoute,
} from './support';

/**
 * Production mode: one MTN account (API user, target environment) per market, and MTN gets the
 * market's own currency. The same operations must reach the right market's account, in UGX, GHS
 * and RWF, and move the money exactly once.
 */
describe('happy paths in production mode (one MTN account per market)', () => {
  let gw: TestGateway;
  const apiUserByEnvironment = new Map<string, string>();
  beforeAll(async () => {
    gw = await startGateway({ mode: 'production' });
    for (const user of gw.emulator.state.users.list()) apiUserByEnvironment.set(user.targetEnvironment, user.id);
  });
  afterAll(async () => {
    await gw.close();
  });

  const ENVIRONMENT: Record<Country, string> = { UG: 'mtnuganda', GH: 'mtnghana', RW: 'mtnrwanda' };
  const operations: ProductRoute[] = [ROUTES.requestToPay, ROUTES.transfer, ROUTES.deposit, ROUTES.remittance, ROUTES.cashTransfer];

  describe.each(COUNTRIES.map((c) => [c] as [Country]))('%s', (country) => {
    it.each(operations.map((r) => [r.name, r] as [string, ProductRoute]))('%s reaches the market account in its own currency, money moved once', async (_name, route) => {
      const since = mtnMark(gw);
      const currency = CURRENCY[country];
      const apiUser = apiUserByEnvironment.get(ENVIRONMENT[country]);
      expect(apiUser).toBeDefined();
      const wallet = walletId(ALWAYS_OK[country], currency);
      const account = accountLedgerId(apiUser ?? '', route.product, currency);
      const before = ledger(gw);
      const body = paymentBody(route, country);

      const created = await gw.request('POST', route.post, body);
      expect(created.status).toBe(202);
      const done = await settled(gw, route.base, created.body.id);
      expect(done).toMatchObject({ status: 'SUCCESSFUL', amount: body.amount, currency, country });

      const [create] = mtnCreates(gw, since, route.mtnCreate);
      expect(create && referenceIdOf(create)).toBe(created.body.id);
      expect(create?.headers['x-target-environment']).toBe(ENVIRONMENT[country]);
      expect(JSON.parse(create?.body ?? '{}')).toMatchObject({ amount: body.amount, currency });

      const after = ledger(gw);
      const amount = units(String(body.amount));
      const [from, to] = route.direction === 'in' ? [wallet, account] : [account, wallet];
      expect(before.balance(from) - after.balance(from)).toBe(amount);
      expect(after.balance(to) - before.balance(to)).toBe(amount);
      expect(after.postingsFor(created.body.id)).toHaveLength(1);
      expectConserved(after);
      // MTN's report (its amount and currency) agrees with what was stored: nothing to reconcile.
      expect(await discrepancies(gw, created.body.id)).toEqual([]);
    });
  });

  it('refunds a Ugandan collection partly and then fully from the Ugandan disbursement account, in UGX', async () => {
    const collection = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG', { amount: '8000' }));
    expect((await settled(gw, '/v1/collections', collection.body.id)).status).toBe('SUCCESSFUL');
    const account = accountLedgerId(apiUserByEnvironment.get('mtnuganda') ?? '', 'disbursement', 'UGX');
    const wallet = walletId(ALWAYS_OK.UG, 'UGX');
    const before = ledger(gw);

    const part = await gw.request('POST', '/v1/disbursements/refunds', { collectionId: collection.body.id, amount: '3000', externalId: `PRF_1_${String(collection.body.id).slice(0, 8)}` });
    expect(part.status).toBe(202);
    expect((await settled(gw, '/v1/disbursements', part.body.id)).status).toBe('SUCCESSFUL');
    const rest = await gw.request('POST', '/v1/disbursements/refunds', { collectionId: collection.body.id, externalId: `PRF_2_${String(collection.body.id).slice(0, 8)}` });
    expect(rest.status).toBe(202);
    expect(rest.body).toMatchObject({ amount: '5000', currency: 'UGX' });
    expect((await settled(gw, '/v1/disbursements', rest.body.id)).status).toBe('SUCCESSFUL');

    const after = ledger(gw);
    expect(before.balance(account) - after.balance(account)).toBe(units('8000'));
    expect(after.balance(wallet) - before.balance(wallet)).toBe(units('8000'));
    expectConserved(after);

    const more = await gw.request('POST', '/v1/disbursements/refunds', { collectionId: collection.body.id, amount: '1', externalId: `PRF_3_${String(collection.body.id).slice(0, 8)}` });
    expect(more.status).toBe(422);
    expect(more.body.code).toBe('REFUND_EXCEEDS_COLLECTED');
  });

  it('refuses a market without an MTN account (Nigeria here) with 400 UNSUPPORTED_COUNTRY, storing and sending nothing', async () => {
    const since = mtnMark(gw);
    const res = await gw.request('POST', '/v1/collections', { amount: '1000', currency: 'NGN', phoneNumber: '2348031234567', externalId: `NG_${Date.now()}` });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'UNSUPPORTED_COUNTRY', retryable: false, details: [expect.objectContaining({ field: 'phoneNumber' })] });
    expect(mtnCreates(gw, since)).toEqual([]);
    expect((await gw.request('GET', '/v1/collections?country=NG')).body.items).toEqual([]);
  });

  it('refuses the MTN sandbox test numbers in production mode', async () => {
    const res = await gw.request('POST', '/v1/collections', { amount: '1000', currency: 'UGX', phoneNumber: '46733123450', country: 'UG', externalId: `MTN_${Date.now()}` });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: expect.stringMatching(/INVALID_PHONE_NUMBER|UNSUPPORTED_COUNTRY/), details: [expect.objectContaining({ field: 'phoneNumber' })] });
  });

  it('answers the balance of the market account in its own currency', async () => {
    const balance = await gw.request('GET', '/v1/collections/balance?country=GH');
    expect(balance.status).toBe(200);
    expect(balance.body).toEqual({ availableBalance: expect.stringMatching(/^\d+(\.\d+)?$/), currency: 'GHS' });
  });
});
