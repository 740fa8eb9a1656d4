import { NotificationOutbox } from '../../src/notifications/notification-outbox.service';
import { StatusSyncService } from '../../src/payments/status-sync.service';
import { ReconciliationService } from '../../src/reconciliation/reconciliation.service';
import { TransactionsService } from '../../src/transactions/transactions.service';
import type { TestGateway } from '../support/gateway';
import {
  collect,
  newConsumer,
  outboxOf,
  reservedUg,
  settled,
  sql,
  startNotificationGateway,
  worker,
  type Consumer,
} from './support';

async function emulatorConfig(gw: TestGateway, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${gw.emulator.url}/_emulator/config`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`emulator config: ${res.status} ${await res.text()}`);
}

/**
 * The outbox row and the final status commit together, whichever path makes a transaction final,
 * and any number of replicas deliver each row once.
 */
describe('status notifications: the outbox', () => {
  let gw: TestGateway;
  /** A second replica on the same database and emulator, delivering on its own loop. */
  let replica: TestGateway;
  const consumers: Consumer[] = [];
  beforeAll(async () => {
    gw = await startNotificationGateway();
    replica = await startNotificationGateway({
      db: gw.db,
      sharedEmulator: gw.emulator,
      env: { NOTIFICATIONS_ENABLED: 'true', NOTIFICATIONS_INTERVAL_MS: '100' },
    });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await Promise.all(consumers.map((c) => c.receiver.close()));
    await replica.close();
    await gw.close();
  });

  async function consumer(): Promise<Consumer> {
    const c = await newConsumer(gw);
    consumers.push(c);
    return c;
  }

  it('rolls the status change back when the notification cannot be written, and keeps both once it can', async () => {
    const c = await consumer();
    // Slow success at MTN: PENDING here for minutes, with no callback and no polling.
    const created = await collect(c.request, reservedUg(3, '00'));
    expect(created.status).toBe(202);
    const tx = await gw.app.get(TransactionsService).findById('collection', created.body.id);
    expect(tx.status).toBe('PENDING');
    const report = {
      status: 'SUCCESSFUL',
      rawStatus: 'SUCCESSFUL',
      financialTransactionId: '700100200',
    } as const;
    const enqueue = jest
      .spyOn(gw.app.get(NotificationOutbox), 'enqueue')
      .mockRejectedValueOnce(new Error('outbox unavailable'));

    await expect(gw.app.get(StatusSyncService).apply(tx, report, 'poll')).rejects.toThrow(
      'outbox unavailable',
    );
    expect(enqueue).toHaveBeenCalledTimes(1);
    expect((await c.request('GET', `/v1/collections/${tx.id}`)).body).toMatchObject({
      status: 'PENDING',
    });
    expect((await gw.app.get(TransactionsService).events(tx.id)).map((e) => e.toStatus)).toEqual([
      'PENDING',
    ]);
    expect(await outboxOf(gw, tx.id)).toEqual([]);

    const applied = await gw.app.get(StatusSyncService).apply(tx, report, 'poll');
    expect(applied).toMatchObject({ changed: true, transaction: { status: 'SUCCESSFUL' } });
    expect((await gw.app.get(TransactionsService).events(tx.id)).map((e) => e.toStatus)).toEqual([
      'PENDING',
      'SUCCESSFUL',
    ]);
    expect(await outboxOf(gw, tx.id)).toEqual([
      expect.objectContaining({ event_type: 'transaction.succeeded', endpoint_id: c.endpointId }),
    ]);
    // A repeated report changes nothing and writes no second notification.
    expect(await gw.app.get(StatusSyncService).apply(tx, report, 'callback')).toMatchObject({
      changed: false,
    });
    expect(await outboxOf(gw, tx.id)).toHaveLength(1);
  });

  it('notifies a transaction that reconciliation settled (its callback was lost)', async () => {
    const c = await consumer();
    await emulatorConfig(gw, { callbackDropRate: 1 });
    let id: string;
    try {
      const created = await collect(c.request);
      expect(created.status).toBe(202);
      id = created.body.id as string;
      await gw.emulator.callbacksIdle();
    } finally {
      await emulatorConfig(gw, { callbackDropRate: 0 });
    }
    expect((await c.request('GET', `/v1/collections/${id}`)).body.status).toBe('PENDING');
    await sql(
      gw,
      "UPDATE momo_transactions SET created_at = now() - interval '10 minutes' WHERE id = $1",
      [id],
    );

    const { run } = await gw.app.get(ReconciliationService).start({ kind: 'stale-pending' }, 'api');
    await gw.waitFor(
      `/v1/reconciliation/runs/${run.id}`,
      (r: { status: string }) => r.status !== 'RUNNING',
      30_000,
    );
    const done = await settled(c.request, `/v1/collections/${id}`);
    expect(done.status).toBe('SUCCESSFUL');
    expect(await outboxOf(gw, id)).toEqual([
      expect.objectContaining({ event_type: 'transaction.succeeded' }),
    ]);
    // The replica's loop or this worker, whichever comes first: delivered once.
    await worker(gw).deliverOnce();
    await waitUntil(() => c.receiver.received.length >= 1);
    expect(c.receiver.received.map((r) => r.body)).toEqual([
      expect.objectContaining({ type: 'transaction.succeeded', data: done }),
    ]);
  });

  it('delivers each notification once with two replicas delivering at the same time', async () => {
    const c = await consumer();
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const created = await collect(c.request);
      expect(created.status).toBe(202);
      ids.push(created.body.id as string);
    }
    for (const id of ids) await settled(c.request, `/v1/collections/${id}`);
    // The replica's loop runs all along; both replicas are also driven by hand, concurrently.
    await Promise.all([
      worker(gw).deliverOnce(),
      worker(replica).deliverOnce(),
      worker(gw).deliverOnce(),
      worker(replica).deliverOnce(),
    ]);
    await waitUntil(
      async () =>
        (
          await sql(
            gw,
            `SELECT 1 FROM notification_outbox WHERE transaction_id = ANY($1::uuid[]) AND status = 'DELIVERED'`,
            [ids],
          )
        ).length === ids.length,
    );

    expect(c.receiver.received).toHaveLength(ids.length);
    expect(new Set(c.receiver.received.map((r) => r.headers['x-momo-gateway-delivery'])).size).toBe(
      ids.length,
    );
    expect(c.receiver.received.map((r) => r.body.data.id).sort()).toEqual([...ids].sort());
    const rows = await sql<{ attempts: number }>(
      gw,
      'SELECT attempts FROM notification_outbox WHERE transaction_id = ANY($1::uuid[])',
      [ids],
    );
    expect(rows.map((r) => r.attempts)).toEqual(ids.map(() => 1));
  });

  it('delivers on its own when NOTIFICATIONS_ENABLED (the loop)', async () => {
    const c = await newConsumer(replica);
    consumers.push(c);
    const created = await collect(c.request);
    await settled(c.request, `/v1/collections/${created.body.id}`);
    await waitUntil(() => c.receiver.received.length === 1);
    expect(c.receiver.received[0]!.body.data.id).toBe(created.body.id);
  });
});

/** Bounded wait on a condition (no fixed sleep; generous bound for a loaded machine). */
async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
