import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Money } from '../common/money';
import { MomoTransaction } from './momo-transaction.entity';
import { TransactionDiscrepancy } from './transaction-discrepancy.entity';
import { TransactionEvent } from './transaction-event.entity';
import type { ApplyStatusResult, StatusHooks, StatusReport } from './transaction.inputs';
import { decideStatus } from './transaction-state';
import type { DiscrepancyKind } from './transaction.types';

/** save(), not insert(): insert's typing refuses a free-form jsonb object. */
async function appendEvent(
  manager: EntityManager,
  event: Omit<TransactionEvent, 'id' | 'createdAt' | 'transaction'>,
): Promise<void> {
  await manager.save(manager.create(TransactionEvent, event));
}

async function recordDiscrepancy(
  manager: EntityManager,
  transaction: MomoTransaction,
  report: StatusReport,
  kind: DiscrepancyKind,
): Promise<TransactionDiscrepancy> {
  const discrepancy = manager.create(TransactionDiscrepancy, {
    id: randomUUID(),
    transactionId: transaction.id,
    kind,
    source: report.source,
    storedStatus: transaction.status,
    reportedStatus: report.status,
    reportedReason: report.reason ?? null,
    reportedFinancialTransactionId: report.financialTransactionId ?? null,
    reportedAmount: report.reportedAmount ?? null,
    reportedCurrency: report.reportedCurrency ?? null,
    details: report.details ?? null,
    acknowledgedAt: null,
    acknowledgedNote: null,
  });
  return manager.save(discrepancy);
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
 * Applies one report to a row the caller has locked (SELECT ... FOR UPDATE) in `manager`'s
 * transaction, following the state machine in transaction-state.ts.
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
      const financialTransactionId = report.financialTransactionId ?? null;
      await manager.update(MomoTransaction, { id: locked.id }, { financialTransactionId });
      await appendEvent(manager, {
        transactionId: locked.id,
        source: report.source,
        fromStatus: locked.status,
        toStatus: locked.status,
        reason: null,
        financialTransactionId,
        details: { ...report.details, added: 'financialTransactionId' },
      });
      const transaction = await manager.findOneByOrFail(MomoTransaction, { id: locked.id });
      return { transaction, changed: false, outcome: decision.kind };
    }
    case 'transition': {
      const failed = decision.to === 'FAILED';
      const reason = failed ? (report.reason ?? null) : null;
      const financialTransactionId = report.financialTransactionId ?? null;
      await manager.update(
        MomoTransaction,
        { id: locked.id },
        {
          status: decision.to,
          reason,
          reasonMessage: failed ? (report.reasonMessage ?? null) : null,
          financialTransactionId,
          completedAt: () => 'CURRENT_TIMESTAMP',
          nextPollAt: null,
        },
      );
      await appendEvent(manager, {
        transactionId: locked.id,
        source: report.source,
        fromStatus: locked.status,
        toStatus: decision.to,
        reason,
        financialTransactionId,
        details: report.details ?? null,
      });
      const discrepancy = amountDiffers(locked, report)
        ? await recordDiscrepancy(manager, locked, report, 'AMOUNT_MISMATCH')
        : undefined;
      const transaction = await manager.findOneByOrFail(MomoTransaction, { id: locked.id });
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
