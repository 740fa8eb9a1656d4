import type { EntityManager } from 'typeorm';
import type { Product } from '../common/product';
import type { MomoTransaction } from './momo-transaction.entity';
import type { TransactionDiscrepancy } from './transaction-discrepancy.entity';
import type { StatusDecision } from './transaction-state';
import type { EventSource, TransactionOperation, TransactionStatus } from './transaction.types';

export interface CreatePendingInput {
  product: Product;
  operation: TransactionOperation;
  /** Decimal string; stored in its canonical form for `currency` (see common/money.ts). */
  amount: string;
  currency: string;
  country: string;
  /** E.164 digits without `+`. */
  msisdn: string;
  externalId: string;
  idempotencyKey?: string;
  /**
   * The request as the caller sent it (after validation and normalisation, without the
   * Idempotency-Key). Its canonical hash tells a replay from a different request under the same
   * Idempotency-Key or externalId. A refund should include the id of the collection it refunds.
   */
  request: unknown;
  payerMessage?: string;
  payeeNote?: string;
  kycLevel?: string;
  /** What is sent to MTN (EUR in the sandbox). */
  mtnCurrency: string;
  /** The configured MTN account used for the call (a safe id, never a credential). */
  accountId: string;
  /** The API key of the request that creates it (told of its final status); not part of the request hash. */
  apiKeyId?: string;
}

/**
 * A refund: MTN's `POST /disbursement/v1_0/refund`, so the row is product `disbursement`. The
 * payer's msisdn and country are taken from the refunded collection: MTN refunds to its payer.
 */
export interface CreatePendingRefundInput extends Omit<
  CreatePendingInput,
  'product' | 'operation' | 'msisdn' | 'country'
> {
  /** The collection (a SUCCESSFUL requestToPay) being refunded. */
  parentId: string;
}

export interface CreateHooks {
  /**
   * Runs in the creating database transaction just before the insert (e.g. reserving the daily
   * limit). `createPending` runs it before knowing whether the request is a duplicate (it may run
   * for a replay): a duplicate makes the insert a no-op and rolls everything back, the hook's
   * effects included, after which the call resolves as a replay or a 409. Throwing rolls back
   * too; a thrown DomainError is answered as the replay or 409 instead when the request is a
   * duplicate. (`createPendingRefund` checks for a duplicate first.)
   */
  beforeInsert?: (manager: EntityManager) => Promise<void>;
  /**
   * A reservation taken by the very statement that inserts the row (one round trip, no explicit
   * database transaction), in place of `beforeInsert`. `createPending` only.
   */
  reservation?: InsertReservation;
}

/**
 * A data-modifying statement (e.g. the daily-limit upsert) run as the first part of the statement
 * that inserts a new transaction. It returns one row when the reservation is taken and none when
 * it is refused; the row is inserted only when it returned one, and a row that cannot be inserted
 * (a duplicate) fails the whole statement, so the reservation never outlives a failed insert.
 */
export interface InsertReservation {
  /** A constant text (its statement is built once); parameters numbered from $1 as if alone. */
  sql: string;
  parameters: unknown[];
  /** Called when it returned no row: throws the refusal (a DomainError). */
  refused(): Promise<never>;
}

export interface CreatePendingResult {
  transaction: MomoTransaction;
  /** True when an earlier identical request's transaction is returned and nothing was created. */
  replayed: boolean;
  /** The secret for this transaction's callback URL; never put it in a response or a log. */
  callbackToken: string;
}

export interface StatusReport {
  status: TransactionStatus;
  source: EventSource;
  reason?: string | null;
  reasonMessage?: string | null;
  financialTransactionId?: string | null;
  /** Extra context for the audit trail; never secrets or upstream bodies with personal data. */
  details?: Record<string, unknown>;
  /** The amount and currency MTN reported, to detect a mismatch with what was requested. */
  reportedAmount?: string | null;
  reportedCurrency?: string | null;
}

export interface StatusHooks {
  /** Runs in the same database transaction when the transaction has just become final. */
  onFinal?: (manager: EntityManager, transaction: MomoTransaction) => Promise<void>;
}

export interface ApplyStatusResult {
  transaction: MomoTransaction;
  /** True when the status changed (PENDING → final). */
  changed: boolean;
  outcome: StatusDecision['kind'];
  /** Set when the report disagreed with the stored transaction and was kept, not applied. */
  discrepancy?: TransactionDiscrepancy;
}

export interface FailBeforeAcceptanceInput {
  /** Our code (CIRCUIT_OPEN, RATE_LIMITED, MTN_TIMEOUT, …) or MTN's business reason. */
  reason: string;
  reasonMessage?: string | null;
  details?: Record<string, unknown>;
}

export interface ListFilters {
  status?: TransactionStatus;
  operation?: TransactionOperation;
  externalId?: string;
  /** MSISDN digits. */
  phoneNumber?: string;
  country?: string;
  /** Inclusive. */
  createdFrom?: Date;
  /** Exclusive. */
  createdTo?: Date;
  /** 1..200, default 50. */
  limit?: number;
  cursor?: string;
}

export interface ListResult {
  items: MomoTransaction[];
  nextCursor?: string;
}

export interface RefundableAmount {
  currency: string;
  collected: string;
  /** Sum of the refunds that are PENDING or SUCCESSFUL. */
  refunded: string;
  refundable: string;
}
