import { isFinalStatus, type FinalStatus, type TransactionStatus } from './transaction.types';

/** What the stored row says now. */
export interface CurrentState {
  status: TransactionStatus;
  financialTransactionId: string | null;
}

/** What a callback, a poll, our own API call or reconciliation says about the transaction. */
export interface ReportedState {
  status: TransactionStatus;
  financialTransactionId?: string | null;
}

/**
 * The one rule for status changes: only PENDING may become SUCCESSFUL or FAILED, and a final
 * status never changes. Every report leads to exactly one of these:
 *
 * - `transition`: PENDING → final; the row changes and one event is appended.
 * - `still-pending`: PENDING reported for a PENDING row; nothing is recorded.
 * - `stale`: PENDING reported for a final row. It happens when a poll that started before the
 *   callback finalised the row answers after it; MTN never moves a final transaction back, so it
 *   is ignored and nothing is recorded (recording it would flood reconciliation with noise).
 * - `duplicate`: the same final status again (MTN delivers callbacks more than once, and polls
 *   race callbacks); nothing is recorded, so replays leave the audit trail as it was.
 * - `enrich`: the same final status carrying the `financialTransactionId` the row still lacks;
 *   the id is stored and one event (same from/to status) records it. The status does not change.
 * - `conflict`: a different final status, or a different `financialTransactionId`; the row is
 *   left alone and the report is kept as a discrepancy for a human or reconciliation to settle.
 */
export type StatusDecision =
  | { kind: 'transition'; to: FinalStatus }
  | { kind: 'still-pending' }
  | { kind: 'stale' }
  | { kind: 'duplicate' }
  | { kind: 'enrich' }
  | { kind: 'conflict'; on: 'status' | 'financialTransactionId' };

export function decideStatus(current: CurrentState, reported: ReportedState): StatusDecision {
  if (!isFinalStatus(current.status)) {
    return isFinalStatus(reported.status)
      ? { kind: 'transition', to: reported.status }
      : { kind: 'still-pending' };
  }
  if (!isFinalStatus(reported.status)) return { kind: 'stale' };
  if (reported.status !== current.status) return { kind: 'conflict', on: 'status' };
  const reportedId = reported.financialTransactionId ?? null;
  if (reportedId === null || reportedId === current.financialTransactionId) {
    return { kind: 'duplicate' };
  }
  if (current.financialTransactionId === null) return { kind: 'enrich' };
  return { kind: 'conflict', on: 'financialTransactionId' };
}
