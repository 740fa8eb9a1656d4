import { randomBytes, randomUUID } from 'node:crypto';
import { API_KEY_SCOPES } from '../../src/auth/api-key.scopes';
import { ApiKeyStore } from '../../src/auth/api-key.store';
import { jsonRequest, type JsonRequest } from '../support/app';
import type { TestGateway } from '../support/gateway';
import {
  collect,
  outboxOf,
  settled,
  sql,
  startNotificationGateway,
  startReceiver,
  worker,
  type Receiver,
} from './support';

const HOST_NOT_ALLOWED = 'host not in NOTIFICATIONS_ALLOWED_HOSTS';

/** A notification as GET /v1/notifications lists it (the fields these tests read). */
interface ListedNotification {
  id: string;
  endpointId: string;
  status: string;
  attempts: number;
  lastError?: string;
  lastStatusCode?: number;
  nextAttemptAt?: string;
}

/**
 * With NOTIFICATIONS_ALLOWED_HOSTS set, endpoints may only point at those hosts: other URLs are
 * refused at registration, and an endpoint stored before the restriction is never called.
 * The receivers listen on 127.0.0.1, which the list leaves out; `localhost` (listed in another
 * case and with a trailing dot, both ignored) reaches them through an allowed name.
 */
describe('status notifications: NOTIFICATIONS_ALLOWED_HOSTS', () => {
  let gw: TestGateway;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    gw = await startNotificationGateway({
      env: { NOTIFICATIONS_ALLOWED_HOSTS: 'billing.internal, *.corp.example.com,LOCALHOST.' },
    });
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await gw.close();
  });

  async function receiver(): Promise<Receiver> {
    const r = await startReceiver();
    receivers.push(r);
    return r;
  }

  /** A new API key with every scope and no endpoint yet. */
  async function newKey(): Promise<{ keyId: string; request: JsonRequest }> {
    const created = await gw.app.get(ApiKeyStore).create({
      name: `allow-${randomBytes(4).toString('hex')}`,
      scopes: API_KEY_SCOPES,
      rateLimitPerMinute: 1_000_000,
    });
    return { keyId: created.summary.id, request: jsonRequest(gw.url, created.key) };
  }

  it.each([
    ['an IP address not in the list', 'http://127.0.0.1:8080/momo/notifications'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data'],
    ['an IPv6 loopback', 'http://[::1]:8080/hooks'],
    ['the domain of a wildcard itself', 'https://corp.example.com/hooks'],
    ['a look-alike of an allowed host', 'https://billing.internal.evil.example/hooks'],
    ['an allowed name as user info', 'https://billing.internal@evil.example/hooks'],
  ])('refuses to register %s (400, naming url) and stores nothing', async (_name, url) => {
    const key = await newKey();
    const res = await key.request('POST', '/v1/notification-endpoints', { url });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      retryable: false,
      details: [{ field: 'url', message: HOST_NOT_ALLOWED }],
    });
    expect((await key.request('GET', '/v1/notification-endpoints')).body.items).toEqual([]);
  });

  it('registers a URL whose host is allowed: exact, below a wildcard at any depth, any port or case', async () => {
    const key = await newKey();
    for (const url of [
      'https://billing.internal/hooks',
      'https://hooks.corp.example.com:8443/momo',
      'https://A.B.Corp.Example.com/momo',
      'http://localhost:9/momo',
    ]) {
      const res = await key.request('POST', '/v1/notification-endpoints', { url });
      expect({ url, status: res.status }).toEqual({ url, status: 201 });
    }
    expect((await key.request('GET', '/v1/notification-endpoints')).body.items).toHaveLength(4);
  });

  it('never calls an endpoint stored before the restriction: its notification ends FAILED, not retried, even when replayed', async () => {
    const key = await newKey();
    const allowed = await receiver();
    const stale = await receiver();
    const registered = await key.request('POST', '/v1/notification-endpoints', {
      url: allowed.url.replace('127.0.0.1', 'localhost'),
    });
    expect(registered.status).toBe(201);
    // As a registration made while any host was allowed left it.
    const staleId = randomUUID();
    await sql(
      gw,
      'INSERT INTO notification_endpoints (id, api_key_id, url, products, secret) VALUES ($1, $2, $3, NULL, $4)',
      [staleId, key.keyId, stale.url, `whsec_${randomBytes(32).toString('base64url')}`],
    );

    const created = await collect(key.request);
    expect(created.status).toBe(202);
    const done = await settled(key.request, `/v1/collections/${created.body.id}`);
    expect((await outboxOf(gw, done.id)).map((r) => r.status)).toEqual(['PENDING', 'PENDING']);

    const now = new Date();
    await worker(gw).deliverOnce(now);
    expect(stale.received).toEqual([]);
    expect(allowed.received.map((r) => r.body.data.id)).toEqual([done.id]);

    const notificationOf = async (endpointId: string): Promise<ListedNotification | undefined> => {
      const res = await key.request('GET', `/v1/notifications?transactionId=${done.id}`);
      return (res.body.items as ListedNotification[]).find((n) => n.endpointId === endpointId);
    };
    const refused = (await notificationOf(staleId))!;
    expect(refused).toMatchObject({ status: 'FAILED', attempts: 1, lastError: HOST_NOT_ALLOWED });
    expect(refused.nextAttemptAt).toBeUndefined();
    expect(refused.lastStatusCode).toBeUndefined();
    expect(await notificationOf(registered.body.id)).toMatchObject({ status: 'DELIVERED' });

    // Nothing is due for it later, however much later (retries would have come within 24 hours).
    await worker(gw).deliverOnce(new Date(now.getTime() + 2 * 86_400_000));
    expect(await notificationOf(staleId)).toMatchObject({ status: 'FAILED', attempts: 1 });

    // A replay is one more attempt, refused the same way.
    const replay = await key.request('POST', `/v1/notifications/${refused.id}/replay`);
    expect(replay.status).toBe(202);
    await worker(gw).deliverOnce();
    expect(await notificationOf(staleId)).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      lastError: HOST_NOT_ALLOWED,
    });
    expect(stale.received).toEqual([]);
    expect(allowed.received).toHaveLength(1);
  });
});
