import { verifySignature } from '../../src/notifications/signature';
import type { TestGateway } from '../support/gateway';
import {
  collect,
  newConsumer,
  outboxOf,
  reservedUg,
  settled,
  startNotificationGateway,
  worker,
  type Consumer,
} from './support';

/** A transaction's final status reaches the endpoints of the key that created it, signed, once. */
describe('status notifications: delivery', () => {
  let gw: TestGateway;
  const consumers: Consumer[] = [];
  beforeAll(async () => {
    gw = await startNotificationGateway();
  });
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.receiver.close()));
    await gw.close();
  });

  async function consumer(options: Parameters<typeof newConsumer>[1] = {}): Promise<Consumer> {
    const c = await newConsumer(gw, options);
    consumers.push(c);
    return c;
  }

  it('shows the signing secret once, at registration, and never in the list', async () => {
    const c = await consumer();
    expect(c.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const list = await c.request('GET', '/v1/notification-endpoints');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      items: [{ id: c.endpointId, url: c.receiver.url, createdAt: expect.any(String) }],
    });
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
  });

  it('delivers one signed transaction.succeeded whose data is the transaction as the API shows it', async () => {
    const c = await consumer();
    const created = await collect(c.request);
    expect(created.status).toBe(202);
    const done = await settled(c.request, `/v1/collections/${created.body.id}`);
    expect(done.status).toBe('SUCCESSFUL');
    expect(await outboxOf(gw, done.id)).toEqual([
      expect.objectContaining({
        endpoint_id: c.endpointId,
        event_type: 'transaction.succeeded',
        status: 'PENDING',
        attempts: 0,
      }),
    ]);

    const now = new Date();
    expect(await worker(gw).deliverOnce(now)).toBeGreaterThanOrEqual(1);
    expect(c.receiver.received).toHaveLength(1);
    const [got] = c.receiver.received;
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['x-momo-gateway-event']).toBe('transaction.succeeded');
    expect(got!.headers['x-momo-gateway-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(
      verifySignature(c.secret, got!.headers['x-momo-gateway-signature'] as string, got!.raw, now),
    ).toBe(true);
    expect(
      verifySignature(
        'whsec_someone-else',
        got!.headers['x-momo-gateway-signature'] as string,
        got!.raw,
        now,
      ),
    ).toBe(false);
    expect(got!.body).toEqual({
      id: got!.headers['x-momo-gateway-delivery'],
      type: 'transaction.succeeded',
      createdAt: expect.any(String),
      data: done,
    });
    expect(got!.body.data.financialTransactionId).toEqual(expect.any(String));

    const listed = await c.request('GET', `/v1/notifications?transactionId=${done.id}`);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        id: got!.body.id,
        endpointId: c.endpointId,
        transactionId: done.id,
        event: 'transaction.succeeded',
        status: 'DELIVERED',
        attempts: 1,
        lastStatusCode: 204,
        payload: done,
      }),
    ]);
    expect(listed.body.items[0].nextAttemptAt).toBeUndefined();
    expect(listed.body.items[0].lastError).toBeUndefined();

    // Delivered is done: nothing more goes out, however much later.
    await worker(gw).deliverOnce(new Date(now.getTime() + 3 * 86_400_000));
    expect(c.receiver.received).toHaveLength(1);
  });

  it('delivers transaction.failed, with the reason, for a payment MTN declined after accepting it', async () => {
    const c = await consumer();
    const created = await collect(c.request, reservedUg(1, '01'));
    expect(created.status).toBe(202);
    const done = await settled(c.request, `/v1/collections/${created.body.id}`);
    expect(done).toMatchObject({ status: 'FAILED', reason: 'PAYER_NOT_FOUND' });

    const now = new Date();
    await worker(gw).deliverOnce(now);
    expect(c.receiver.received).toHaveLength(1);
    const [got] = c.receiver.received;
    expect(got!.headers['x-momo-gateway-event']).toBe('transaction.failed');
    expect(
      verifySignature(c.secret, got!.headers['x-momo-gateway-signature'] as string, got!.raw, now),
    ).toBe(true);
    expect(got!.body).toMatchObject({ type: 'transaction.failed', data: done });
  });

  it('delivers transaction.failed for a request MTN refused outright (failed before acceptance)', async () => {
    const c = await consumer();
    const refused = await collect(c.request, reservedUg(2, '05'));
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const id = (refused.body.details as { transactionId?: string }[]).find(
      (d) => d.transactionId,
    )?.transactionId;
    expect(id).toEqual(expect.any(String));
    const stored = await c.request('GET', `/v1/collections/${id}`);
    expect(stored.body.status).toBe('FAILED');

    await worker(gw).deliverOnce();
    expect(c.receiver.received.map((r) => r.body)).toEqual([
      expect.objectContaining({ type: 'transaction.failed', data: stored.body }),
    ]);
  });

  it('tells only the endpoints whose products include the transaction', async () => {
    const c = await consumer({ products: ['disbursement'] });
    const list = await c.request('GET', '/v1/notification-endpoints');
    expect(list.body.items[0].products).toEqual(['disbursement']);
    const collection = await collect(c.request);
    await settled(c.request, `/v1/collections/${collection.body.id}`);
    const transfer = await c.request('POST', '/v1/disbursements', {
      amount: '1000',
      currency: 'UGX',
      phoneNumber: '256774123456',
      externalId: `NTF_T_${collection.body.id.slice(0, 8)}`,
    });
    expect(transfer.status).toBe(202);
    const paid = await settled(c.request, `/v1/disbursements/${transfer.body.id}`);

    await worker(gw).deliverOnce();
    expect(await outboxOf(gw, collection.body.id)).toEqual([]);
    expect(c.receiver.received.map((r) => r.body.data)).toEqual([paid]);
  });

  it('tells every live endpoint of the key, each with its own delivery id and signature', async () => {
    const c = await consumer();
    const second = await newConsumer(gw, {});
    consumers.push(second);
    const extra = await c.request('POST', '/v1/notification-endpoints', {
      url: second.receiver.url,
    });
    expect(extra.status).toBe(201);
    const created = await collect(c.request);
    const done = await settled(c.request, `/v1/collections/${created.body.id}`);
    const now = new Date();
    await worker(gw).deliverOnce(now);
    expect(c.receiver.received).toHaveLength(1);
    expect(second.receiver.received).toHaveLength(1);
    const [a, b] = [c.receiver.received[0]!, second.receiver.received[0]!];
    expect(a.headers['x-momo-gateway-delivery']).not.toBe(b.headers['x-momo-gateway-delivery']);
    expect(
      verifySignature(c.secret, a.headers['x-momo-gateway-signature'] as string, a.raw, now),
    ).toBe(true);
    expect(
      verifySignature(
        extra.body.secret,
        b.headers['x-momo-gateway-signature'] as string,
        b.raw,
        now,
      ),
    ).toBe(true);
    expect(
      verifySignature(c.secret, b.headers['x-momo-gateway-signature'] as string, b.raw, now),
    ).toBe(false);
    expect(b.body.data).toEqual(done);
  });
});
