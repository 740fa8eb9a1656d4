import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  NotificationOutboxPruner,
  PRUNE_SQL,
} from '../../src/notifications/notification-outbox.pruner';
import { MetricsService } from '../../src/observability/metrics.service';
import type { TestGateway } from '../support/gateway';
import {
  collect,
  newConsumer,
  outboxOf,
  settled,
  sql,
  startNotificationGateway,
  type Consumer,
} from './support';

const DAY = 24 * 3_600_000;

/**
 * The outbox retention (NOTIFICATIONS_RETENTION_DAYS, 30 here): rows are aged by rewriting their
 * timestamps, and `pruneOnce(now)` is called directly, so nothing waits for the hourly round.
 */
describe('status notifications: outbox retention', () => {
  let gw: TestGateway;
  let consumer: Consumer;
  const now = new Date();
  const daysAgo = (days: number): string => new Date(now.getTime() - days * DAY).toISOString();

  beforeAll(async () => {
    gw = await startNotificationGateway({ env: { NOTIFICATIONS_RETENTION_DAYS: '30' } });
    consumer = await newConsumer(gw);
  });
  afterAll(async () => {
    await consumer.receiver.close();
    await gw.close();
  });

  const pruner = (): NotificationOutboxPruner => gw.app.get(NotificationOutboxPruner);

  /** `count` notifications (PENDING, just written), one per SUCCESSFUL collection; their ids. */
  async function notifications(count: number): Promise<string[]> {
    return Promise.all(
      Array.from({ length: count }, async () => {
        const created = await collect(consumer.request);
        await settled(consumer.request, `/v1/collections/${created.body.id}`);
        const rows = await outboxOf(gw, created.body.id as string);
        expect(rows).toHaveLength(1);
        return rows[0]!.id;
      }),
    );
  }

  interface Shape {
    status: 'PENDING' | 'DELIVERED' | 'FAILED';
    /** Days before `now` it was written. */
    created: number;
    /** Days before `now` of its last attempt (none: never attempted). */
    attempted?: number;
  }

  /** Rewrites a row into a state and age that passes the table's checks. */
  async function shape(id: string, s: Shape): Promise<void> {
    const attemptedAt = s.attempted === undefined ? null : daysAgo(s.attempted);
    await sql(
      gw,
      `UPDATE notification_outbox
          SET status = $2::varchar, created_at = $3::timestamptz, last_attempt_at = $4::timestamptz,
              attempts = CASE WHEN $4::timestamptz IS NULL THEN 0 ELSE 3 END,
              delivered_at = CASE WHEN $2::varchar = 'DELIVERED' THEN $4::timestamptz END,
              next_attempt_at = CASE WHEN $2::varchar = 'PENDING' THEN $5::timestamptz END,
              retry_until = $3::timestamptz + interval '24 hours', attempt_id = NULL
        WHERE id = $1`,
      [id, s.status, daysAgo(s.created), attemptedAt, now.toISOString()],
    );
  }

  async function remaining(ids: string[]): Promise<string[]> {
    const rows = await sql<{ id: string }>(
      gw,
      'SELECT id FROM notification_outbox WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return rows.map((r) => r.id).sort();
  }

  it('deletes old DELIVERED and FAILED notifications and keeps recent and PENDING ones of any age', async () => {
    const shapes: Record<string, Shape> = {
      oldDelivered: { status: 'DELIVERED', created: 45, attempted: 45 },
      oldFailed: { status: 'FAILED', created: 46, attempted: 45 },
      // Closed by an endpoint deletion before any attempt.
      oldFailedUnattempted: { status: 'FAILED', created: 40 },
      recentDelivered: { status: 'DELIVERED', created: 5, attempted: 5 },
      recentFailed: { status: 'FAILED', created: 29, attempted: 28 },
      // Written long ago, replayed and given up again lately: its last activity counts.
      oldButReplayedFailed: { status: 'FAILED', created: 60, attempted: 2 },
      oldDeliveredAfterReplay: { status: 'DELIVERED', created: 90, attempted: 1 },
      // Still being retried (or replayed) however old: never deleted.
      oldRetrying: { status: 'PENDING', created: 90, attempted: 89 },
      oldNeverAttempted: { status: 'PENDING', created: 90 },
    };
    const names = Object.keys(shapes);
    const ids = await notifications(names.length);
    const idOf = Object.fromEntries(names.map((name, i) => [name, ids[i]!]));
    for (const name of names) await shape(idOf[name]!, shapes[name]!);
    // In flight: a claimed row of a retrying notification keeps its lease, and is kept too.
    await sql(gw, 'UPDATE notification_outbox SET attempt_id = gen_random_uuid() WHERE id = $1', [
      idOf.oldRetrying,
    ]);

    expect(await pruner().pruneOnce(now)).toBe(3);
    const deleted = ['oldDelivered', 'oldFailed', 'oldFailedUnattempted'];
    const kept = names.filter((n) => !deleted.includes(n));
    expect(await remaining(ids)).toEqual(kept.map((n) => idOf[n]!).sort());
    // Nothing left to do: a second round deletes nothing.
    expect(await pruner().pruneOnce(now)).toBe(0);

    const metrics = await gw.app.get(MetricsService).render();
    expect(metrics).toMatch(/^momo_notifications_pruned_total 3$/m);
    // The deleted notifications are gone from the consumer's list too.
    const listed = await consumer.request('GET', '/v1/notifications?limit=200');
    const listedIds = (listed.body.items as { id: string }[]).map((n) => n.id);
    expect(listedIds).not.toContain(idOf.oldDelivered);
    expect(listedIds).toContain(idOf.recentDelivered);
  });

  it('loops over batches until every expired row is gone', async () => {
    const ids = await notifications(5);
    for (const id of ids) await shape(id, { status: 'DELIVERED', created: 31, attempted: 31 });
    // Batches of 2: 2 + 2 + 1, the short one ends the round.
    expect(await pruner().pruneOnce(now, 2)).toBe(5);
    expect(await remaining(ids)).toEqual([]);
  });

  it('finds expired rows through the finished-rows index, not by scanning the outbox', async () => {
    // A small test table favours a scan whatever the indexes: forbid it to see whether the
    // index can serve the pruner's query at all (its expression must be the query's).
    const client = new Client({ connectionString: gw.db.url });
    await client.connect();
    let plan: unknown;
    try {
      await client.query('SET enable_seqscan = off');
      plan = (await client.query(`EXPLAIN (FORMAT JSON) ${PRUNE_SQL}`, [now.toISOString(), 1000]))
        .rows[0];
    } finally {
      await client.end();
    }
    expect(JSON.stringify(plan)).toContain('idx_notification_outbox_finished');
  });

  it('keeps everything when the retention is 0', async () => {
    const ids = await notifications(2);
    await shape(ids[0]!, { status: 'DELIVERED', created: 3650, attempted: 3650 });
    await shape(ids[1]!, { status: 'FAILED', created: 3650, attempted: 3649 });
    const keepForever = new NotificationOutboxPruner(
      { ...gw.config, notifications: { ...gw.config.notifications, retentionDays: 0 } },
      gw.app.get(DataSource),
      gw.app.get(MetricsService),
    );
    expect(await keepForever.pruneOnce(now)).toBe(0);
    expect(await remaining(ids)).toEqual([...ids].sort());
    // The configured pruner of this gateway (30 days) would have deleted them.
    expect(await pruner().pruneOnce(now)).toBe(2);
  });
});
