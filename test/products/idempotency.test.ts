import { startGateway, type TestGateway } from '../support/gateway';
import {
  ALWAYS_OK,
  ROUTES,
  externalId,
  mtnCreates,
  mtnMark,
  mtnTransactions,
  paymentBody,
  referenceIdOf,
  reservedNumber,
  settled,
  storedCount,
} from './support';

/**
 * A payment request may arrive more than once (client retries, double clicks, two replicas behind
 * a load balancer). Whatever the timing, one request is one transaction and one MTN create.
 */
describe('idempotency and duplicates', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(async () => {
    await gw.close();
  });

  let keys = 0;
  const key = () => `key-${process.pid}-${Date.now()}-${(keys += 1)}`;

  it('replays the same Idempotency-Key with the same body: same transaction, Idempotent-Replayed: true, one MTN create', async () => {
    const since = mtnMark(gw);
    const body = paymentBody(ROUTES.requestToPay, 'UG');
    const headers = { 'idempotency-key': key() };
    const first = await gw.request('POST', '/v1/collections', body, headers);
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    await settled(gw, '/v1/collections', first.body.id);

    const second = await gw.request('POST', '/v1/collections', body, headers);
    expect(second.status).toBe(202);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toMatchObject({ id: first.body.id, status: 'SUCCESSFUL', externalId: body.externalId });
    expect(mtnCreates(gw, since).map(referenceIdOf)).toEqual([first.body.id]);
  });

  it('answers the same Idempotency-Key with another body with 409 IDEMPOTENCY_KEY_REUSED', async () => {
    const headers = { 'idempotency-key': key() };
    const body = paymentBody(ROUTES.requestToPay, 'UG');
    expect((await gw.request('POST', '/v1/collections', body, headers)).status).toBe(202);
    const since = mtnMark(gw);
    const other = await gw.request('POST', '/v1/collections', { ...body, amount: '2000' }, headers);
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', retryable: false, details: [expect.objectContaining({ field: 'Idempotency-Key' })] });
    expect(mtnCreates(gw, since)).toEqual([]);
  });

  it('scopes an Idempotency-Key to its product: the same key on a disbursement is another request', async () => {
    const headers = { 'idempotency-key': key() };
    const collection = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'GH'), headers);
    const transfer = await gw.request('POST', '/v1/disbursements', paymentBody(ROUTES.transfer, 'GH'), headers);
    expect([collection.status, transfer.status]).toEqual([202, 202]);
    expect(transfer.body.id).not.toBe(collection.body.id);
  });

  it('answers a second request with a live externalId and another body with 409 DUPLICATE_EXTERNAL_ID', async () => {
    const body = paymentBody(ROUTES.requestToPay, 'RW');
    const first = await gw.request('POST', '/v1/collections', body);
    expect(first.status).toBe(202);
    const since = mtnMark(gw);
    const second = await gw.request('POST', '/v1/collections', { ...body, amount: '3000' });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'DUPLICATE_EXTERNAL_ID', details: [expect.objectContaining({ field: 'externalId', transactionId: first.body.id })] });
    expect(mtnCreates(gw, since)).toEqual([]);
  });

  it('treats the same externalId with the same body (no key) as a replay of the first', async () => {
    const body = paymentBody(ROUTES.transfer, 'UG');
    const first = await gw.request('POST', '/v1/disbursements', body);
    const again = await gw.request('POST', '/v1/disbursements', body);
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('lets an externalId be used again once its transaction FAILED', async () => {
    const body = paymentBody(ROUTES.requestToPay, 'UG', { phoneNumber: reservedNumber('UG', 1, '04') });
    const failed = await gw.request('POST', '/v1/collections', body);
    expect(await settled(gw, '/v1/collections', failed.body.id)).toMatchObject({ status: 'FAILED', reason: 'NOT_ENOUGH_FUNDS' });
    const retry = await gw.request('POST', '/v1/collections', { ...body, phoneNumber: ALWAYS_OK.UG });
    expect(retry.status).toBe(202);
    expect(retry.body.id).not.toBe(failed.body.id);
    expect(await settled(gw, '/v1/collections', retry.body.id)).toMatchObject({ status: 'SUCCESSFUL' });
    expect(await storedCount(gw, 'external_id = $1', [body.externalId])).toBe(2);
  });

  it('replays a request MTN refused at once as that FAILED transaction, without asking MTN again', async () => {
    const headers = { 'idempotency-key': key() };
    const body = paymentBody(ROUTES.requestToPay, 'UG', { phoneNumber: reservedNumber('UG', 2, '01') });
    const refused = await gw.request('POST', '/v1/collections', body, headers);
    expect(refused.status).toBe(422);
    const since = mtnMark(gw);
    const replay = await gw.request('POST', '/v1/collections', body, headers);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toMatchObject({ status: 'FAILED', reason: 'PAYER_NOT_FOUND' });
    expect(mtnCreates(gw, since)).toEqual([]);
  });

  it('replays a full refund (no amount) with its Idempotency-Key after the collection is fully refunded', async () => {
    const collection = await gw.request('POST', '/v1/collections', paymentBody(ROUTES.requestToPay, 'UG', { amount: '3000' }));
    expect((await settled(gw, '/v1/collections', collection.body.id)).status).toBe('SUCCESSFUL');
    const headers = { 'idempotency-key': key() };
    const body = { collectionId: collection.body.id, externalId: externalId('RF') };
    const refund = await gw.request('POST', '/v1/disbursements/refunds', body, headers);
    expect(refund.status).toBe(202);
    expect(refund.body.amount).toBe('3000');
    const since = mtnMark(gw);

    const replay = await gw.request('POST', '/v1/disbursements/refunds', body, headers);
    expect(replay.status).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toMatchObject({ id: refund.body.id, amount: '3000' });
    // Another request for "the rest" finds nothing left.
    const another = await gw.request('POST', '/v1/disbursements/refunds', { collectionId: collection.body.id, externalId: externalId('RF') });
    expect(another.status).toBe(422);
    expect(another.body).toMatchObject({ code: 'REFUND_EXCEEDS_COLLECTED', details: [expect.objectContaining({ refundable: '0' })] });
    expect(mtnCreates(gw, since)).toEqual([]);
  });

  it('turns 20 concurrent identical requests (same Idempotency-Key) into one transaction and one MTN create', async () => {
    const since = mtnMark(gw);
    const body = paymentBody(ROUTES.requestToPay, 'UG');
    const headers = { 'idempotency-key': key() };
    const answers = await Promise.all(Array.from({ length: 20 }, () => gw.request('POST', '/v1/collections', body, headers)));

    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    const ids = new Set(answers.map((a) => a.body.id as string));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
    expect(await storedCount(gw, 'external_id = $1', [body.externalId])).toBe(1);
    expect(mtnCreates(gw, since).map(referenceIdOf)).toEqual([id]);
    expect(mtnTransactions(gw, id ?? '')).toHaveLength(1);
  });

  it('turns 20 concurrent requests with the same externalId and body (no key) into one transaction', async () => {
    const since = mtnMark(gw);
    const body = paymentBody(ROUTES.remittance, 'RW');
    const answers = await Promise.all(Array.from({ length: 20 }, () => gw.request('POST', '/v1/remittances', body)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    expect(new Set(answers.map((a) => a.body.id as string)).size).toBe(1);
    expect(await storedCount(gw, 'external_id = $1', [body.externalId])).toBe(1);
    expect(mtnCreates(gw, since)).toHaveLength(1);
  });

  describe('two replicas on one database and one MTN', () => {
    let replica: TestGateway;
    beforeAll(async () => {
      const credentials = gw.config.momo.credentials.collection;
      replica = await startGateway({
        db: gw.db,
        sharedEmulator: gw.emulator,
        // The same MTN API user as the first replica, as in a real deployment.
        env: { MTN_MOMO_API_USER: credentials?.apiUser ?? '', MTN_MOMO_API_KEY: credentials?.apiKey ?? '' },
      });
    });
    afterAll(async () => {
      await replica.close();
    });

    it('turns 20 concurrent duplicates spread over both replicas into one transaction and one MTN create', async () => {
      const since = mtnMark(gw);
      const body = paymentBody(ROUTES.transfer, 'GH');
      const headers = { 'idempotency-key': key() };
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? gw : replica).request('POST', '/v1/disbursements', body, headers)));

      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
      const ids = [...new Set(answers.map((a) => a.body.id as string))];
      expect(ids).toHaveLength(1);
      expect(await storedCount(gw, 'external_id = $1', [body.externalId])).toBe(1);
      expect(mtnCreates(gw, since).map(referenceIdOf)).toEqual(ids);
      // Both replicas see the same outcome.
      const onReplica = await settled(replica, '/v1/disbursements', ids[0] ?? '');
      expect(onReplica.status).toBe('SUCCESSFUL');
      expect((await gw.request('GET', `/v1/disbursements/${ids[0]}`)).body.status).toBe('SUCCESSFUL');
    });

    it('turns concurrent duplicates by externalId across replicas into one transaction', async () => {
      const since = mtnMark(gw);
      const body = paymentBody(ROUTES.requestToPay, 'RW');
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? replica : gw).request('POST', '/v1/collections', body)));
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(202));
      expect(new Set(answers.map((a) => a.body.id as string)).size).toBe(1);
      expect(mtnCreates(gw, since)).toHaveLength(1);
    });
  });
});
