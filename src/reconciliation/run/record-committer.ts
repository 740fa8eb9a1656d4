import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { MomoStatus } from '../../momo/momo.types';
import { StatusSyncService } from '../../payments/status-sync.service';
import { MomoTransaction } from '../../transactions/momo-transaction.entity';
import { applyReport, lockTransaction } from '../../transactions/status-application';
import { TransactionDiscrepancy } from '../../transactions/transaction-discrepancy.entity';
import type { StatusReport } from '../../transactions/transaction.inputs';
import { NOT_FOUND_AT_MTN, type Outcome } from '../reconciliation.types';
import { classify, discrepancyKindOf, type MtnAnswer, type Verdict } from './outcome.classifier';
import { addCount, addTotals, advanceCursor, insertItem, type RunRef } from './record-writes';

interface Reported {
  status: string | null;
  reason: string | null;
  financialTransactionId: string | null;
  amount: string | null;
  currency: string | null;
}

function reportedOf(answer: MtnAnswer): Reported {
  const s = answer.kind === 'status' ? answer.status : undefined;
  return {
    status: s?.rawStatus ?? null,
    reason: s?.reason ?? null,
    financialTransactionId: s?.financialTransactionId ?? null,
    amount: s?.amount ?? null,
    currency: s?.currency ?? null,
  };
}

/**
 * Settles one record of a run in ONE database transaction: the row is locked and judged as it
 * stands at that moment (a callback may have finalised it since the batch was read), MTN's
 * status is applied by the transactions core's state machine (the same `applyReport` that
 * `TransactionsService.applyStatus` runs, with `StatusSyncService.finalHooks()`: the daily-limit
 * release and the consumer's notification), the item, the counts, the totals and the run's cursor
 * are written, and the owner is
 * checked. So a run resumed after a crash never counts a record twice, never loses a REPAIRED
 * to a later MATCHED, and a replica that lost the run cannot write to it.
 */
@Injectable()
export class RecordCommitter {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly statusSync: StatusSyncService,
  ) {}

  async commit(
    run: RunRef,
    candidate: MomoTransaction,
    answer: MtnAnswer,
    now: Date,
  ): Promise<Outcome> {
    return this.dataSource.transaction(async (manager) => {
      const locked = await lockTransaction(manager, candidate.id);
      if (!locked) throw new Error(`transaction ${candidate.id} disappeared during reconciliation`);
      const settings = this.config.reconciliation;
      const verdict = classify(locked, answer, now, {
        notFoundGraceMs: settings.notFoundGraceSeconds * 1000,
        failMissingPending: settings.failMissingPending,
      });
      const { after, discrepancy } = await this.act(manager, run, locked, verdict, answer);
      if (verdict.outcome !== 'MATCHED') {
        await insertItem(manager, run.id, locked, after, verdict, answer, discrepancy?.id ?? null);
      }
      await addCount(manager, run.id, locked, verdict.outcome);
      await addTotals(manager, run.id, after, answer);
      await advanceCursor(manager, run, locked);
      return verdict.outcome;
    });
  }

  private async act(
    manager: EntityManager,
    run: RunRef,
    locked: MomoTransaction,
    verdict: Verdict,
    answer: MtnAnswer,
  ): Promise<{ after: MomoTransaction; discrepancy?: TransactionDiscrepancy }> {
    // The daily-limit release and the consumer's notification, like every other final status.
    const onFinal = this.statusSync.finalHooks();
    const details = {
      runId: run.id,
      ...(verdict.differences.length > 0 ? { differences: verdict.differences } : {}),
    };
    let after = locked;
    let discrepancy: TransactionDiscrepancy | undefined;
    if (verdict.action === 'apply' && answer.kind === 'status') {
      const report = statusReport(answer.status, details);
      // A conflict already on file (from a callback or an earlier run) is linked, not repeated.
      const known =
        locked.status === 'PENDING' ? null : await findOpen(manager, locked.id, reportedOf(answer));
      if (known) {
        discrepancy = known;
      } else {
        const result = await applyReport(manager, locked, report, onFinal);
        after = result.transaction;
        discrepancy = result.discrepancy;
      }
    } else if (verdict.action === 'close-missing') {
      const result = await applyReport(
        manager,
        locked,
        {
          status: 'FAILED',
          source: 'reconciliation',
          reason: NOT_FOUND_AT_MTN,
          reasonMessage: `MTN did not know this reference ${Math.floor(this.config.reconciliation.notFoundGraceSeconds / 60)} minutes or more after it was created`,
          details: { runId: run.id },
        },
        onFinal,
      );
      after = result.transaction;
    }
    const flagged =
      verdict.outcome === 'MISMATCH' ||
      (verdict.outcome === 'MISSING_AT_MTN' && verdict.action !== 'close-missing');
    if (flagged && !discrepancy)
      discrepancy = await this.flag(manager, locked, verdict, answer, details);
    return { after, discrepancy };
  }

  /** A difference the state machine does not record itself (same status, or MTN silent). */
  private async flag(
    manager: EntityManager,
    locked: MomoTransaction,
    verdict: Verdict,
    answer: MtnAnswer,
    details: Record<string, unknown>,
  ): Promise<TransactionDiscrepancy> {
    const reported = reportedOf(answer);
    const kind =
      verdict.outcome === 'MISSING_AT_MTN'
        ? 'MISSING_AT_MTN'
        : discrepancyKindOf(verdict.differences);
    const known = await findOpen(manager, locked.id, reported, kind);
    if (known) return known;
    return manager.save(
      manager.create(TransactionDiscrepancy, {
        id: randomUUID(),
        transactionId: locked.id,
        kind,
        source: 'reconciliation',
        storedStatus: locked.status,
        reportedStatus: reported.status,
        reportedReason: reported.reason,
        reportedFinancialTransactionId: reported.financialTransactionId,
        reportedAmount: reported.amount,
        reportedCurrency: reported.currency,
        details: {
          ...details,
          ...(answer.kind === 'status' && answer.status.externalId !== undefined
            ? { reportedExternalId: answer.status.externalId }
            : {}),
        },
        acknowledgedAt: null,
        acknowledgedNote: null,
      }),
    );
  }
}

function statusReport(status: MomoStatus, details: Record<string, unknown>): StatusReport {
  return {
    status: status.status,
    source: 'reconciliation',
    reason: status.reason ?? null,
    financialTransactionId: status.financialTransactionId ?? null,
    reportedAmount: status.amount ?? null,
    reportedCurrency: status.currency ?? null,
    details: { mtnStatus: status.rawStatus, ...details },
  };
}

/** An unacknowledged discrepancy of this transaction with the same reported values (and kind). */
async function findOpen(
  manager: EntityManager,
  transactionId: string,
  reported: Reported,
  kind?: string,
): Promise<TransactionDiscrepancy | null> {
  const query = manager
    .createQueryBuilder(TransactionDiscrepancy, 'd')
    .where('d.transactionId = :transactionId AND d.acknowledgedAt IS NULL', { transactionId })
    .andWhere('d.reportedStatus IS NOT DISTINCT FROM :status', { status: reported.status })
    .andWhere('d.reportedFinancialTransactionId IS NOT DISTINCT FROM :fid', {
      fid: reported.financialTransactionId,
    })
    .andWhere('d.reportedAmount IS NOT DISTINCT FROM :amount', { amount: reported.amount })
    .andWhere('d.reportedCurrency IS NOT DISTINCT FROM :currency', { currency: reported.currency });
  if (kind !== undefined) query.andWhere('d.kind = :kind', { kind });
  return query.orderBy('d.createdAt', 'ASC').getOne();
}
