import type { TestGateway } from '../support/gateway';
import {
  collect,
  newConsumer,
  outboxOf,
  settled,
  sql,
  startNotificationGateway,
  startReceiver,
  worker,
  type Consumer,
  type Receiver,
} from './support';

/** Endpoints belong to the key that registered them: another key neither sees them nor is told. */
describe('status notifications: endpoints and keys', () => {
  let gw: TestGateway;
  const receivers: Receiver[] = [];
  const consumers: Consumer[] = [];
  beforeAll(async () => {
    gw = await startNotificationGateway();
  });
  afterAll(async () => {
    await Promise.all([...receivers, ...consumers.map((c) => c.receiver)].map((r) => r.close()));
    await gw.close();
  });

  async function consumer(options: Parameters<typeof newConsumer>[1] = {}): Promise<Consumer> {
    const c = await newConsumer(gw, options);
    consumers.push(c);
    return c;
  }

  it("keeps each key's endpoints and notifications invisible to other keys, and tells only the creating key", async () => {
    const a = await consumer();
    const b = await consumer();
    const created = await collect(a.request);
    await settled(a.request, `/v1/collections/${created.body.id}`);
    await worker(gw).deliverOnce();
    expect(a.receiver.received).toHaveLength(1);
    expect(b.receiver.received).toHaveLength(0);

    expect(
      (await b.request('GET', '/v1/notification-endpoints')).body.items.map(
        (e: { id: string }) => e.id,
      ),
    ).toEqual([b.endpointId]);
    expect((await b.request('GET', '/v1/notifications')).body.items).toEqual([]);
    expect(
      (await b.request('GET', `/v1/notifications?transactionId=${created.body.id}`)).body.items,
    ).toEqual([]);
    const notificationId = (await a.request('GET', '/v1/notifications')).body.items[0].id as string;
    const replay = await b.request('POST', `/v1/notifications/${notificationId}/replay`);
    expect(replay.status).toBe(404);
    expect(replay.body.code).toBe('NOT_FOUND');
    const del = await b.request('DELETE', `/v1/notification-endpoints/${a.endpointId}`);
    expect(del.status).toBe(404);
    expect((await a.request('GET', '/v1/notification-endpoints')).body.items).toHaveLength(1);
  });

  it('does not notify a key of the transactions another key created', async () => {
    const a = await consumer();
    // The gateway's default test key creates this one; `a` has nothing to do with it.
    const other = await collect(gw.request);
    await settled(gw.request, `/v1/collections/${other.body.id}`);
    expect(await outboxOf(gw, other.body.id)).toEqual([]);
    const [row] = await sql<{ api_key_id: string | null }>(
      gw,
      'SELECT api_key_id FROM momo_transactions WHERE id = $1',
      [other.body.id],
    );
    expect(row!.api_key_id).toEqual(expect.any(String));
    await worker(gw).deliverOnce();
    expect(a.receiver.received).toHaveLength(0);
  });

  it('records the creating key on every kind of transaction, refunds included', async () => {
    const a = await consumer();
    const collection = await collect(a.request);
    await settled(a.request, `/v1/collections/${collection.body.id}`);
    const refund = await a.request('POST', '/v1/disbursements/refunds', {
      collectionId: collection.body.id,
      externalId: `NTF_R_${collection.body.id.slice(0, 8)}`,
    });
    expect(refund.status).toBe(202);
    const remit = await a.request('POST', '/v1/remittances', {
      amount: '1000',
      currency: 'UGX',
      phoneNumber: '256774123456',
      externalId: `NTF_M_${collection.body.id.slice(0, 8)}`,
    });
    expect(remit.status).toBe(202);
    const ids = [collection.body.id, refund.body.id, remit.body.id];
    const rows = await sql<{ api_key_id: string }>(
      gw,
      'SELECT api_key_id FROM momo_transactions WHERE id = ANY($1::uuid[])',
      [ids],
    );
    expect(rows.map((r) => r.api_key_id)).toEqual([a.keyId, a.keyId, a.keyId]);
    await settled(a.request, `/v1/disbursements/${refund.body.id}`);
    await settled(a.request, `/v1/remittances/${remit.body.id}`);
    await worker(gw).deliverOnce();
    expect(a.receiver.received.map((r) => r.body.data.id).sort()).toEqual([...ids].sort());
  });

  it('needs notifications:read to list and notifications:write to change', async () => {
    const reader = await consumer({ scopes: ['collection:write', 'notifications:read'] }).catch(
      (e: Error) => e,
    );
    // Registering is a write: a key with only notifications:read cannot have an endpoint.
    expect(reader).toBeInstanceOf(Error);
    expect((reader as Error).message).toMatch(/^endpoint refused: 403/);

    const writerOnly = await consumer({ scopes: ['notifications:write'] });
    const list = await writerOnly.request('GET', '/v1/notification-endpoints');
    expect(list.status).toBe(403);
    expect(list.body.details[0].scope).toBe('notifications:read');
    expect((await writerOnly.request('GET', '/v1/notifications')).status).toBe(403);
    expect(
      (await writerOnly.request('DELETE', `/v1/notification-endpoints/${writerOnly.endpointId}`))
        .status,
    ).toBe(204);
  });

  it.each([
    ['no url', {}],
    ['not a URL', { url: 'not a url' }],
    ['another scheme', { url: 'ftp://127.0.0.1/x' }],
    ['no scheme', { url: '127.0.0.1:8080/x' }],
    ['too long', { url: `https://example.com/${'x'.repeat(2100)}` }],
    ['an unknown product', { url: 'https://example.com/a', products: ['lending'] }],
    ['no products', { url: 'https://example.com/a', products: [] }],
    [
      'a repeated product',
      { url: 'https://example.com/a', products: ['collection', 'collection'] },
    ],
    ['an unknown field', { url: 'https://example.com/a', secret: 'mine' }],
  ])('refuses a registration with %s (400, naming the field)', async (_name, body) => {
    const res = await gw.request('POST', '/v1/notification-endpoints', body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.length).toBeGreaterThan(0);
  });

  it('refuses the same URL twice for one key (409), but another key may use it', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const a = await consumer({ receiver });
    const again = await a.request('POST', '/v1/notification-endpoints', { url: receiver.url });
    expect(again.status).toBe(409);
    expect(again.body.details[0]).toMatchObject({ field: 'url', endpointId: a.endpointId });
    const b = await consumer({ receiver });
    expect(b.endpointId).not.toBe(a.endpointId);
  });

  it('allows at most 10 endpoints per key', async () => {
    const a = await consumer();
    for (let i = 2; i <= 10; i += 1) {
      expect(
        (
          await a.request('POST', '/v1/notification-endpoints', {
            url: `https://example.com/hook/${i}`,
          })
        ).status,
      ).toBe(201);
    }
    const eleventh = await a.request('POST', '/v1/notification-endpoints', {
      url: 'https://example.com/hook/11',
    });
    expect(eleventh.status).toBe(400);
    expect(eleventh.body.message).toMatch(/at most 10/);
  });

  it('stops notifying a deleted endpoint and closes what was waiting for it as FAILED', async () => {
    const a = await consumer();
    const waiting = await collect(a.request);
    await settled(a.request, `/v1/collections/${waiting.body.id}`);
    expect((await outboxOf(gw, waiting.body.id))[0]).toMatchObject({ status: 'PENDING' });

    expect((await a.request('DELETE', `/v1/notification-endpoints/${a.endpointId}`)).status).toBe(
      204,
    );
    expect((await a.request('DELETE', `/v1/notification-endpoints/${a.endpointId}`)).status).toBe(
      404,
    );
    expect((await a.request('DELETE', '/v1/notification-endpoints/not-a-uuid')).status).toBe(404);
    expect((await a.request('GET', '/v1/notification-endpoints')).body.items).toEqual([]);
    const closed = (await a.request('GET', '/v1/notifications')).body.items[0];
    expect(closed).toMatchObject({
      transactionId: waiting.body.id,
      status: 'FAILED',
      lastError: 'endpoint deleted',
    });
    expect((await a.request('POST', `/v1/notifications/${closed.id}/replay`)).status).toBe(404);

    const later = await collect(a.request);
    await settled(a.request, `/v1/collections/${later.body.id}`);
    expect(await outboxOf(gw, later.body.id)).toEqual([]);
    await worker(gw).deliverOnce();
    expect(a.receiver.received).toHaveLength(0);
  });
});
