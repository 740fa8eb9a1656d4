import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { PRODUCTS, type Product } from '../common/product';
import {
  TRANSACTION_OPERATIONS,
  TRANSACTION_STATUSES,
  sqlList,
  type TransactionOperation,
  type TransactionStatus,
} from './transaction.types';

/**
 * One money movement through MTN. The id is the `X-Reference-Id` we send, so it is stored before
 * MTN is called and a crash in between leaves a row to poll, never an unknown payment.
 *
 * `amount` is an unconstrained `numeric`: exact, summed in SQL (refund totals, daily limits), and
 * PostgreSQL keeps the scale it was given, so "12.50" reads back as "12.50", the very text that
 * was sent to MTN. TypeORM returns it as a string and it stays one. Minor units were not chosen:
 * they need each currency's exponent, and MTN takes decimal strings, not minor units.
 *
 * All timestamps have millisecond precision, the precision of a JS Date, so a list cursor built
 * from a Date compares exactly with the stored value.
 */
@Entity({ name: 'momo_transactions' })
@Index('uq_momo_transactions_idempotency_key', ['product', 'idempotencyKey'], {
  unique: true,
  where: '"idempotency_key" IS NOT NULL',
})
// A FAILED transaction releases its externalId: MTN never moved money for it.
@Index('uq_momo_transactions_live_external_id', ['product', 'externalId'], {
  unique: true,
  where: `"status" <> 'FAILED'`,
})
@Index('idx_momo_transactions_external_id', ['product', 'externalId'])
@Index('idx_momo_transactions_due_poll', ['nextPollAt'], {
  where: `"status" = 'PENDING' AND "mtn_accepted"`,
})
@Index('idx_momo_transactions_created', ['product', 'createdAt', 'id'])
// Reconciliation's stale-PENDING sweep and the PENDING gauges read only PENDING rows by age.
@Index('idx_momo_transactions_pending_created', ['createdAt'], { where: `"status" = 'PENDING'` })
@Index('idx_momo_transactions_msisdn', ['msisdn'])
@Index('idx_momo_transactions_parent', ['parentId'], { where: '"parent_id" IS NOT NULL' })
@Check('chk_momo_transactions_product', `"product" IN (${sqlList(PRODUCTS)})`)
@Check('chk_momo_transactions_operation', `"operation" IN (${sqlList(TRANSACTION_OPERATIONS)})`)
@Check('chk_momo_transactions_status', `"status" IN (${sqlList(TRANSACTION_STATUSES)})`)
@Check(
  'chk_momo_transactions_amount',
  `"amount" > 0 AND "amount" = round("amount", 6) AND "amount" < 1000000000000000000`,
)
@Check('chk_momo_transactions_msisdn', `"msisdn" ~ '^[0-9]{6,15}$'`)
@Check('chk_momo_transactions_completed', `("status" = 'PENDING') = ("completed_at" IS NULL)`)
export class MomoTransaction {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_momo_transactions' })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  product!: Product;

  @Column({ type: 'varchar', length: 24 })
  operation!: TransactionOperation;

  @Column({ type: 'varchar', length: 16 })
  status!: TransactionStatus;

  /** MTN's reason code, or ours for a request MTN never accepted (e.g. CIRCUIT_OPEN). */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'reason_message', type: 'text', nullable: true })
  reasonMessage!: string | null;

  @Column({ type: 'numeric' })
  amount!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'char', length: 2 })
  country!: string;

  /** E.164 digits without `+`, as MTN takes it. */
  @Column({ type: 'varchar', length: 15 })
  msisdn!: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId!: string;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  /** SHA-256 hex of the canonical request; tells a replay from a reused key. */
  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash!: string;

  @Column({ name: 'payer_message', type: 'text', nullable: true })
  payerMessage!: string | null;

  @Column({ name: 'payee_note', type: 'text', nullable: true })
  payeeNote!: string | null;

  @Column({ name: 'kyc_level', type: 'varchar', length: 32, nullable: true })
  kycLevel!: string | null;

  /** For a refund: the collection it refunds. */
  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId!: string | null;

  @ManyToOne(() => MomoTransaction, { nullable: true, onDelete: 'RESTRICT', onUpdate: 'NO ACTION' })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'fk_momo_transactions_parent' })
  parent?: MomoTransaction | null;

  /** The currency sent to MTN; differs from `currency` in the sandbox, which takes EUR only. */
  @Column({ name: 'mtn_currency', type: 'char', length: 3 })
  mtnCurrency!: string;

  /** Which configured MTN account (API user) made the call; a safe id, never a credential. */
  @Column({ name: 'account_id', type: 'varchar', length: 64 })
  accountId!: string;

  @Column({ name: 'financial_transaction_id', type: 'text', nullable: true })
  financialTransactionId!: string | null;

  /** The API key that created it: that key's notification endpoints are told when it is final. */
  @Column({ name: 'api_key_id', type: 'uuid', nullable: true })
  apiKeyId!: string | null;

  /**
   * Secret part of this transaction's callback URL (MTN callbacks are unsigned). Not loaded by
   * default, so it cannot leak through a row that ends up in a response or a log.
   */
  @Column({ name: 'callback_token', type: 'varchar', length: 64, select: false })
  callbackToken?: string;

  @Column({ name: 'poll_attempts', type: 'integer', default: 0 })
  pollAttempts!: number;

  @Column({ name: 'next_poll_at', type: 'timestamptz', precision: 3, nullable: true })
  nextPollAt!: Date | null;

  /** MTN answered 202: the transaction exists at MTN and may be polled. */
  @Column({ name: 'mtn_accepted', type: 'boolean', default: false })
  mtnAccepted!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', precision: 3, nullable: true })
  completedAt!: Date | null;
}
