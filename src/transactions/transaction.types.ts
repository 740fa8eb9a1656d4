import type { Product } from '../common/product';

export const TRANSACTION_STATUSES = ['PENDING', 'SUCCESSFUL', 'FAILED'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];
export type FinalStatus = Exclude<TransactionStatus, 'PENDING'>;

/** MTN's creating operations, named as in MTN's paths (`/v1_0/requesttopay` → `requestToPay`). */
export const TRANSACTION_OPERATIONS = [
  'requestToPay',
  'requestToWithdraw',
  'transfer',
  'deposit',
  'refund',
  'cashTransfer',
] as const;
export type TransactionOperation = (typeof TRANSACTION_OPERATIONS)[number];

/**
 * Which operation exists under which MTN product. A refund is a Disbursement call
 * (`POST /disbursement/v1_0/refund`) whose `referenceIdToRefund` names a collection, so a refund
 * row is product `disbursement` with `parent_id` pointing at the collection.
 */
export const OPERATIONS_BY_PRODUCT: Readonly<Record<Product, readonly TransactionOperation[]>> = {
  collection: ['requestToPay', 'requestToWithdraw'],
  disbursement: ['transfer', 'deposit', 'refund'],
  remittance: ['transfer', 'cashTransfer'],
};

/** Who reported a status: our own API call, MTN's callback, the poller, or reconciliation. */
export const EVENT_SOURCES = ['api', 'callback', 'poll', 'reconciliation'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

/** Why a report was kept as a discrepancy instead of being applied. Reconciliation may add kinds. */
export type DiscrepancyKind = 'STATUS_CONFLICT' | 'FINANCIAL_ID_CONFLICT' | 'AMOUNT_MISMATCH';

export function isFinalStatus(status: TransactionStatus): status is FinalStatus {
  return status !== 'PENDING';
}

/** SQL `IN (...)` list for a CHECK constraint; shared by the entities and the migration. */
export function sqlList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}
