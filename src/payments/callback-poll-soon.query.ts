import type { DataSource } from 'typeorm';
import type { Product } from '../common/product';
import { isUuid } from '../transactions/uuid';

/** A callback as its URL names it: not yet checked. */
export interface CallbackRef {
  product: Product;
  id: string;
  token: string;
}

/**
 * What became of a callback handed to the poller: `deferred` (its PENDING transaction is now due
 * for a poll), `duplicate` (the transaction is already final: nothing to do) or `forged` (no
 * transaction of that product with that id and token).
 */
export type PollSoonOutcome = 'deferred' | 'duplicate' | 'forged';

/**
 * Makes the transactions that callbacks name due for a poll now, in one statement for any number
 * of callbacks, without asking MTN: for callbacks the confirmation queue has no room for. Only a
 * callback with its transaction's token counts (compared as SHA-256 digests, like
 * `TransactionsService.findByCallbackToken`, so the comparison says nothing about the token).
 *
 * `next_poll_at` only ever moves earlier, and a transaction whose polls were used up gets one
 * more (`poll_attempts` below `maxAttempts`): MTN calling back means it has an answer. The
 * poller's claim (`status = 'PENDING' AND mtn_accepted AND next_poll_at <= now AND poll_attempts
 * < max`) then picks the row on its next round (a row whose create MTN has not answered yet gets
 * its first poll from `markAccepted`, as always).
 */
export async function pollSoon(
  dataSource: DataSource,
  callbacks: readonly CallbackRef[],
  now: Date,
  maxAttempts: number,
): Promise<PollSoonOutcome[]> {
  const outcomes = callbacks.map((): PollSoonOutcome => 'forged');
  const checked = callbacks.flatMap((c, n) => (isUuid(c.id) ? [{ ...c, n }] : []));
  if (checked.length === 0) return outcomes;
  const rows = await dataSource.query<Array<{ n: number; due: boolean }>>(
    `WITH c AS (
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[]) AS c(id, product, token, n)
     ), matched AS (
       SELECT c.n, t.id
         FROM c JOIN momo_transactions t ON t.id = c.id AND t.product = c.product
        WHERE sha256(convert_to(t.callback_token, 'UTF8')) = sha256(convert_to(c.token, 'UTF8'))
     ), due AS (
       UPDATE momo_transactions t
          SET next_poll_at = LEAST(t.next_poll_at, $5::timestamptz),
              poll_attempts = LEAST(t.poll_attempts, GREATEST($6::int - 1, 0)),
              updated_at = CURRENT_TIMESTAMP
        WHERE t.id IN (SELECT id FROM matched) AND t.status = 'PENDING'
    RETURNING t.id
     )
     SELECT matched.n, due.id IS NOT NULL AS due
       FROM matched LEFT JOIN due ON due.id = matched.id`,
    [
      checked.map((c) => c.id),
      checked.map((c) => c.product),
      checked.map((c) => c.token),
      checked.map((c) => c.n),
      now.toISOString(),
      maxAttempts,
    ],
  );
  for (const row of rows) outcomes[row.n] = row.due ? 'deferred' : 'duplicate';
  return outcomes;
}
