import type { EntityManager } from 'typeorm';
import { MomoTransaction } from './momo-transaction.entity';
import { sqlRows } from './sql-rows';

export interface PollClaim {
  limit: number;
  now: Date;
  intervalMs: number;
  maxAttempts: number;
}

/**
 * Claims due polls in one statement. The locking CTE is MATERIALIZED so the rows are picked
 * and locked exactly once. SKIP LOCKED passes over a row another replica is claiming instead of
 * waiting for it, and a row it has just claimed fails the `next_poll_at` re-check: either way no
 * row is handed out twice.
 */
export async function claimDue(
  manager: EntityManager,
  claim: PollClaim,
): Promise<MomoTransaction[]> {
  const claimed = await sqlRows<{ id: string }>(
    manager,
    `WITH due AS MATERIALIZED (
       SELECT id FROM momo_transactions
        WHERE status = 'PENDING' AND mtn_accepted AND next_poll_at <= $2::timestamptz
          AND poll_attempts < $4
        ORDER BY next_poll_at
        LIMIT $1
          FOR UPDATE SKIP LOCKED
     )
     UPDATE momo_transactions t
        SET next_poll_at = $2::timestamptz + $3 * interval '1 millisecond',
            poll_attempts = t.poll_attempts + 1,
            updated_at = CURRENT_TIMESTAMP
       FROM due
      WHERE t.id = due.id
  RETURNING t.id`,
    [claim.limit, claim.now.toISOString(), claim.intervalMs, claim.maxAttempts],
  );
  if (claimed.length === 0) return [];
  return manager
    .createQueryBuilder(MomoTransaction, 't')
    .where('t.id IN (:...ids)', { ids: claimed.map((r) => r.id) })
    .orderBy('t.nextPollAt', 'ASC')
    .addOrderBy('t.createdAt', 'ASC')
    .getMany();
}
