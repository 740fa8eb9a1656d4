import type { MomoStatus } from '../../momo/momo.types';
import type { TransactionStatus } from '../../transactions/transaction.types';
import {
  NOT_FOUND_AT_MTN,
  type Outcome,
  type ReconciliationDiscrepancyKind,
} from '../reconciliation.types';
import { sameDecimal } from './decimal';

/** What we hold about a transaction, as far as reconciliation compares it. */
export interface StoredRecord {
  status: TransactionStatus;
  amount: string;
  /** The currency MTN was sent (EUR in the sandbox); MTN's answer is compared with this one. */
  mtnCurrency: string;
  externalId: string;
  financialTransactionId: string | null;
  createdAt: Date;
}

/** MTN's answer to the one status call a record gets. */
export type MtnAnswer =
  | { kind: 'status'; status: MomoStatus }
  /** 404: MTN does not know the reference. */
  | { kind: 'not-found' }
  /** No usable answer (unreachable, breaker open, refused); `code` is ours. */
  | { kind: 'error'; code: string };

export type DifferenceField =
  'status' | 'financialTransactionId' | 'amount' | 'currency' | 'externalId';

export interface Difference {
  field: DifferenceField;
  ours: string | null;
  mtn: string | null;
}

export interface ClassifySettings {
  /** A 404 younger than this means "not known yet", not "missing". */
  notFoundGraceMs: number;
  /** Close a PENDING transaction MTN never heard of as FAILED NOT_FOUND_AT_MTN. */
  failMissingPending: boolean;
}

/**
 * - `apply`: report MTN's status to the state machine (PENDING → final, a late financial id, or
 *   a conflicting final status it keeps as a discrepancy);
 * - `close-missing`: FAILED with reason NOT_FOUND_AT_MTN;
 * - `none`: change nothing.
 */
export type VerdictAction = 'apply' | 'close-missing' | 'none';

export interface Verdict {
  outcome: Outcome;
  action: VerdictAction;
  /** Where MTN's record and ours disagree (empty unless MISMATCH). */
  differences: Difference[];
  /** How old the transaction is, for STILL_PENDING and MISSING_AT_MTN. */
  ageSeconds: number;
  /** Set for ERROR. */
  errorCode?: string;
  /** One line for the report when the outcome needs explaining. */
  note?: string;
}

/** Where MTN's record and ours disagree, besides the status. MTN's omissions are not differences. */
export function fieldDifferences(stored: StoredRecord, mtn: MomoStatus): Difference[] {
  const differences: Difference[] = [];
  if (
    stored.financialTransactionId !== null &&
    mtn.financialTransactionId !== undefined &&
    mtn.financialTransactionId !== stored.financialTransactionId
  ) {
    differences.push({
      field: 'financialTransactionId',
      ours: stored.financialTransactionId,
      mtn: mtn.financialTransactionId,
    });
  }
  if (mtn.amount !== undefined && !sameDecimal(stored.amount, mtn.amount)) {
    differences.push({ field: 'amount', ours: stored.amount, mtn: mtn.amount });
  }
  if (
    mtn.currency !== undefined &&
    mtn.currency.toUpperCase() !== stored.mtnCurrency.toUpperCase()
  ) {
    differences.push({ field: 'currency', ours: stored.mtnCurrency, mtn: mtn.currency });
  }
  if (mtn.externalId !== undefined && mtn.externalId !== stored.externalId) {
    differences.push({ field: 'externalId', ours: stored.externalId, mtn: mtn.externalId });
  }
  return differences;
}

