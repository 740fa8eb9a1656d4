import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MomoTransaction } from '../transactions/momo-transaction.entity';
import { toTransactionView } from '../transactions/transaction.view';
import { eventOf } from './notification.types';
import { RETRY_WINDOW_MS } from './retry-schedule';

/**
 * Writes the notifications of a transaction that has just become final, in the caller's database
 * transaction (StatusSyncService's `finalHooks`): one row per live endpoint of the key that
 * created it, due at once. If this fails, the status change fails with it, so a final status is
 * never committed without its notifications. Delivery happens later, outside that transaction.
 */
@Injectable()
export class NotificationOutbox {
  /** Returns how many notifications were written (0 without a creating key or endpoints). */
  async enqueue(manager: EntityManager, tx: MomoTransaction): Promise<number> {
    if (tx.apiKeyId === null || tx.status === 'PENDING') return 0;
    const rows = await manager.query<unknown[]>(
      `INSERT INTO notification_outbox
              (id, endpoint_id, transaction_id, event_type, payload, status, attempts,
               next_attempt_at, retry_until)
       SELECT gen_random_uuid(), e.id, $1, $2, $3::jsonb, 'PENDING', 0,
              now(), now() + $4 * interval '1 millisecond'
         FROM notification_endpoints e
        WHERE e.api_key_id = $5 AND e.deleted_at IS NULL
          AND (e.products IS NULL OR $6 = ANY (e.products))
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
        tx.id,
        eventOf(tx.status),
        JSON.stringify(toTransactionView(tx)),
        RETRY_WINDOW_MS,
        tx.apiKeyId,
        tx.product,
      ],
    );
    return rows.length;
  }
}
