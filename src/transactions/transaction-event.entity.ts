import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { MomoTransaction } from './momo-transaction.entity';
import {
  EVENT_SOURCES,
  TRANSACTION_STATUSES,
  sqlList,
  type EventSource,
  type TransactionStatus,
} from './transaction.types';

/**
 * Append-only audit trail of a transaction: its creation (no status → PENDING), every status
 * change, and a late `financialTransactionId` (same status on both sides). Rows are never updated
 * or deleted; `details` never holds secrets.
 */
@Entity({ name: 'transaction_events' })
@Index('idx_transaction_events_transaction', ['transactionId', 'id'])
@Check('chk_transaction_events_source', `"source" IN (${sqlList(EVENT_SOURCES)})`)
@Check(
  'chk_transaction_events_status',
  `"to_status" IN (${sqlList(TRANSACTION_STATUSES)}) AND ("from_status" IS NULL OR "from_status" IN (${sqlList(TRANSACTION_STATUSES)}))`,
)
export class TransactionEvent {
  /** bigint comes back as a string: the driver will not squeeze it into a float. */
  @PrimaryGeneratedColumn('increment', {
    type: 'bigint',
    primaryKeyConstraintName: 'pk_transaction_events',
  })
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
    foreignKeyConstraintName: 'fk_transaction_events_transaction',
  })
  transaction?: MomoTransaction;

  @Column({ type: 'varchar', length: 16 })
  source!: EventSource;

  @Column({ name: 'from_status', type: 'varchar', length: 16, nullable: true })
  fromStatus!: TransactionStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 16 })
  toStatus!: TransactionStatus;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'financial_transaction_id', type: 'text', nullable: true })
  financialTransactionId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  details!: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
