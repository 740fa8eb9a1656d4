import { startGateway, type TestGateway } from '../support/gateway';
import {
  ALWAYS_OK,
  COUNTRIES,
  CURRENCY,
  ROUTES,
  accountLedgerId,
  discrepancies,
  apiUserOf,
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
 * Every money-moving operation in Uganda, Ghana and Rwanda, in sandbox mode (MTN sees EUR, our
 * rules and responses keep the market's currency). The emulator's ledger proves that money moved
 * exactly once, by the amount, between the customer's wallet and the product's account.
 */
describe('happy paths in sandbox mode (UG, GH, RW)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ mode: 'sandbox' });
  });
  afterAll(async () => {
    await gw.close();
  });

  const operations: ProductRoute[] = [ROUTES.requestToPay, ROUTES.withdrawal, ROUTES.transfer, ROUTES.deposit, ROUTES.remittance, ROUTES.cashTransfer];

  describe.each(COUNTRIES.map((c) => [c] as [Country]))('%s', (country) => {
    it.each(operations.map((r) => [r.name, r] as [string, ProductRoute]))('%s: 202 PENDING, then SUCCESSFUL, money moved once', async (_name, route) => {
      const since = mtnMark(gw);
      const before = ledger(gw);
      const wallet = walletId(ALWAYS_OK[country], 'EUR');
      const account = accountLedgerId(apiUserOf(gw, route.product), route.product, 'EUR');
      const body = paymentBody(route, country);

      const created = await gw.request('POST', route.post, body);
      expect(created.status).toBe(202);
      expect(created.body).toMatchObject({
        product: route.product,
        amount: body.amount,
        currency: CURRENCY[country],
        country,
        phoneNumber: ALWAYS_OK[country],
        externalId: body.externalId,
      });
      // The callback may already have settled it before the 202 was written.
      expect(['PENDING', 'SUCCESSFUL']).toContain(created.body.status);
      const done = await settled(gw, route.base, created.body.id);
      expect(done).toMatchObject({ id: created.body.id, status: 'SUCCESSFUL', currency: CURRENCY[country], financialTransactionId: expect.any(String) });
      expect(done.reason).toBeUndefined();

      // One create at MTN, under the transaction's own id, in EUR (sandbox) for the same amount.
      const creates = mtnCreates(gw, since, route.mtnCreate);
      expect(creates.map(referenceIdOf)).toEqual([created.body.id]);
      expect(JSON.parse(creates[0]?.body ?? '{}')).toMatchObject({ amount: body.amount, currency: 'EUR', externalId: body.externalId });

      const after = ledger(gw);
      const amount = units(String(body.amount));
      const [from, to] = route.direction === 'in' ? [wallet, account] : [account, wallet];
      expect(before.balance(from) - after.balance(from)).toBe(amount);
      expect(after.balance(to) - before.balance(to)).toBe(amount);
      const postings = after.postingsFor(created.body.id);
      expect(postings).toEqual([expect.objectContaining({ currency: 'EUR', from, to })]);
      expect(units(postings[0]?.amount ?? '0')).toBe(amount);
      expectConserved(after);
      // MTN's report (its amount and currency) agrees with what was stored: nothing to reconcile.
      expect(await discrepancies(gw, created.body.id)).toEqual([]);
    });
  });

  describe('refunds of a SUCCESSFUL collection', () => {
    async function collect(country: Country, amount: string, phoneNumber = ALWAYS_OK[country]): Promise<string> {
      const created = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, country, { amount, phoneNumber }));
      expect(created.status).toBe(202);
      const done = await settled(gw, '/v1/collections', created.body.id);
      expect(done.status).toBe('SUCCESSFUL');
      return created.body.id as string;
    }

    it('refunds part, then the rest (no amount = what is left), moving the money back each time', async () => {
      const collectionId = await collect('UG', '10000');
      const wallet = walletId(ALWAYS_OK.UG, 'EUR');
      const account = accountLedgerId(apiUserOf(gw, 'disbursement'), 'disbursement', 'EUR');
      const before = ledger(gw);

      const partial = await gw.request('POST', '/v1/disbursements/refunds', { collectionId, amount: '4000', externalId: `RF_PART_${collectionId.slice(0, 8)}` });
      expect(partial.status).toBe(202);
      expect(partial.body).toMatchObject({ product: 'disbursement', operation: 'refund', amount: '4000', currency: 'UGX', parentId: collectionId, phoneNumber: ALWAYS_OK.UG });
      expect(await settled(gw, '/v1/disbursements', partial.body.id)).toMatchObject({ status: 'SUCCESSFUL' });

      const rest = await gw.request('POST', '/v1/disbursements/refunds', { collectionId, externalId: `RF_REST_${collectionId.slice(0, 8)}` });
      expect(rest.status).toBe(202);
      expect(rest.body).toMatchObject({ amount: '6000', currency: 'UGX', parentId: collectionId });
      expect(await settled(gw, '/v1/disbursements', rest.body.id)).toMatchObject({ status: 'SUCCESSFUL' });

      const after = ledger(gw);
      expect(before.balance(account) - after.balance(account)).toBe(units('10000'));
      expect(after.balance(wallet) - before.balance(wallet)).toBe(units('10000'));
      expect(after.postingsFor(partial.body.id)).toEqual([expect.objectContaining({ amount: '4000', from: account, to: wallet })]);
      expect(after.postingsFor(rest.body.id)).toEqual([expect.objectContaining({ amount: '6000', from: account, to: wallet })]);
      expectConserved(after);
    });

    it('refunds a whole collection in one go (GHS, with decimals)', async () => {
      const collectionId = await collect('GH', '25.75');
      const refund = await gw.request('POST', '/v1/disbursements/refunds', { collectionId, amount: '25.75', externalId: `RF_FULL_${collectionId.slice(0, 8)}` });
      expect(refund.status).toBe(202);
      expect(refund.body).toMatchObject({ amount: '25.75', currency: 'GHS', country: 'GH' });
      expect(await settled(gw, '/v1/disbursements', refund.body.id)).toMatchObject({ status: 'SUCCESSFUL' });
      const postings = ledger(gw).postingsFor(refund.body.id);
      expect(postings).toEqual([expect.objectContaining({ currency: 'EUR' })]);
      expect(units(postings[0]?.amount ?? '0')).toBe(units('25.75'));
    });

    it('refuses a refund beyond what was collected with 422 REFUND_EXCEEDS_COLLECTED, storing and sending nothing', async () => {
      const collectionId = await collect('RW', '1000');
      const first = await gw.request('POST', '/v1/disbursements/refunds', { collectionId, amount: '600', externalId: `RF_A_${collectionId.slice(0, 8)}` });
      expect(first.status).toBe(202);
      const since = mtnMark(gw);

      const tooMuch = await gw.request('POST', '/v1/disbursements/refunds', { collectionId, amount: '401', externalId: `RF_B_${collectionId.slice(0, 8)}` });
      expect(tooMuch.status).toBe(422);
      expect(tooMuch.body).toMatchObject({ code: 'REFUND_EXCEEDS_COLLECTED', retryable: false, details: [expect.objectContaining({ field: 'amount', refundable: '400', collected: '1000' })] });
      expect(mtnCreates(gw, since)).toEqual([]);
      const refunds = await gw.request('GET', `/v1/disbursements?externalId=RF_B_${collectionId.slice(0, 8)}`);
      expect(refunds.body.items).toEqual([]);

      const exact = await gw.request('POST', '/v1/disbursements/refunds', { collectionId, amount: '400', externalId: `RF_C_${collectionId.slice(0, 8)}` });
      expect(exact.status).toBe(202);
    });

    it('never refunds more than was collected, however many refunds arrive at once', async () => {
      const collectionId = await collect('UG', '5000');
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => gw.request('POST', '/v1/disbursements/refunds', { collectionId, amount: '1000', externalId: `RF_C${i}_${collectionId.slice(0, 8)}` })),
      );
      const accepted = answers.filter((a) => a.status === 202);
      expect(accepted).toHaveLength(5);
      expect(answers.filter((a) => a.status === 422).map((a) => a.body.code as string)).toEqual(Array(3).fill('REFUND_EXCEEDS_COLLECTED'));
      for (const a of accepted) expect((await settled(gw, '/v1/disbursements', a.body.id)).status).toBe('SUCCESSFUL');
      const moved = accepted.reduce((sum, a) => sum + units(ledger(gw).postingsFor(a.body.id)[0]?.amount ?? '0'), 0n);
      expect(moved).toBe(units('5000'));
    });

    it('refuses to refund a FAILED collection with 422 REFUND_NOT_ALLOWED', async () => {
      const failed = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG', { phoneNumber: '256770000104' }));
      expect(failed.status).toBe(202);
      expect(await settled(gw, '/v1/collections', failed.body.id)).toMatchObject({ status: 'FAILED', reason: 'NOT_ENOUGH_FUNDS' });
      const since = mtnMark(gw);

      const refund = await gw.request('POST', '/v1/disbursements/refunds', { collectionId: failed.body.id, externalId: `RF_F_${String(failed.body.id).slice(0, 8)}` });
      expect(refund.status).toBe(422);
      expect(refund.body).toMatchObject({ code: 'REFUND_NOT_ALLOWED', retryable: false, requestId: expect.any(String), details: [expect.objectContaining({ field: 'collectionId' })] });
      expect(mtnCreates(gw, since)).toEqual([]);
    });

    it('refuses to refund a collection that is still PENDING with 422 REFUND_NOT_ALLOWED', async () => {
      // Mode 3, reason 00: MTN keeps it PENDING (until longPendingMs), then it succeeds.
      const pending = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'GH', { phoneNumber: '233240000300' }));
      expect(pending.status).toBe(202);
      expect(pending.body.status).toBe('PENDING');
      const refund = await gw.request('POST', '/v1/disbursements/refunds', { collectionId: pending.body.id, amount: '1', externalId: `RF_P_${String(pending.body.id).slice(0, 8)}` });
      expect(refund.status).toBe(422);
      expect(refund.body.code).toBe('REFUND_NOT_ALLOWED');
    });

    it('refuses to refund a disbursement (only collections are refundable)', async () => {
      const transfer = await gw.request('POST', '/v1/disbursements', paymentBody(ROUTES.transfer, 'UG'));
      await settled(gw, '/v1/disbursements', transfer.body.id);
      const refund = await gw.request('POST', '/v1/disbursements/refunds', { collectionId: transfer.body.id, externalId: `RF_D_${String(transfer.body.id).slice(0, 8)}` });
      expect(refund.status).toBe(422);
      expect(refund.body.code).toBe('REFUND_NOT_ALLOWED');
    });
  });
});
