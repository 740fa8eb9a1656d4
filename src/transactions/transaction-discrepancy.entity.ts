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
import { MomoTransaction } from './momo-transaction.entity';
import {
  EVENT_SOURCES,
  sqlList,
  type DiscrepancyKind,
  type EventSource,
} from './transaction.types';

/**
 * A report that disagrees with what is stored (another final status, another
 * `financialTransactionId`, another amount). It is kept as evidence and never applied: a final
 * status never changes, and settling the difference takes a human or reconciliation, which
 * acknowledges it here.
 *
 * Reported values are kept as text exactly as reported: they are evidence, possibly malformed,
 * and are never used for arithmetic.
 */
@Entity({ name: 'transaction_discrepancies' })
@Index('idx_transaction_discrepancies_transaction', ['transactionId'])
@Index('idx_transaction_discrepancies_open', ['createdAt'], {
  where: '"acknowledged_at" IS NULL',
})
@Check('chk_transaction_discrepancies_source', `"source" IN (${sqlList(EVENT_SOURCES)})`)
export class TransactionDiscrepancy {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_transaction_discrepancies' })
  id!: string;

  @Column({ name: 'transaction_id', type: 'uuid' })
  transactionId!: string;

  @ManyToOne(() => MomoTransaction, {
    nullable: false,
    onDelete: 'RESTRICT',
    onUpdate: 'NO ACTION',
  })
  @JoinColumn({
    name: 'transaction_id',
    foreignKeyConstraintName: 'fk_transaction_discrepancies_transaction',
  })
  transaction?: MomoTransaction;

  /** Open-ended on purpose (no CHECK): reconciliation adds its own kinds without a migration. */
  @Column({ type: 'varchar', length: 40 })
  kind!: DiscrepancyKind | (string & {});

  @Column({ type: 'varchar', length: 16 })
  source!: EventSource;

  @Column({ name: 'stored_status', type: 'varchar', length: 16 })
  storedStatus!: string;

  @Column({ name: 'reported_status', type: 'text', nullable: true })
  reportedStatus!: string | null;

  @Column({ name: 'reported_reason', type: 'text', nullable: true })
  reportedReason!: string | null;

  @Column({ name: 'reported_financial_transaction_id', type: 'text', nullable: true })
  reportedFinancialTransactionId!: string | null;

  @Column({ name: 'reported_amount', type: 'text', nullable: true })
  reportedAmount!: string | null;

  @Column({ name: 'reported_currency', type: 'text', nullable: true })
  reportedCurrency!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  details!: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', precision: 3, nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'acknowledged_note', type: 'text', nullable: true })
  acknowledgedNote!: string | null;
}
