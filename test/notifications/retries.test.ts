import { verifySignature } from '../../src/notifications/signature';
import type { TestGateway } from '../support/gateway';
import {
  collect,
  newConsumer,
  settled,
  startNotificationGateway,
  startReceiver,
  worker,
  type Consumer,
} from './support';

const HOUR = 3_600_000;

/**
 * A consumer that is down, slow or failing: retried with growing delays for 24 hours, driven by
 * `deliverOnce(now)` with a clock the test moves, so no backoff is waited for.
 */
describe('status notifications: retries, giving up and replay', () => {
  let gw: TestGateway;
  const consumers: Consumer[] = [];
  beforeAll(async () => {
    gw = await startNotificationGateway({ env: { NOTIFICATIONS_TIMEOUT_MS: '2000' } });
  });
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.receiver.close()));
    await gw.close();
  });

  async function consumerWith(...args: Parameters<typeof startReceiver>): Promise<Consumer> {
    const c = await newConsumer(gw, { receiver: await startReceiver(...args) });
    consumers.push(c);
    return c;
  }

  /** A SUCCESSFUL collection of the consumer's; returns its id and the notification's. */
  async function paid(c: Consumer): Promise<{ transactionId: string; notificationId: string }> {
    const created = await collect(c.request);
    await settled(c.request, `/v1/collections/${created.body.id}`);
    const listed = await c.request('GET', `/v1/notifications?transactionId=${created.body.id}`);
    expect(listed.body.items).toHaveLength(1);
    return { transactionId: created.body.id, notificationId: listed.body.items[0].id };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked by assertions
  async function notification(c: Consumer, transactionId: string): Promise<any> {
    return (await c.request('GET', `/v1/notifications?transactionId=${transactionId}`)).body
      .items[0];
  }

  it('reaches a consumer that timed out, answered 503 and dropped the connection before it came back', async () => {
    const c = await consumerWith('ok', ['hang', 503, 'destroy']);
    const { transactionId, notificationId } = await paid(c);
    let now = new Date();
    const errors: string[] = [];
    const attemptTimes: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await worker(gw).deliverOnce(now);
      attemptTimes.push(now.getTime());
      const n = await notification(c, transactionId);
      expect(n).toMatchObject({ status: 'PENDING', attempts: attempt });
      errors.push(n.lastError);
      const next = new Date(n.nextAttemptAt);
      // Not yet due just before its time: the backoff holds.
      expect(await worker(gw).deliverOnce(new Date(next.getTime() - 1))).toBe(0);
      now = next;
    }
    expect(errors).toEqual([
      'timeout after 2000 ms',
      'HTTP 503',
      expect.stringMatching(/^network error/),
    ]);
    await worker(gw).deliverOnce(now);
    expect(await notification(c, transactionId)).toMatchObject({
      status: 'DELIVERED',
      attempts: 4,
      lastStatusCode: 204,
      deliveredAt: now.toISOString(),
    });

    // Growing delays: 10 s, 20 s, 40 s nominal, each within ±25 %.
    const gaps = [
      attemptTimes[1]! - attemptTimes[0]!,
      attemptTimes[2]! - attemptTimes[1]!,
      now.getTime() - attemptTimes[2]!,
    ];
    gaps.forEach((gap, i) => {
      const nominal = 10_000 * 2 ** i;
      expect(gap).toBeGreaterThanOrEqual(nominal * 0.75);
      expect(gap).toBeLessThanOrEqual(nominal * 1.25);
    });
    // Every attempt was the same notification, signed at its own time.
    expect(c.receiver.received).toHaveLength(4);
    expect(new Set(c.receiver.received.map((r) => r.headers['x-momo-gateway-delivery']))).toEqual(
      new Set([notificationId]),
    );
    expect(new Set(c.receiver.received.map((r) => r.raw)).size).toBe(1);
    const last = c.receiver.received[3]!;
    expect(
      verifySignature(c.secret, last.headers['x-momo-gateway-signature'] as string, last.raw, now),
    ).toBe(true);
  });

  it('gives up as FAILED after 24 hours of failures, and not before', async () => {
    const c = await consumerWith(500);
    const { transactionId } = await paid(c);
    const first = await notification(c, transactionId);
    const retryUntil = new Date(first.retryUntil).getTime();
    expect(retryUntil - new Date(first.createdAt).getTime()).toBe(24 * HOUR);

    let now = new Date();
    let attempts = 0;
    for (;;) {
      await worker(gw).deliverOnce(now);
      attempts += 1;
      const n = await notification(c, transactionId);
      if (n.status !== 'PENDING') {
        expect(n).toMatchObject({
          status: 'FAILED',
          attempts,
          lastStatusCode: 500,
          lastError: 'HTTP 500',
        });
        expect(n.nextAttemptAt).toBeUndefined();
        break;
      }
      expect(now.getTime()).toBeLessThan(retryUntil);
      now = new Date(n.nextAttemptAt);
      expect(attempts).toBeLessThan(60);
    }
    expect(now.getTime()).toBe(retryUntil);
    expect(attempts).toBeGreaterThanOrEqual(25);
    expect(c.receiver.received).toHaveLength(attempts);
    // Given up is final: no more attempts, whatever the time.
    await worker(gw).deliverOnce(new Date(retryUntil + 7 * 24 * HOUR));
    expect(c.receiver.received).toHaveLength(attempts);
  });

  it('replays a FAILED notification now, with a fresh retry window, and it is delivered', async () => {
    const c = await consumerWith(503);
    const { transactionId, notificationId } = await paid(c);
    const late = new Date(Date.now() + 25 * HOUR);
    await worker(gw).deliverOnce(late);
    expect(await notification(c, transactionId)).toMatchObject({ status: 'FAILED', attempts: 1 });

    c.receiver.otherwise = 'ok';
    const replayed = await c.request('POST', `/v1/notifications/${notificationId}/replay`);
    expect(replayed.status).toBe(202);
    expect(replayed.body).toMatchObject({
      id: notificationId,
      status: 'PENDING',
      attempts: 0,
      lastError: 'HTTP 503',
    });
    expect(
      new Date(replayed.body.retryUntil).getTime() -
        new Date(replayed.body.nextAttemptAt).getTime(),
    ).toBe(24 * HOUR);
    await worker(gw).deliverOnce();
    expect(await notification(c, transactionId)).toMatchObject({
      status: 'DELIVERED',
      attempts: 1,
    });
    expect(c.receiver.received.map((r) => r.headers['x-momo-gateway-delivery'])).toEqual([
      notificationId,
      notificationId,
    ]);
  });

  it('replays a DELIVERED notification: the same delivery id and body again', async () => {
    const c = await consumerWith('ok');
    const { transactionId, notificationId } = await paid(c);
    await worker(gw).deliverOnce();
    expect(await notification(c, transactionId)).toMatchObject({ status: 'DELIVERED' });
    const replayed = await c.request('POST', `/v1/notifications/${notificationId}/replay`);
    expect(replayed.status).toBe(202);
    expect(replayed.body.deliveredAt).toBeUndefined();
    await worker(gw).deliverOnce();
    expect(c.receiver.received).toHaveLength(2);
    expect(c.receiver.received[1]!.raw).toBe(c.receiver.received[0]!.raw);
    expect(await notification(c, transactionId)).toMatchObject({
      status: 'DELIVERED',
      attempts: 1,
    });
  });

  it('does not record the result of an attempt that a replay overtook', async () => {
    const c = await consumerWith('ok', ['hang']);
    const { transactionId, notificationId } = await paid(c);
    const round = worker(gw).deliverOnce();
    // The attempt reaches the consumer, which holds it; the notification is replayed meanwhile,
    // then the consumer answers 204 to the old attempt.
    while (c.receiver.received.length === 0) await new Promise((r) => setTimeout(r, 10));
    expect((await c.request('POST', `/v1/notifications/${notificationId}/replay`)).status).toBe(
      202,
    );
    c.receiver.release();
    await round;
    // The old attempt lost the row: not DELIVERED by it; the replay's state stands, due now.
    expect(await notification(c, transactionId)).toMatchObject({ status: 'PENDING', attempts: 0 });
    await worker(gw).deliverOnce();
    expect(await notification(c, transactionId)).toMatchObject({
      status: 'DELIVERED',
      attempts: 1,
    });
  });

  it('lists by status with cursor pagination, newest first', async () => {
    const c = await consumerWith(503);
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await paid(c)).notificationId);
    const first = await c.request('GET', '/v1/notifications?status=PENDING&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((n: { id: string }) => n.id)).toEqual([ids[2], ids[1]]);
    const second = await c.request(
      'GET',
      `/v1/notifications?status=PENDING&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((n: { id: string }) => n.id)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeUndefined();
    expect((await c.request('GET', '/v1/notifications?status=DELIVERED')).body.items).toEqual([]);
    expect((await c.request('GET', '/v1/notifications?status=LOST')).status).toBe(400);
    expect((await c.request('GET', '/v1/notifications?transactionId=nope')).status).toBe(400);
    expect((await c.request('GET', '/v1/notifications?cursor=%%%')).status).toBe(400);
  });
});
