import { startGateway, type TestGateway } from '../support/gateway';
import {
  ROUTES,
  addFault,
  clearFaults,
  deliverLate,
  emulatorControl,
  ledger,
  mtnCreates,
  mtnMark,
  mtnRequests,
  mtnTransactions,
  ordinaryNumber,
  patchEmulator,
  paymentBody,
  pollNow,
  referenceIdOf,
  settled,
} from './support';

/**
 * MTN trouble during a create: an expired token, a 503 or a dropped connection that a retry
 * overcomes (always under the same X-Reference-Id, so MTN holds one transaction), an answer lost
 * after MTN did the work (the retry's 409 proves it holds the transaction), and timeouts that
 * leave the outcome unknown, where the row stays PENDING until polling finds out.
 */
describe('retries, tokens and timeouts on create', () => {
  let gw: TestGateway;
  let n = 0;
  beforeAll(async () => {
    gw = await startGateway({ env: { POLL_ENABLED: 'false', MTN_MOMO_TIMEOUT_MS: '400' } });
  });
  afterAll(async () => {
    await gw.close();
  });
  afterEach(async () => {
    await clearFaults(gw);
    await emulatorControl(gw, 'DELETE', '/_emulator/outcomes');
  });

  const tokenCalls = (since: number, product: string) => mtnRequests(gw, { sinceSeq: since, method: 'POST', path: `/${product}/token/` });

  it('survives a token that expires mid-flight: one extra token request, the create sent again under the same id', async () => {
    const warm = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG'));
    await settled(gw, '/v1/collections', warm.body.id);
    const since = mtnMark(gw);
    await emulatorControl(gw, 'POST', '/_emulator/tokens/expire');

    const res = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG'));
    expect(res.status).toBe(202);
    expect((await settled(gw, '/v1/collections', res.body.id)).status).toBe('SUCCESSFUL');
    expect(tokenCalls(since, 'collection')).toHaveLength(1);
    const creates = mtnCreates(gw, since, ROUTES.requestToPay.mtnCreate);
    expect(creates.map((c) => c.status)).toEqual([401, 202]);
    expect(creates.map(referenceIdOf)).toEqual([res.body.id, res.body.id]);
    expect(mtnTransactions(gw, res.body.id)).toHaveLength(1);
  });

  it('replaces a token MTN forgot for the next product that uses it (remittance cash transfer)', async () => {
    const first = await gw.request('POST', '/v1/remittances', paymentBody(ROUTES.remittance, 'RW'));
    expect(first.status).toBe(202);
    const since = mtnMark(gw);
    // MTN forgets every token it issued; ours still looks valid for an hour.
    await emulatorControl(gw, 'POST', '/_emulator/tokens/expire');
    const second = await gw.request('POST', '/v1/remittances/cash-transfers', paymentBody(ROUTES.cashTransfer, 'RW'));
    expect(second.status).toBe(202);
    expect((await settled(gw, '/v1/remittances', second.body.id)).status).toBe('SUCCESSFUL');
    expect(tokenCalls(since, 'remittance')).toHaveLength(1);
  });

  it('retries a create refused with one 503 under the same X-Reference-Id: two creates, one transaction at MTN', async () => {
    await addFault(gw, { kind: 'error', status: 503, pathPrefix: '/disbursement/v1_0/transfer', method: 'POST', count: 1 });
    const since = mtnMark(gw);
    const before = ledger(gw);
    const res = await gw.request('POST', '/v1/disbursements', paymentBody(ROUTES.transfer, 'GH'));
    expect(res.status).toBe(202);
    expect((await settled(gw, '/v1/disbursements', res.body.id)).status).toBe('SUCCESSFUL');

    const creates = mtnCreates(gw, since, ROUTES.transfer.mtnCreate);
    expect(creates.map((c) => c.status)).toEqual([503, 202]);
    expect(creates.map(referenceIdOf)).toEqual([res.body.id, res.body.id]);
    expect(mtnTransactions(gw, res.body.id)).toHaveLength(1);
    expect(ledger(gw).postingsFor(res.body.id)).toHaveLength(1);
    expect(before.postingsFor(res.body.id)).toHaveLength(0);
  });

  it('retries a create whose connection was reset, under the same X-Reference-Id', async () => {
    await addFault(gw, { kind: 'reset', pathPrefix: '/collection/v1_0/requesttopay', method: 'POST', count: 1 });
    const since = mtnMark(gw);
    const res = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'RW'));
    expect(res.status).toBe(202);
    expect((await settled(gw, '/v1/collections', res.body.id)).status).toBe('SUCCESSFUL');
    // (A 401 for a token MTN expired in an earlier test may come in between: it is resent too.)
    const creates = mtnCreates(gw, since, ROUTES.requestToPay.mtnCreate).filter((c) => c.status !== 401);
    expect(creates.map((c) => c.fault ?? c.status)).toEqual(['reset', 202]);
    expect(new Set(creates.map(referenceIdOf))).toEqual(new Set([res.body.id]));
    expect(mtnTransactions(gw, res.body.id)).toHaveLength(1);
  });

  it('retries a create whose first attempt got no answer in time, under the same X-Reference-Id', async () => {
    await addFault(gw, { kind: 'timeout', pathPrefix: '/collection/v1_0/requesttopay', method: 'POST', count: 1 });
    const since = mtnMark(gw);
    const res = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG'));
    expect(res.status).toBe(202);
    expect((await settled(gw, '/v1/collections', res.body.id)).status).toBe('SUCCESSFUL');
    const creates = mtnCreates(gw, since, ROUTES.requestToPay.mtnCreate).filter((c) => c.status !== 401);
    expect(creates.map((c) => c.fault ?? c.status)).toEqual(['timeout', 202]);
    expect(new Set(creates.map(referenceIdOf))).toEqual(new Set([res.body.id]));
    expect(mtnTransactions(gw, res.body.id)).toHaveLength(1);
    expect(ledger(gw).postingsFor(res.body.id)).toHaveLength(1);
  });

  it('takes a 409 after a lost answer as the create MTN already holds: one transaction, paid once', async () => {
    // MTN carries out the create, but its 202 never arrives (the connection drops after the work).
    await addFault(gw, { kind: 'lost-answer', pathPrefix: '/disbursement/v1_0/transfer', method: 'POST', count: 1 });
    const since = mtnMark(gw);
    const res = await gw.request('POST', ROUTES.transfer.post, paymentBody(ROUTES.transfer, 'UG', { phoneNumber: ordinaryNumber('UG', (n += 1)) }));
    expect(res.status).toBe(202);
    const creates = mtnCreates(gw, since, ROUTES.transfer.mtnCreate).filter((c) => c.status !== 401);
    expect(creates.map((c) => c.fault ?? c.status)).toEqual(['lost-answer', 409]);
    expect(new Set(creates.map(referenceIdOf))).toEqual(new Set([res.body.id]));
    expect((await settled(gw, '/v1/disbursements', res.body.id)).status).toBe('SUCCESSFUL');
    expect(mtnTransactions(gw, res.body.id)).toHaveLength(1);
    expect(ledger(gw).postingsFor(res.body.id)).toHaveLength(1);
  });

  it('keeps a create whose answer was lost on every attempt PENDING, never FAILED; polling finds it paid once', async () => {
    await addFault(gw, { kind: 'lost-answer', pathPrefix: '/collection/v1_0/requesttopay', method: 'POST', count: 3 });
    // Its callback is lost too, so only polling can tell.
    await patchEmulator(gw, { callbackDropNext: 1 });
    const since = mtnMark(gw);
    const res = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG', { phoneNumber: ordinaryNumber('UG', (n += 1)) }));
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('PENDING');
    const creates = mtnCreates(gw, since, ROUTES.requestToPay.mtnCreate).filter((c) => c.status !== 401);
    expect(creates.map((c) => c.fault)).toEqual(['lost-answer', 'lost-answer', 'lost-answer']);
    expect(creates.map((c) => c.status)).toEqual([202, 409, 409]);
    await gw.emulator.callbacksIdle();
    expect((await gw.request('GET', `/v1/collections/${res.body.id}`)).body.status).toBe('PENDING');
    await pollNow(gw);
    expect((await settled(gw, '/v1/collections', res.body.id)).status).toBe('SUCCESSFUL');
    expect(mtnTransactions(gw, res.body.id)).toHaveLength(1);
    expect(ledger(gw).postingsFor(res.body.id)).toHaveLength(1);
  });

  it('keeps a create that timed out on every attempt PENDING (never FAILED); polling settles it once MTN has it', async () => {
    await addFault(gw, { kind: 'timeout', pathPrefix: '/disbursement/v2_0/deposit', method: 'POST', count: 3 });
    const since = mtnMark(gw);
    const phoneNumber = ordinaryNumber('UG', (n += 1));
    const body = paymentBody(ROUTES.deposit, 'UG', { phoneNumber });
    const res = await gw.request('POST', '/v1/disbursements/deposits', body);
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('PENDING');
    const attempts = mtnCreates(gw, since, ROUTES.deposit.mtnCreate);
    expect(attempts.map((a) => a.fault)).toEqual(['timeout', 'timeout', 'timeout']);

    // MTN does not know it (yet): a poll changes nothing, and nothing says FAILED.
    await pollNow(gw);
    expect((await gw.request('GET', `/v1/disbursements/${res.body.id}`)).body.status).toBe('PENDING');

    // The first attempt reaches MTN after all; its callback is lost, so only polling can tell.
    await patchEmulator(gw, { callbackDropNext: 1 });
    const mtnBody = { amount: body.amount, currency: 'EUR', externalId: body.externalId, payerMessage: '', payeeNote: '', payee: { partyIdType: 'MSISDN', partyId: phoneNumber } };
    expect(await deliverLate(gw, attempts[0]!, JSON.stringify(mtnBody))).toBe(202);
    await gw.emulator.callbacksIdle();
    await pollNow(gw);
    expect((await settled(gw, '/v1/disbursements', res.body.id)).status).toBe('SUCCESSFUL');
    expect(ledger(gw).postingsFor(res.body.id)).toHaveLength(1);
  });

  it('keeps a create PENDING when an early attempt timed out, even if the last attempts were refused with 503', async () => {
    // Attempt 1 times out; attempts 2 and 3 are refused with 503. MTN may hold attempt 1, so the
    // row must not be FAILED (the caller would pay again): here it does, delivered late.
    const phoneNumber = ordinaryNumber('UG', (n += 1));
    await addFault(gw, { kind: 'timeout', pathPrefix: '/collection/v1_0/requesttopay', method: 'POST', count: 1 });
    await emulatorControl(gw, 'POST', '/_emulator/outcomes', { partyId: phoneNumber, count: 2, outcome: { type: 'reject', code: 'SERVICE_UNAVAILABLE' } });
    const since = mtnMark(gw);

    const body = paymentBody(ROUTES.requestToPay, 'UG', { phoneNumber });
    const res = await gw.request('POST', '/v1/collections', body);
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('PENDING');
    const attempts = mtnCreates(gw, since, ROUTES.requestToPay.mtnCreate).filter((c) => c.status !== 401);
    expect(attempts.map((a) => a.fault ?? a.status)).toEqual(['timeout', 503, 503]);
    // Its externalId stays taken while MTN may hold it.
    const again = await gw.request('POST', '/v1/collections', { ...body, amount: '1000' });
    expect(again.body.code).toBe('DUPLICATE_EXTERNAL_ID');

    await patchEmulator(gw, { callbackDropNext: 1 });
    expect(await deliverLate(gw, attempts[0]!, attempts[1]?.body ?? '')).toBe(202);
    await gw.emulator.callbacksIdle();
    await pollNow(gw);
    expect((await settled(gw, '/v1/collections', res.body.id)).status).toBe('SUCCESSFUL');
    expect(ledger(gw).postingsFor(res.body.id)).toHaveLength(1);
  });
});
