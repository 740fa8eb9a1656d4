import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import type { Product } from '../../common/product';
import { MomoTransaction } from '../../transactions/momo-transaction.entity';
import { TransactionDiscrepancy } from '../../transactions/transaction-discrepancy.entity';
import {
  sqlList,
  type TransactionOperation,
  type TransactionStatus,
} from '../../transactions/transaction.types';
import { OUTCOMES, type Outcome } from '../reconciliation.types';
import type { Difference } from '../run/outcome.classifier';
import { ReconciliationRun } from './reconciliation-run.entity';

const NOT_MATCHED = OUTCOMES.filter((o) => o !== 'MATCHED');

/**
 * One transaction a run did not find MATCHED, with both sides as they were at that moment: the
 * report's discrepancy table. MTN's values are kept as text exactly as reported (evidence, never
 * used for arithmetic). `transaction_discrepancy_id` links the transactions core's own record of
 * a conflict, acknowledged together with this one.
 */
@Entity({ name: 'reconciliation_items' })
@Index('uq_reconciliation_items_run_transaction', ['runId', 'transactionId'], { unique: true })
@Index('idx_reconciliation_items_transaction', ['transactionId'])
@Index('idx_reconciliation_items_discrepancy', ['transactionDiscrepancyId'], {
  where: '"transaction_discrepancy_id" IS NOT NULL',
})
@Check('chk_reconciliation_items_outcome', `"outcome" IN (${sqlList(NOT_MATCHED)})`)
export class ReconciliationItem {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_reconciliation_items' })
  id!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @ManyToOne(() => ReconciliationRun, {
    nullable: false,
    onDelete: 'CASCADE',
    onUpdate: 'NO ACTION',
  })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'fk_reconciliation_items_run' })
  run?: ReconciliationRun;

  @Column({ name: 'transaction_id', type: 'uuid' })
  transactionId!: string;

  @ManyToOne(() => MomoTransaction, {
    nullable: false,
    onDelete: 'RESTRICT',
    onUpdate: 'NO ACTION',
  })
  @JoinColumn({
    name: 'transaction_id',
    foreignKeyConstraintName: 'fk_reconciliation_items_transaction',
  })
  transaction?: MomoTransaction;

  @Column({ type: 'varchar', length: 16 })
  outcome!: Exclude<Outcome, 'MATCHED'>;

  @Column({ type: 'varchar', length: 16 })
  product!: Product;

  @Column({ type: 'varchar', length: 24 })
  operation!: TransactionOperation;

  @Column({ type: 'char', length: 2 })
  country!: string;

  @Column({ name: 'status_before', type: 'varchar', length: 16 })
  statusBefore!: TransactionStatus;

  @Column({ name: 'status_after', type: 'varchar', length: 16 })
  statusAfter!: TransactionStatus;

  @Column({ type: 'numeric' })
  amount!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'mtn_currency', type: 'char', length: 3 })
  mtnCurrency!: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId!: string;

  @Column({ name: 'financial_transaction_id', type: 'text', nullable: true })
  financialTransactionId!: string | null;

  /** MTN's own status word (CREATED, PENDING, SUCCESSFUL, FAILED …); null when MTN gave none. */
  @Column({ name: 'mtn_status', type: 'text', nullable: true })
  mtnStatus!: string | null;

  @Column({ name: 'mtn_reason', type: 'text', nullable: true })
  mtnReason!: string | null;

  @Column({ name: 'mtn_amount', type: 'text', nullable: true })
  mtnAmount!: string | null;

  @Column({ name: 'mtn_reported_currency', type: 'text', nullable: true })
  mtnReportedCurrency!: string | null;

  @Column({ name: 'mtn_external_id', type: 'text', nullable: true })
  mtnExternalId!: string | null;

  @Column({ name: 'mtn_financial_transaction_id', type: 'text', nullable: true })
  mtnFinancialTransactionId!: string | null;

  @Column({ type: 'jsonb' })
  differences!: Difference[];

  @Column({ name: 'age_seconds', type: 'integer' })
  ageSeconds!: number;

  @Column({ name: 'error_code', type: 'varchar', length: 64, nullable: true })
  errorCode!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'transaction_discrepancy_id', type: 'uuid', nullable: true })
  transactionDiscrepancyId!: string | null;

  @ManyToOne(() => TransactionDiscrepancy, {
    nullable: true,
    onDelete: 'RESTRICT',
    onUpdate: 'NO ACTION',
  })
  @JoinColumn({
    name: 'transaction_discrepancy_id',
    foreignKeyConstraintName: 'fk_reconciliation_items_discrepancy',
  })
  transactionDiscrepancy?: TransactionDiscrepancy | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', precision: 3, nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'acknowledged_note', type: 'text', nullable: true })
  acknowledgedNote!: string | null;
}
