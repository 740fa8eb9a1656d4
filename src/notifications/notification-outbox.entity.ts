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
import { MomoTransaction } from '../transactions/momo-transaction.entity';
import { sqlList } from '../transactions/transaction.types';
import type { TransactionView } from '../transactions/transaction.view';
import { NotificationEndpoint } from './notification-endpoint.entity';
import {
  DELIVERY_STATUSES,
  NOTIFICATION_EVENTS,
  type DeliveryStatus,
  type NotificationEvent,
} from './notification.types';

/**
 * One notification to one endpoint: written in the same database transaction that makes the
 * transaction final (so a final status is never without its notification, nor a notification
 * without its status), then delivered, retried and finally DELIVERED or FAILED by the worker.
 */
@Entity({ name: 'notification_outbox' })
// A transaction becomes final once, so each endpoint is told once per transaction.
@Index('uq_notification_outbox_event', ['endpointId', 'transactionId', 'event'], { unique: true })
@Index('idx_notification_outbox_due', ['nextAttemptAt'], { where: `"status" = 'PENDING'` })
@Index('idx_notification_outbox_endpoint_created', ['endpointId', 'createdAt', 'id'])
@Index('idx_notification_outbox_transaction', ['transactionId'])
// Also idx_notification_outbox_finished, on the retention's last activity of finished rows: an
// expression index, which TypeORM cannot declare (migration 1764800000000).
@Check('chk_notification_outbox_event_type', `"event_type" IN (${sqlList(NOTIFICATION_EVENTS)})`)
@Check('chk_notification_outbox_status', `"status" IN (${sqlList(DELIVERY_STATUSES)})`)
@Check(
  'chk_notification_outbox_pending',
  `("status" = 'PENDING') = ("next_attempt_at" IS NOT NULL)`,
)
@Check(
  'chk_notification_outbox_delivered',
  `("status" = 'DELIVERED') = ("delivered_at" IS NOT NULL)`,
)
@Check('chk_notification_outbox_attempts', `"attempts" >= 0`)
export class NotificationOutboxEntry {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_notification_outbox' })
  id!: string;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId!: string;

  @ManyToOne(() => NotificationEndpoint, {
    nullable: false,
    onDelete: 'RESTRICT',
    onUpdate: 'NO ACTION',
  })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'fk_notification_outbox_endpoint' })
  endpoint?: NotificationEndpoint;

  @Column({ name: 'transaction_id', type: 'uuid' })
  transactionId!: string;

  @ManyToOne(() => MomoTransaction, {
    nullable: false,
    onDelete: 'RESTRICT',
    onUpdate: 'NO ACTION',
  })
  @JoinColumn({
    name: 'transaction_id',
    foreignKeyConstraintName: 'fk_notification_outbox_transaction',
  })
  transaction?: MomoTransaction;

  @Column({ name: 'event_type', type: 'varchar', length: 32 })
  event!: NotificationEvent;

  /** The transaction as the API showed it when it became final (`toTransactionView`). */
  @Column({ type: 'jsonb' })
  payload!: TransactionView;

  @Column({ type: 'varchar', length: 16 })
  status!: DeliveryStatus;

  /** Attempts since it was written or last replayed. */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** When a worker may (re)try it; also the lease of an attempt in flight. Null unless PENDING. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', precision: 3, nullable: true })
  nextAttemptAt!: Date | null;

  /** After a failed attempt at or past this time, it is FAILED (24 h after it was written or replayed). */
  @Column({ name: 'retry_until', type: 'timestamptz', precision: 3 })
  retryUntil!: Date;

  /** The attempt in flight: only the worker holding it may record its result. */
  @Column({ name: 'attempt_id', type: 'uuid', nullable: true })
  attemptId!: string | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', precision: 3, nullable: true })
  lastAttemptAt!: Date | null;

  /** The consumer's HTTP status of the last attempt (none after a timeout or network error). */
  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode!: number | null;

  /** Short and ours (`HTTP 503`, `timeout after 5000 ms`): never the URL or the consumer's body. */
  @Column({ name: 'last_error', type: 'varchar', length: 200, nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', precision: 3, nullable: true })
  deliveredAt!: Date | null;
}
