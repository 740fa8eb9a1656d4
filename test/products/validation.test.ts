import { startGateway, type TestGateway } from '../support/gateway';
import { ROUTES, externalId, mtnMark, mtnRequests, paymentBody, settled, storedCount } from './support';

/**
 * Requests the gateway must refuse before anything happens: every 4xx carries our `code`, names
 * the offending field in `details`, and neither a row is stored nor a request sent to MTN.
 */
describe('request validation', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // No background polls: every request the emulator logs below was caused by the test.
    gw = await startGateway({ env: { POLL_ENABLED: 'false' } });
  });
  afterAll(async () => {
    await gw.close();
  });

  interface Case {
    name: string;
    route?: string;
    body: (base: Record<string, unknown>) => unknown;
    headers?: Record<string, string>;
    status: number;
    code: string;
    field: string;
  }

  const ug = () => paymentBody(ROUTES.requestToPay, 'UG');
  const long = 'x'.repeat(161);
  const cases: Case[] = [
    { name: 'amount in exponent form "1e3"', body: (b) => ({ ...b, amount: '1e3' }), status: 400, code: 'VALIDATION_FAILED', field: 'amount' },
    { name: 'negative amount "-5"', body: (b) => ({ ...b, amount: '-5' }), status: 400, code: 'VALIDATION_FAILED', field: 'amount' },
    { name: 'amount as a JSON number 1000', body: (b) => ({ ...b, amount: 1000 }), status: 400, code: 'VALIDATION_FAILED', field: 'amount' },
    { name: 'amount with a thousands separator "1,000"', body: (b) => ({ ...b, amount: '1,000' }), status: 400, code: 'VALIDATION_FAILED', field: 'amount' },
    { name: 'zero amount "0"', body: (b) => ({ ...b, amount: '0' }), status: 400, code: 'INVALID_AMOUNT', field: 'amount' },
    { name: 'decimals UGX does not have "1000.5"', body: (b) => ({ ...b, amount: '1000.5' }), status: 400, code: 'INVALID_AMOUNT', field: 'amount' },
    { name: 'three decimals in GHS "12.505"', body: () => paymentBody(ROUTES.requestToPay, 'GH', { amount: '12.505' }), status: 400, code: 'INVALID_AMOUNT', field: 'amount' },
    { name: 'missing amount', body: ({ amount: _a, ...b }) => b, status: 400, code: 'VALIDATION_FAILED', field: 'amount' },
    { name: 'GHS for a Ugandan number', body: (b) => ({ ...b, currency: 'GHS' }), status: 400, code: 'CURRENCY_MISMATCH', field: 'currency' },
    { name: 'EUR (MTN sandbox currency) for a Ugandan number', body: (b) => ({ ...b, currency: 'EUR' }), status: 400, code: 'CURRENCY_MISMATCH', field: 'currency' },
    { name: 'lower-case currency "ugx"', body: (b) => ({ ...b, currency: 'ugx' }), status: 400, code: 'VALIDATION_FAILED', field: 'currency' },
    { name: 'phone number with letters', body: (b) => ({ ...b, phoneNumber: '25677ABC3456' }), status: 400, code: 'INVALID_PHONE_NUMBER', field: 'phoneNumber' },
    { name: 'phone number one digit short', body: (b) => ({ ...b, phoneNumber: '25677412345' }), status: 400, code: 'INVALID_PHONE_NUMBER', field: 'phoneNumber' },
    { name: 'national phone number without a country', body: (b) => ({ ...b, phoneNumber: '0774123456' }), status: 400, code: 'INVALID_PHONE_NUMBER', field: 'phoneNumber' },
    { name: 'Ghanaian number with country UG', body: (b) => ({ ...b, phoneNumber: '233244000000', country: 'UG' }), status: 400, code: 'INVALID_PHONE_NUMBER', field: 'phoneNumber' },
    { name: 'number of a market outside the 11', body: (b) => ({ ...b, phoneNumber: '+44 7911 123456' }), status: 400, code: 'UNSUPPORTED_COUNTRY', field: 'phoneNumber' },
    { name: 'MTN sandbox test number without a country', body: (b) => ({ ...b, phoneNumber: '46733123450' }), status: 400, code: 'INVALID_PHONE_NUMBER', field: 'phoneNumber' },
    { name: 'payerMessage over 160 characters', body: (b) => ({ ...b, payerMessage: long }), status: 400, code: 'VALIDATION_FAILED', field: 'payerMessage' },
    { name: 'payerMessage with &', body: (b) => ({ ...b, payerMessage: 'Fish & chips' }), status: 400, code: 'VALIDATION_FAILED', field: 'payerMessage' },
    { name: "payerMessage with '", body: (b) => ({ ...b, payerMessage: "Joe's order" }), status: 400, code: 'VALIDATION_FAILED', field: 'payerMessage' },
    { name: 'payeeNote over 160 characters', body: (b) => ({ ...b, payeeNote: long }), status: 400, code: 'VALIDATION_FAILED', field: 'payeeNote' },
    { name: 'payeeNote with &', body: (b) => ({ ...b, payeeNote: 'A&B' }), status: 400, code: 'VALIDATION_FAILED', field: 'payeeNote' },
    { name: 'externalId with a space', body: (b) => ({ ...b, externalId: 'ORDER 1' }), status: 400, code: 'VALIDATION_FAILED', field: 'externalId' },
    { name: 'an unknown field', body: (b) => ({ ...b, amout: '1000' }), status: 400, code: 'VALIDATION_FAILED', field: 'amout' },
    { name: 'an unknown nested field', body: (b) => ({ ...b, payer: { partyId: '256774123456' } }), status: 400, code: 'VALIDATION_FAILED', field: 'payer' },
    { name: 'a country that is not ISO alpha-2', body: (b) => ({ ...b, country: 'Uganda' }), status: 400, code: 'VALIDATION_FAILED', field: 'country' },
    { name: 'Idempotency-Key with a space', body: (b) => b, headers: { 'idempotency-key': 'my key' }, status: 400, code: 'VALIDATION_FAILED', field: 'Idempotency-Key' },
    { name: 'Idempotency-Key over 128 characters', body: (b) => b, headers: { 'idempotency-key': 'k'.repeat(129) }, status: 400, code: 'VALIDATION_FAILED', field: 'Idempotency-Key' },
    { name: 'checkPayee that is not a boolean', route: '/v1/disbursements', body: (b) => ({ ...b, checkPayee: 'yes' }), status: 400, code: 'VALIDATION_FAILED', field: 'checkPayee' },
    {
      name: 'cash transfer without the sender identity',
      route: '/v1/remittances/cash-transfers',
      body: (b) => ({ ...b, originatingCountry: 'GB', originalAmount: '20.00', originalCurrency: 'GBP' }),
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'payerIdentificationType',
    },
    { name: 'refund of a collectionId that is no UUID', route: '/v1/disbursements/refunds', body: () => ({ collectionId: 'abc', externalId: externalId('RF') }), status: 400, code: 'VALIDATION_FAILED', field: 'collectionId' },
    {
      name: 'refund with an amount as a JSON number',
      route: '/v1/disbursements/refunds',
      body: () => ({ collectionId: '3f0c6a8e-1d2b-4c5d-8e9f-0a1b2c3d4e5f', amount: 5, externalId: externalId('RF') }),
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'amount',
    },
  ];

  it.each(cases.map((c) => [c.name, c] as [string, Case]))('refuses %s, naming the field, storing and sending nothing', async (_name, c) => {
    const base = ug();
    const body = c.body(base);
    const since = mtnMark(gw);
    const before = await storedCount(gw, 'true');

    const res = await gw.request('POST', c.route ?? '/v1/collections', body, c.headers);
    expect(res.status).toBe(c.status);
    expect(res.body).toMatchObject({ code: c.code, message: expect.any(String), retryable: false, requestId: expect.any(String) });
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: c.field, message: expect.any(String) })]));
    expect(res.headers.get('x-request-id')).toBe(res.body.requestId);

    expect(await storedCount(gw, 'true')).toBe(before);
    expect(mtnRequests(gw, { sinceSeq: since })).toEqual([]);
  });

  it('names every offending field at once', async () => {
    const res = await gw.request('POST', '/v1/collections', { amount: 12, currency: 'x', externalId: '' });
    expect(res.status).toBe(400);
    const fields = new Set((res.body.details as { field: string }[]).map((d) => d.field));
    expect([...fields].sort()).toEqual(['amount', 'currency', 'externalId', 'phoneNumber']);
  });

  it('answers malformed JSON with 400 VALIDATION_FAILED in the error shape', async () => {
    const since = mtnMark(gw);
    const res = await gw.request('POST', '/v1/collections', '{"amount": "1000",', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'VALIDATION_FAILED', message: expect.any(String), retryable: false, requestId: expect.any(String) });
    expect(mtnRequests(gw, { sinceSeq: since })).toEqual([]);
  });

  it('answers a body that is not JSON at all with a 4xx in the error shape', async () => {
    const res = await gw.request('POST', '/v1/collections', 'amount=1000', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', retryable: false, requestId: expect.any(String) });
  });

  it('refuses a refund amount with more decimals than the collection currency', async () => {
    const collection = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'GH', { amount: '20' }));
    expect((await settled(gw, '/v1/collections', collection.body.id)).status).toBe('SUCCESSFUL');
    const since = mtnMark(gw);
    const res = await gw.request('POST', '/v1/disbursements/refunds', { collectionId: collection.body.id, amount: '1.005', externalId: externalId('RF') });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'INVALID_AMOUNT', details: [expect.objectContaining({ field: 'amount' })] });
    expect(mtnRequests(gw, { sinceSeq: since, method: 'POST' })).toEqual([]);
  });

  it('refuses a refund of nothing ("0") with a 4xx naming amount', async () => {
    const collection = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG', { amount: '2000' }));
    expect((await settled(gw, '/v1/collections', collection.body.id)).status).toBe('SUCCESSFUL');
    const res = await gw.request('POST', '/v1/disbursements/refunds', { collectionId: collection.body.id, amount: '0', externalId: externalId('RF') });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'INVALID_AMOUNT', details: [expect.objectContaining({ field: 'amount' })] });
  });

  it('accepts exact amounts in any exact form and answers them in canonical form', async () => {
    const whole = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG', { amount: '1000.00' }));
    expect(whole.status).toBe(202);
    expect(whole.body.amount).toBe('1000');
    const cedis = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'GH', { amount: '12.5' }));
    expect(cedis.status).toBe(202);
    expect(cedis.body.amount).toBe('12.50');
    const local = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG', { phoneNumber: '0774 123 456', country: 'UG' }));
    expect(local.status).toBe(202);
    expect(local.body.phoneNumber).toBe('256774123456');
  });

  it('accepts an MTN sandbox test number when the country is named (sandbox mode only)', async () => {
    const res = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG', { phoneNumber: '46733123451', country: 'UG' }));
    expect(res.status).toBe(202);
    expect(await settled(gw, '/v1/collections', res.body.id)).toMatchObject({ status: 'FAILED', reason: 'APPROVAL_REJECTED', country: 'UG' });
  });

  it('refuses bad list filters naming the field', async () => {
    const res = await gw.request('GET', '/v1/collections?status=DONE&limit=0&createdFrom=yesterday');
    expect(res.status).toBe(400);
    const fields = (res.body.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['status', 'limit', 'createdFrom']));
  });
});
