import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { sqlList } from '../../transactions/transaction.types';
import {
  RUN_KINDS,
  RUN_STATUSES,
  RUN_TRIGGERS,
  type RunKind,
  type RunStatus,
  type RunTrigger,
} from '../reconciliation.types';

/**
 * One reconciliation run. Exactly one replica works on it (`owner`), proving it is alive with
 * `heartbeat_at`; progress (`processed`, the keyset cursor) is committed with each record's
 * outcome, so a run whose replica died resumes after the last record it finished.
 *
 * Two partial unique indexes make concurrent starts safe without locks: at most one RUNNING run
 * per window (`window_key`), and one run per schedule slot whichever replica's cron fired first.
 */
@Entity({ name: 'reconciliation_runs' })
@Index('uq_reconciliation_runs_active_window', ['windowKey'], {
  unique: true,
  where: `"status" = 'RUNNING'`,
})
@Index('uq_reconciliation_runs_schedule_slot', ['kind', 'scheduleSlot'], {
  unique: true,
  where: '"schedule_slot" IS NOT NULL',
})
@Index('idx_reconciliation_runs_started', ['startedAt'])
@Check('chk_reconciliation_runs_kind', `"kind" IN (${sqlList(RUN_KINDS)})`)
@Check('chk_reconciliation_runs_triggered_by', `"triggered_by" IN (${sqlList(RUN_TRIGGERS)})`)
@Check('chk_reconciliation_runs_status', `"status" IN (${sqlList(RUN_STATUSES)})`)
@Check('chk_reconciliation_runs_finished', `("status" = 'RUNNING') = ("finished_at" IS NULL)`)
@Check('chk_reconciliation_runs_progress', `"processed" >= 0 AND "total" >= 0`)
export class ReconciliationRun {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_reconciliation_runs' })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: RunKind;

  @Column({ name: 'triggered_by', type: 'varchar', length: 16 })
  triggeredBy!: RunTrigger;

  /** `stale-pending`, `daily:2026-11-01`, `window:<from>/<to>`. */
  @Column({ name: 'window_key', type: 'varchar', length: 120 })
  windowKey!: string;

  /** Inclusive; null for stale-pending (everything older than the cutoff). */
  @Column({ name: 'window_from', type: 'timestamptz', precision: 3, nullable: true })
  windowFrom!: Date | null;

  /** Exclusive; for stale-pending the cutoff: transactions created before it. */
  @Column({ name: 'window_to', type: 'timestamptz', precision: 3 })
  windowTo!: Date;

  /** Scheduled runs only: the slot that makes the cron's run unique across replicas. */
  @Column({ name: 'schedule_slot', type: 'timestamptz', precision: 3, nullable: true })
  scheduleSlot!: Date | null;

  @Column({ type: 'varchar', length: 16 })
  status!: RunStatus;

  /** Why it FAILED or was ABANDONED, or that it was resumed after a replica died. */
  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason!: string | null;

  /** Counted at the start; at completion, the number of records actually checked. */
  @Column({ type: 'integer', default: 0 })
  total!: number;

  @Column({ type: 'integer', default: 0 })
  processed!: number;

  /** The replica working on it (host:pid:random). */
  @Column({ type: 'varchar', length: 120 })
  owner!: string;

  @Column({ name: 'resumed_count', type: 'integer', default: 0 })
  resumedCount!: number;

  /** Keyset cursor: the last record finished, in (product, created_at, id) order. */
  @Column({ name: 'cursor_product', type: 'varchar', length: 16, nullable: true })
  cursorProduct!: string | null;

  @Column({ name: 'cursor_created_at', type: 'timestamptz', precision: 3, nullable: true })
  cursorCreatedAt!: Date | null;

  @Column({ name: 'cursor_id', type: 'uuid', nullable: true })
  cursorId!: string | null;

  @CreateDateColumn({ name: 'started_at', type: 'timestamptz', precision: 3 })
  startedAt!: Date;

  @Column({ name: 'heartbeat_at', type: 'timestamptz', precision: 3 })
  heartbeatAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', precision: 3, nullable: true })
  finishedAt!: Date | null;
}
