import { startGateway, type TestGateway } from '../support/gateway';
import {
  ROUTES,
  emulatorControl,
  mtnCreates,
  mtnMark,
  ordinaryNumber,
  patchEmulator,
  paymentBody,
  settled,
  storedCount,
  type Country,
} from './support';

/**
 * The guide's limits per market (min, max per transaction, daily per payer and product), the KYC
 * tier that raises them, and the daily limit given back by a payment that fails.
 */
describe('amount limits', () => {
  let gw: TestGateway;
  let n = 0;
  const fresh = (country: Country) => ordinaryNumber(country, (n += 1));

  beforeAll(async () => {
    gw = await startGateway();
    // Mode-3 numbers stay PENDING until a test completes them by hand.
    await patchEmulator(gw, { longPendingMs: null });
  });
  afterAll(async () => {
    await gw.close();
  });

  const collect = (country: Country, amount: string, extra: Record<string, unknown> = {}) =>
    gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, country, { amount, phoneNumber: fresh(country), ...extra }));

  const perTransaction: [Country, string, string, string, string, string][] = [
    // country, currency, below min, min, max, above max
    ['UG', 'UGX', '999', '1000', '4000000', '4000001'],
    ['GH', 'GHS', '0.99', '1', '10000.00', '10000.01'],
    ['RW', 'RWF', '99', '100', '5000000', '5000001'],
  ];

  describe.each(perTransaction)('%s (%s)', (country, currency, below, min, max, above) => {
    it(`refuses ${below} with 422 AMOUNT_BELOW_MINIMUM (min ${min}), sending nothing`, async () => {
      const since = mtnMark(gw);
      const res = await collect(country, below);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'AMOUNT_BELOW_MINIMUM', retryable: false, details: [expect.objectContaining({ field: 'amount', min, currency })] });
      expect(mtnCreates(gw, since)).toEqual([]);
    });

    it(`accepts exactly the minimum ${min} and the maximum ${max}`, async () => {
      const low = await collect(country, min);
      expect(low.status).toBe(202);
      const high = await collect(country, max);
      expect(high.status).toBe(202);
      expect((await settled(gw, '/v1/collections', high.body.id)).status).toBe('SUCCESSFUL');
    });

    it(`refuses ${above} with 422 AMOUNT_ABOVE_MAXIMUM`, async () => {
      const res = await collect(country, above);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'AMOUNT_ABOVE_MAXIMUM', details: [expect.objectContaining({ field: 'amount', max: max.replace(/\.00$/, ''), kycLevel: 'basic' })] });
    });
  });

  const daily: [Country, string[], string, string][] = [
    // country, payments that fill the day exactly, one more (refused), remaining
    ['UG', ['4000000', '4000000', '2000000'], '1000', '0'],
    ['GH', ['10000', '10000', '10000', '10000', '9999.50'], '1', '0.50'],
    ['RW', ['5000000', '4999900'], '101', '100'],
  ];

  it.each(daily)('%s: fills the daily limit exactly, then refuses the next payment with 422 DAILY_LIMIT_EXCEEDED', async (country, fill, extra, remaining) => {
    const phoneNumber = fresh(country);
    for (const amount of fill) {
      const res = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, country, { amount, phoneNumber }));
      expect(res.status).toBe(202);
    }
    const since = mtnMark(gw);
    const over = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, country, { amount: extra, phoneNumber, externalId: `OVER_${country}_${n}` }));
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ code: 'DAILY_LIMIT_EXCEEDED', retryable: false, details: [expect.objectContaining({ field: 'amount', remaining })] });
    expect(mtnCreates(gw, since)).toEqual([]);
    expect(await storedCount(gw, 'external_id = $1', [`OVER_${country}_${n}`])).toBe(0);
    // The limit is per product: the same number may still be paid out to.
    const payout = await gw.request('POST', '/v1/disbursements', paymentBody(ROUTES.transfer, country, { amount: extra, phoneNumber }));
    expect(payout.status).toBe(202);
  });

  it('never lets concurrent payments of one payer past the daily limit', async () => {
    const phoneNumber = fresh('UG');
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG', { amount: '4000000', phoneNumber }))),
    );
    expect(answers.filter((a) => a.status === 202)).toHaveLength(2);
    expect(answers.filter((a) => a.status === 422).map((a) => a.body.code as string)).toEqual(Array(3).fill('DAILY_LIMIT_EXCEEDED'));
    expect(await storedCount(gw, 'msisdn = $1', [phoneNumber])).toBe(2);
  });

  it('raises the per-transaction maximum with kycLevel: standard 8,000,000 UGX, full 20,000,000 UGX', async () => {
    const standard = await collect('UG', '8000000', { kycLevel: 'standard' });
    expect(standard.status).toBe(202);
    const standardOver = await collect('UG', '8000001', { kycLevel: 'standard' });
    expect(standardOver.status).toBe(422);
    expect(standardOver.body).toMatchObject({ code: 'AMOUNT_ABOVE_MAXIMUM', details: [expect.objectContaining({ max: '8000000', kycLevel: 'standard' })] });
    const full = await collect('UG', '20000000', { kycLevel: 'full' });
    expect(full.status).toBe(202);
    const basic = await collect('UG', '8000000', { kycLevel: 'basic' });
    expect(basic.status).toBe(422);
  });

  it('raises the daily limit with kycLevel: standard allows 20,000,000 UGX a day', async () => {
    const phoneNumber = fresh('UG');
    for (const amount of ['8000000', '8000000', '4000000']) {
      const res = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG', { amount, phoneNumber, kycLevel: 'standard' }));
      expect(res.status).toBe(202);
    }
    const over = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG', { amount: '1000', phoneNumber, kycLevel: 'standard' }));
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('DAILY_LIMIT_EXCEEDED');
  });

  it('refuses an unknown kycLevel with 400 VALIDATION_FAILED naming the field', async () => {
    const res = await collect('UG', '1000', { kycLevel: 'gold' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'kycLevel' })] });
  });

  it('gives a payment that FAILED after acceptance back to the daily limit', async () => {
    // 256770000310: MTN keeps it PENDING, then fails it (EXPIRED) when completed.
    const phoneNumber = '256770000310';
    const first = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG', { amount: '4000000', phoneNumber }));
    const second = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG', { amount: '4000000', phoneNumber }));
    expect([first.status, second.status]).toEqual([202, 202]);
    const tooMuch = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG', { amount: '2000001', phoneNumber }));
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toMatchObject({ code: 'DAILY_LIMIT_EXCEEDED', details: [expect.objectContaining({ remaining: '2000000' })] });

    await emulatorControl(gw, 'POST', `/_emulator/transactions/${first.body.id}/complete`);
    expect(await settled(gw, '/v1/collections', first.body.id)).toMatchObject({ status: 'FAILED', reason: 'EXPIRED' });

    const fits = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG', { amount: '4000000', phoneNumber }));
    expect(fits.status).toBe(202);
    const stillOver = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG', { amount: '2000001', phoneNumber }));
    expect(stillOver.status).toBe(422);
  });

  it('gives a payment MTN refused at once back to the daily limit', async () => {
    // 256770000201: refused with PAYER_NOT_FOUND every time. Without the release, the third
    // 4,000,000 would exceed the 10,000,000 day and be refused as DAILY_LIMIT_EXCEEDED instead.
    const phoneNumber = '256770000201';
    for (let i = 0; i < 3; i += 1) {
      const res = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG', { amount: '4000000', phoneNumber }));
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('PAYER_NOT_FOUND');
    }
  });
});
