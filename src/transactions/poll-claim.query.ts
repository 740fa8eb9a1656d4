import type { DataSource } from 'typeorm';
import { hydrate } from './hydrate';
import { MomoTransaction } from './momo-transaction.entity';
import { autocommitRows } from './sql-rows';

export interface PollClaim {
  limit: number;
  now: Date;
  intervalMs: number;
  maxAttempts: number;
}

/**
 * Claims due polls in one autocommit statement that returns the claimed rows (no reload). The
 * locking CTE is MATERIALIZED so the rows are picked and locked exactly once. SKIP LOCKED passes
 * over a row another replica is claiming instead of waiting for it, and a row it has just claimed
 * fails the `next_poll_at` re-check: either way no row is handed out twice.
 */
export async function claimDue(
  dataSource: DataSource,
  claim: PollClaim,
): Promise<MomoTransaction[]> {
  const rows = await autocommitRows<Record<string, unknown>>(
    dataSource,
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
  RETURNING t.*`,
    [claim.limit, claim.now.toISOString(), claim.intervalMs, claim.maxAttempts],
  );
  return rows
    .map((row) => hydrate(dataSource, MomoTransaction, row))
    .sort(
      (a, b) =>
        (a.nextPollAt?.getTime() ?? 0) - (b.nextPollAt?.getTime() ?? 0) ||
        a.createdAt.getTime() - b.createdAt.getTime(),
    );
}
