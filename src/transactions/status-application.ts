import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Money } from '../common/money';
import { hydrate } from './hydrate';
import { MomoTransaction } from './momo-transaction.entity';
import { sqlRows } from './sql-rows';
import { TRANSACTION_COLUMNS } from './transaction-columns';
import { TransactionDiscrepancy } from './transaction-discrepancy.entity';
import type { ApplyStatusResult, StatusHooks, StatusReport } from './transaction.inputs';
import { decideStatus } from './transaction-state';
import type { DiscrepancyKind } from './transaction.types';

type Row = Record<string, unknown>;

const LOCK_SQL = `
  SELECT ${TRANSACTION_COLUMNS}
    FROM momo_transactions
   WHERE id = $1
     FOR UPDATE`;

// PENDING → final and its event in one statement, the row coming back for hydration (no reload),
// as the create path does. The status guard never fails under the caller's row lock; it keeps a
// final status from being overwritten should a caller ever pass a row it did not lock.
const TRANSITION_SQL = `
  WITH t AS (
    UPDATE momo_transactions
       SET status = $2, reason = $3, reason_message = $4, financial_transaction_id = $5,
           completed_at = CURRENT_TIMESTAMP, next_poll_at = NULL, updated_at = CURRENT_TIMESTAMP
     WHERE id = $1 AND status = 'PENDING'
    RETURNING ${TRANSACTION_COLUMNS}
  ), e AS (
    INSERT INTO transaction_events
           (transaction_id, source, from_status, to_status, reason, financial_transaction_id, details)
    SELECT id, $6, 'PENDING', $2, $3, $5, $7::jsonb FROM t
  )
  SELECT * FROM t`;

// A late financialTransactionId and its event (same status on both sides), likewise.
const ENRICH_SQL = `
  WITH t AS (
    UPDATE momo_transactions
       SET financial_transaction_id = $2, updated_at = CURRENT_TIMESTAMP
     WHERE id = $1 AND financial_transaction_id IS NULL
    RETURNING ${TRANSACTION_COLUMNS}
  ), e AS (
    INSERT INTO transaction_events
           (transaction_id, source, from_status, to_status, reason, financial_transaction_id, details)
    SELECT id, $3, status, status, NULL, $2, $4::jsonb FROM t
  )
  SELECT * FROM t`;

const INSERT_DISCREPANCY_SQL = `
  INSERT INTO transaction_discrepancies
         (id, transaction_id, kind, source, stored_status, reported_status, reported_reason,
          reported_financial_transaction_id, reported_amount, reported_currency, details,
          acknowledged_at, acknowledged_note)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, NULL, NULL)
  RETURNING *`;

/** A jsonb parameter: SQL NULL for none (JSON.stringify(null) would store the JSON `null`). */
function jsonb(value: Record<string, unknown> | null | undefined): string | null {
  return value == null ? null : JSON.stringify(value);
}

/**
 * Locks the row for the rest of `manager`'s transaction (SELECT … FOR UPDATE) and returns it as
 * `findOne` would; undefined when there is no such row. `id` must be a UUID.
 */
export async function lockTransaction(
  manager: EntityManager,
  id: string,
): Promise<MomoTransaction | undefined> {
  const [row] = await sqlRows<Row>(manager, LOCK_SQL, [id]);
  return row && hydrate(manager.connection, MomoTransaction, row);
}

/** The row a CTE updated and returned; a missing one means the row was not locked as required. */
async function updated(
  manager: EntityManager,
  sql: string,
  parameters: unknown[],
  locked: MomoTransaction,
): Promise<MomoTransaction> {
  const [row] = await sqlRows<Row>(manager, sql, parameters);
  if (!row) {
    throw new Error(`Transaction ${locked.id} changed under its lock (was ${locked.status})`);
  }
  return hydrate(manager.connection, MomoTransaction, row);
}

/** One INSERT … RETURNING: the discrepancy as a find would load it. */
async function recordDiscrepancy(
  manager: EntityManager,
  transaction: MomoTransaction,
  report: StatusReport,
  kind: DiscrepancyKind,
): Promise<TransactionDiscrepancy> {
  const [row] = await sqlRows<Row>(manager, INSERT_DISCREPANCY_SQL, [
    randomUUID(),
    transaction.id,
    kind,
    report.source,
    transaction.status,
    report.status,
    report.reason ?? null,
    report.financialTransactionId ?? null,
    report.reportedAmount ?? null,
    report.reportedCurrency ?? null,
    jsonb(report.details),
  ]);
  if (!row) throw new Error('INSERT … RETURNING returned no row');
  return hydrate(manager.connection, TransactionDiscrepancy, row);
}

/** Compared by value (MTN writes "1000.00" for our "1000"); unparseable counts as different. */
function sameAmount(stored: string, reported: string, currency: string): boolean {
  try {
    return Money.parse(stored, currency).equals(Money.parse(reported, currency));
  } catch {
    return false;
  }
}

/** MTN reported another amount or currency than we sent: applied, but kept for a human. */
function amountDiffers(transaction: MomoTransaction, report: StatusReport): boolean {
  const currency = report.reportedCurrency ?? transaction.mtnCurrency;
  if (currency !== transaction.mtnCurrency) return true;
  return (
    report.reportedAmount != null &&
    !sameAmount(transaction.amount, report.reportedAmount, transaction.mtnCurrency)
  );
}

/**
 * Applies one report to a row the caller has locked (`lockTransaction`, SELECT … FOR UPDATE) in
 * `manager`'s transaction, following the state machine in transaction-state.ts. Statements: a
 * transition is one (the row and its event, the row returned), two with an amount mismatch, then
 * the hooks'; an enrich is one; a conflict is one (the discrepancy); the other outcomes none.
 */
export async function applyReport(
  manager: EntityManager,
  locked: MomoTransaction,
  report: StatusReport,
  hooks: StatusHooks = {},
): Promise<ApplyStatusResult> {
  const decision = decideStatus(locked, report);
  switch (decision.kind) {
    case 'still-pending':
    case 'stale':
    case 'duplicate':
      return { transaction: locked, changed: false, outcome: decision.kind };
    case 'conflict': {
      const kind = decision.on === 'status' ? 'STATUS_CONFLICT' : 'FINANCIAL_ID_CONFLICT';
      const discrepancy = await recordDiscrepancy(manager, locked, report, kind);
      return { transaction: locked, changed: false, outcome: decision.kind, discrepancy };
    }
    case 'enrich': {
      const transaction = await updated(
        manager,
        ENRICH_SQL,
        [
          locked.id,
          report.financialTransactionId ?? null,
          report.source,
          jsonb({ ...report.details, added: 'financialTransactionId' }),
        ],
        locked,
      );
      return { transaction, changed: false, outcome: decision.kind };
    }
    case 'transition': {
      const failed = decision.to === 'FAILED';
      const transaction = await updated(
        manager,
        TRANSITION_SQL,
        [
          locked.id,
          decision.to,
          failed ? (report.reason ?? null) : null,
          failed ? (report.reasonMessage ?? null) : null,
          report.financialTransactionId ?? null,
          report.source,
          jsonb(report.details),
        ],
        locked,
      );
      const discrepancy = amountDiffers(locked, report)
        ? await recordDiscrepancy(manager, locked, report, 'AMOUNT_MISMATCH')
        : undefined;
      await hooks.onFinal?.(manager, transaction);
      return {
        transaction,
        changed: true,
        outcome: decision.kind,
        ...(discrepancy ? { discrepancy } : {}),
      };
    }
  }
}
