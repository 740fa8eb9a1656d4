import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { MomoStatus } from '../../momo/momo.types';
import type { MomoTransaction } from '../../transactions/momo-transaction.entity';
import { sqlRows } from '../../transactions/sql-rows';
import type { Outcome } from '../reconciliation.types';
import { isDecimal } from './decimal';
import type { MtnAnswer, Verdict } from './outcome.classifier';

/** The run is no longer this replica's (taken over after a missed heartbeat, or ended). */
export class RunOwnershipLost extends Error {
  constructor(runId: string) {
    super(`reconciliation run ${runId} is no longer owned by this replica`);
    this.name = 'RunOwnershipLost';
  }
}

export interface RunRef {
  id: string;
  owner: string;
}

/**
 * The report line of a record not MATCHED. This and the writes below are what a record adds to
 * its run, all in the record's own database transaction (see RecordCommitter).
 */
export async function insertItem(
  manager: EntityManager,
  runId: string,
  before: MomoTransaction,
  after: MomoTransaction,
  verdict: Verdict,
  answer: MtnAnswer,
  discrepancyId: string | null,
): Promise<void> {
  const mtn: Partial<MomoStatus> = answer.kind === 'status' ? answer.status : {};
  await sqlRows(
    manager,
    `INSERT INTO reconciliation_items
       (id, run_id, transaction_id, outcome, product, operation, country, status_before, status_after,
        amount, currency, mtn_currency, external_id, financial_transaction_id, mtn_status, mtn_reason,
        mtn_amount, mtn_reported_currency, mtn_external_id, mtn_financial_transaction_id, differences,
        age_seconds, error_code, note, transaction_discrepancy_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::numeric, $11, $12, $13, $14, $15, $16, $17, $18,
             $19, $20, $21::jsonb, $22, $23, $24, $25)
     RETURNING id`,
    [
      randomUUID(),
      runId,
      before.id,
      verdict.outcome,
      before.product,
      before.operation,
      before.country,
      before.status,
      after.status,
      before.amount,
      before.currency,
      before.mtnCurrency,
      before.externalId,
      after.financialTransactionId,
      mtn.rawStatus ?? null,
      mtn.reason ?? null,
      mtn.amount ?? null,
      mtn.currency ?? null,
      mtn.externalId ?? null,
      mtn.financialTransactionId ?? null,
      JSON.stringify(verdict.differences),
      Math.min(verdict.ageSeconds, 2_147_483_647),
      verdict.errorCode ?? null,
      verdict.note ?? null,
      discrepancyId,
    ],
  );
}

export async function addCount(
  manager: EntityManager,
  runId: string,
  tx: MomoTransaction,
  outcome: Outcome,
): Promise<void> {
  await sqlRows(
    manager,
    `INSERT INTO reconciliation_run_counts AS c (run_id, product, country, outcome, count)
     VALUES ($1, $2, $3, $4, 1)
     ON CONFLICT (run_id, product, country, outcome) DO UPDATE SET count = c.count + 1
     RETURNING count`,
    [runId, tx.product, tx.country, outcome],
  );
}

/** Exact sums in SQL numeric: ours after the run, and MTN's as reported. */
export async function addTotals(
  manager: EntityManager,
  runId: string,
  after: MomoTransaction,
  answer: MtnAnswer,
): Promise<void> {
  if (after.status === 'SUCCESSFUL') {
    await addTotal(manager, runId, 'gateway', after.currency, after.amount);
  }
  if (answer.kind === 'status' && answer.status.status === 'SUCCESSFUL') {
    // What MTN left out is taken from what it was sent; what is not a plain amount is not summed.
    const currency = (answer.status.currency ?? after.mtnCurrency).toUpperCase();
    const amount = answer.status.amount ?? after.amount;
    if (/^[A-Z]{3}$/.test(currency) && isDecimal(amount)) {
      await addTotal(manager, runId, 'mtn', currency, amount);
    }
  }
}

async function addTotal(
  manager: EntityManager,
  runId: string,
  side: string,
  currency: string,
  amount: string,
): Promise<void> {
  await sqlRows(
    manager,
    `INSERT INTO reconciliation_run_totals AS t (run_id, side, currency, count, amount)
     VALUES ($1, $2, $3, 1, $4::numeric)
     ON CONFLICT (run_id, side, currency) DO UPDATE SET count = t.count + 1, amount = t.amount + EXCLUDED.amount
     RETURNING count`,
    [runId, side, currency, amount],
  );
}

/** Moves the cursor past this record, only while the run is still this replica's. */
export async function advanceCursor(
  manager: EntityManager,
  run: RunRef,
  tx: MomoTransaction,
): Promise<void> {
  const rows = await sqlRows<{ id: string }>(
    manager,
    `UPDATE reconciliation_runs
        SET processed = processed + 1, cursor_product = $3, cursor_created_at = $4::timestamptz,
            cursor_id = $5, heartbeat_at = now()
      WHERE id = $1 AND owner = $2 AND status = 'RUNNING'
      RETURNING id`,
    [run.id, run.owner, tx.product, tx.createdAt.toISOString(), tx.id],
  );
  if (rows.length === 0) throw new RunOwnershipLost(run.id);
}
