import type { EntityManager } from 'typeorm';
import { sqlRows } from '../transactions/sql-rows';
import type { TransactionView } from '../transactions/transaction.view';
import type { NotificationEvent } from './notification.types';

/** A notification taken for one attempt, with what is needed to send it. */
export interface ClaimedDelivery {
  id: string;
  attemptId: string;
  /** This attempt's number (1 for the first since written or replayed). */
  attempts: number;
  event: NotificationEvent;
  payload: TransactionView;
  createdAt: Date;
  retryUntil: Date;
  endpointId: string;
  url: string;
  secret: string;
}

interface Row {
  id: string;
  attempt_id: string;
  attempts: number;
  event_type: NotificationEvent;
  payload: TransactionView;
  created_at: Date;
  retry_until: Date;
  endpoint_id: string;
  url: string;
  secret: string;
}

/**
 * Claims up to `limit` due notifications in one statement, like the poller's claim: the locking
 * CTE is MATERIALIZED so rows are picked and locked once, and SKIP LOCKED passes over rows another
 * replica is claiming. Each claimed row gets a new `attempt_id` and its `next_attempt_at` moved
 * `leaseMs` ahead: no other worker takes it meanwhile, and if this one dies mid-attempt the row
 * comes back when the lease ends. Only the holder of `attempt_id` may record the result.
 */
export async function claimDueDeliveries(
  manager: EntityManager,
  claim: { limit: number; now: Date; leaseMs: number },
): Promise<ClaimedDelivery[]> {
  const rows = await sqlRows<Row>(
    manager,
    `WITH due AS MATERIALIZED (
       SELECT id FROM notification_outbox
        WHERE status = 'PENDING' AND next_attempt_at <= $1::timestamptz
        ORDER BY next_attempt_at
        LIMIT $2
          FOR UPDATE SKIP LOCKED
     )
     UPDATE notification_outbox o
        SET attempts = o.attempts + 1,
            attempt_id = gen_random_uuid(),
            last_attempt_at = $1::timestamptz,
            next_attempt_at = $1::timestamptz + $3 * interval '1 millisecond'
       FROM due, notification_endpoints e
      WHERE o.id = due.id AND e.id = o.endpoint_id
  RETURNING o.id, o.attempt_id, o.attempts, o.event_type, o.payload, o.created_at, o.retry_until,
            o.endpoint_id, e.url, e.secret`,
    [claim.now.toISOString(), claim.limit, claim.leaseMs],
  );
  return rows.map((r) => ({
    id: r.id,
    attemptId: r.attempt_id,
    attempts: r.attempts,
    event: r.event_type,
    payload: r.payload,
    createdAt: r.created_at,
    retryUntil: r.retry_until,
    endpointId: r.endpoint_id,
    url: r.url,
    secret: r.secret,
  }));
}

export type AttemptResult =
  | { kind: 'delivered'; at: Date; statusCode: number }
  | { kind: 'retry'; next: Date; statusCode: number | null; error: string }
  | { kind: 'failed'; statusCode: number | null; error: string };

/**
 * Records an attempt's result, only while the attempt still holds the row (a replay or a
 * re-claim after the lease changed `attempt_id`). Returns false when it no longer did.
 */
export async function recordAttempt(
  manager: EntityManager,
  delivery: Pick<ClaimedDelivery, 'id' | 'attemptId'>,
  result: AttemptResult,
): Promise<boolean> {
  const [status, nextAttemptAt, deliveredAt, statusCode, error] =
    result.kind === 'delivered'
      ? ['DELIVERED', null, result.at.toISOString(), result.statusCode, null]
      : result.kind === 'retry'
        ? [
            'PENDING',
            result.next.toISOString(),
            null,
            result.statusCode,
            result.error.slice(0, 200),
          ]
        : ['FAILED', null, null, result.statusCode, result.error.slice(0, 200)];
  const rows = await sqlRows<{ id: string }>(
    manager,
    `UPDATE notification_outbox
        SET status = $3, next_attempt_at = $4::timestamptz, delivered_at = $5::timestamptz,
            last_status_code = $6, last_error = $7, attempt_id = NULL
      WHERE id = $1 AND attempt_id = $2
  RETURNING id`,
    [delivery.id, delivery.attemptId, status, nextAttemptAt, deliveredAt, statusCode, error],
  );
  return rows.length > 0;
}