function notFound(
  stored: StoredRecord,
  ageMs: number,
  ageSeconds: number,
  settings: ClassifySettings,
): Verdict {
  if (ageMs < settings.notFoundGraceMs) {
    // Right after a create MTN may answer 404 for a while: unknown, not missing.
    return stored.status === 'PENDING'
      ? {
          outcome: 'STILL_PENDING',
          action: 'none',
          differences: [],
          ageSeconds,
          note: 'not known at MTN yet (within the grace period)',
        }
      : {
          outcome: 'ERROR',
          action: 'none',
          differences: [],
          ageSeconds,
          errorCode: 'MTN_RESOURCE_NOT_FOUND',
          note: 'not known at MTN yet (within the grace period)',
        };
  }
  if (stored.status === 'PENDING' && settings.failMissingPending) {
    return {
      outcome: 'MISSING_AT_MTN',
      action: 'close-missing',
      differences: [],
      ageSeconds,
      note: `closed as FAILED ${NOT_FOUND_AT_MTN}`,
    };
  }
  return {
    outcome: 'MISSING_AT_MTN',
    action: 'none',
    differences: [],
    ageSeconds,
    note:
      stored.status === 'PENDING'
        ? 'left PENDING (closing is turned off)'
        : `we hold it as ${stored.status}`,
  };
}

/**
 * The outcome of one transaction, from what we hold and what MTN answered. Pure: the caller
 * applies the action under a row lock, with the row as it is at that moment.
 */
export function classify(
  stored: StoredRecord,
  answer: MtnAnswer,
  now: Date,
  settings: ClassifySettings,
): Verdict {
  const ageMs = Math.max(0, now.getTime() - stored.createdAt.getTime());
  const ageSeconds = Math.floor(ageMs / 1000);
  switch (answer.kind) {
    case 'error':
      return {
        outcome: 'ERROR',
        action: 'none',
        differences: [],
        ageSeconds,
        errorCode: answer.code,
      };
    case 'not-found':
      return notFound(stored, ageMs, ageSeconds, settings);
    case 'status':
      break;
  }
  const mtn = answer.status;
  const differences = fieldDifferences(stored, mtn);
  if (stored.status === 'PENDING') {
    if (mtn.status === 'PENDING') {
      return {
        outcome: 'STILL_PENDING',
        action: 'none',
        differences: [],
        ageSeconds,
        note: `MTN says ${mtn.rawStatus}`,
      };
    }
    // MTN settled it and we never heard: apply MTN's status. A different amount is applied too
    // (the money moved as MTN says) but flagged for a person.
    return {
      outcome: differences.length > 0 ? 'MISMATCH' : 'REPAIRED',
      action: 'apply',
      differences,
      ageSeconds,
    };
  }
  if (mtn.status !== stored.status) {
    // Never overwritten: the state machine keeps MTN's report as a discrepancy.
    const statusDifference: Difference = {
      field: 'status',
      ours: stored.status,
      mtn: mtn.rawStatus,
    };
    return {
      outcome: 'MISMATCH',
      action: mtn.status === 'PENDING' ? 'none' : 'apply',
      differences: [statusDifference, ...differences],
      ageSeconds,
    };
  }
  // Same final status: a financial id we lack is stored (apply), a different one is a conflict.
  const enrich = stored.financialTransactionId === null && mtn.financialTransactionId !== undefined;
  const fidConflict = differences.some((d) => d.field === 'financialTransactionId');
  return {
    outcome: differences.length > 0 ? 'MISMATCH' : 'MATCHED',
    action: enrich || fidConflict ? 'apply' : 'none',
    differences,
    ageSeconds,
  };
}

/** The discrepancy kind recorded for a mismatch: the weightiest difference names it. */
export function discrepancyKindOf(
  differences: readonly Difference[],
): ReconciliationDiscrepancyKind {
  const fields = new Set(differences.map((d) => d.field));
  if (fields.has('status')) return 'STATUS_CONFLICT';
  if (fields.has('financialTransactionId')) return 'FINANCIAL_ID_CONFLICT';
  if (fields.has('amount') || fields.has('currency')) return 'AMOUNT_MISMATCH';
  return 'EXTERNAL_ID_MISMATCH';
}
