import type { ReconciliationItem } from '../entities/reconciliation-item.entity';
import type { ReconciliationRunCount } from '../entities/reconciliation-run-count.entity';
import type { ReconciliationRunTotal } from '../entities/reconciliation-run-total.entity';
import type { ReconciliationRun } from '../entities/reconciliation-run.entity';
import { OUTCOMES, type Outcome } from '../reconciliation.types';
import type {
  DiscrepancyView,
  OutcomeCountView,
  OutcomeTotalsView,
  RunDetailView,
  RunSummaryView,
} from './run.views';

/** Most urgent first: what a person must look at, then what reconciliation could not settle. */
export const OUTCOME_URGENCY: readonly Exclude<Outcome, 'MATCHED'>[] = [
  'MISMATCH',
  'MISSING_AT_MTN',
  'ERROR',
  'STILL_PENDING',
  'REPAIRED',
];

export function outcomeTotals(
  counts: readonly Pick<OutcomeCountView, 'outcome' | 'count'>[],
): OutcomeTotalsView {
  const totals = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const c of counts) totals[c.outcome] += c.count;
  return totals;
}

export function toSummary(
  run: ReconciliationRun,
  counts: readonly ReconciliationRunCount[],
): RunSummaryView {
  const view: RunSummaryView = {
    id: run.id,
    kind: run.kind,
    triggeredBy: run.triggeredBy,
    status: run.status,
    window: {
      ...(run.windowFrom ? { from: run.windowFrom.toISOString() } : {}),
      to: run.windowTo.toISOString(),
    },
    startedAt: run.startedAt.toISOString(),
    heartbeatAt: run.heartbeatAt.toISOString(),
    resumedCount: run.resumedCount,
    progress: { processed: run.processed, total: run.total },
    outcomes: outcomeTotals(counts),
  };
  if (run.statusReason !== null) view.statusReason = run.statusReason;
  if (run.finishedAt !== null) view.finishedAt = run.finishedAt.toISOString();
  return view;
}

export function toDiscrepancyView(item: ReconciliationItem): DiscrepancyView {
  const mtn: DiscrepancyView['mtn'] = {};
  if (item.mtnStatus !== null) mtn.status = item.mtnStatus;
  if (item.mtnReason !== null) mtn.reason = item.mtnReason;
  if (item.mtnAmount !== null) mtn.amount = item.mtnAmount;
  if (item.mtnReportedCurrency !== null) mtn.currency = item.mtnReportedCurrency;
  if (item.mtnExternalId !== null) mtn.externalId = item.mtnExternalId;
  if (item.mtnFinancialTransactionId !== null)
    mtn.financialTransactionId = item.mtnFinancialTransactionId;
  const view: DiscrepancyView = {
    id: item.id,
    transactionId: item.transactionId,
    outcome: item.outcome,
    product: item.product,
    operation: item.operation,
    country: item.country,
    statusBefore: item.statusBefore,
    statusAfter: item.statusAfter,
    amount: item.amount,
    currency: item.currency,
    mtnCurrency: item.mtnCurrency,
    externalId: item.externalId,
    mtn,
    differences: item.differences.map((d) => ({
      field: d.field,
      ...(d.ours !== null ? { ours: d.ours } : {}),
      ...(d.mtn !== null ? { mtn: d.mtn } : {}),
    })),
    ageSeconds: item.ageSeconds,
    createdAt: item.createdAt.toISOString(),
  };
  if (item.financialTransactionId !== null)
    view.financialTransactionId = item.financialTransactionId;
  if (item.errorCode !== null) view.errorCode = item.errorCode;
  if (item.note !== null) view.note = item.note;
  if (item.transactionDiscrepancyId !== null)
    view.transactionDiscrepancyId = item.transactionDiscrepancyId;
  if (item.acknowledgedAt !== null) view.acknowledgedAt = item.acknowledgedAt.toISOString();
  if (item.acknowledgedNote !== null) view.acknowledgedNote = item.acknowledgedNote;
  return view;
}

export function toDetail(
  run: ReconciliationRun,
  counts: readonly ReconciliationRunCount[],
  totals: readonly ReconciliationRunTotal[],
  items: readonly ReconciliationItem[],
  discrepancyCount: number,
): RunDetailView {
  return {
    ...toSummary(run, counts),
    counts: counts.map((c) => ({
      product: c.product,
      country: c.country,
      outcome: c.outcome,
      count: c.count,
    })),
    totals: totals.map((t) => ({
      side: t.side,
      currency: t.currency,
      count: t.count,
      amount: t.amount,
    })),
    discrepancyCount,
    discrepancies: items.map(toDiscrepancyView),
  };
}
