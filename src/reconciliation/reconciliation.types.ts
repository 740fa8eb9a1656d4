/** What a run reconciles: PENDING rows older than the threshold, a UTC day, or any window. */
export const RUN_KINDS = ['stale-pending', 'daily', 'window'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/** Who started a run. */
export const RUN_TRIGGERS = ['schedule', 'api', 'cli'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/**
 * RUNNING until the last record is checked (COMPLETED); FAILED when the run itself broke (its
 * reason says why); ABANDONED when its replica stopped heartbeating too many times to resume it.
 */
export const RUN_STATUSES = ['RUNNING', 'COMPLETED', 'FAILED', 'ABANDONED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** The verdict on one transaction (docs/reconciliation.md says what an operator does with each). */
export const OUTCOMES = [
  'MATCHED',
  'REPAIRED',
  'MISMATCH',
  'MISSING_AT_MTN',
  'STILL_PENDING',
  'ERROR',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Totals are kept twice: as our rows say after the run, and as MTN reported. */
export const TOTAL_SIDES = ['gateway', 'mtn'] as const;
export type TotalSide = (typeof TOTAL_SIDES)[number];

/** The reason a PENDING transaction MTN never heard of is closed with. */
export const NOT_FOUND_AT_MTN = 'NOT_FOUND_AT_MTN';

/** Discrepancy kinds reconciliation adds to the transactions core's own. */
export const RECONCILIATION_DISCREPANCY_KINDS = [
  'STATUS_CONFLICT',
  'FINANCIAL_ID_CONFLICT',
  'AMOUNT_MISMATCH',
  'EXTERNAL_ID_MISMATCH',
  'MISSING_AT_MTN',
] as const;
export type ReconciliationDiscrepancyKind = (typeof RECONCILIATION_DISCREPANCY_KINDS)[number];
