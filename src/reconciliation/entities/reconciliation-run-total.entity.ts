import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { sqlList } from '../../transactions/transaction.types';
import { TOTAL_SIDES, type TotalSide } from '../reconciliation.types';
import { ReconciliationRun } from './reconciliation-run.entity';

/**
 * The SUCCESSFUL transactions of a run per currency: as our rows stand after the run (`gateway`,
 * in the requested currency) and as MTN reported them (`mtn`, in MTN's currency: EUR in the
 * sandbox). Summed exactly in SQL numeric, one record at a time, in the record's own commit.
 */
@Entity({ name: 'reconciliation_run_totals' })
@Check('chk_reconciliation_run_totals_side', `"side" IN (${sqlList(TOTAL_SIDES)})`)
export class ReconciliationRunTotal {
  @PrimaryColumn({
    name: 'run_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_reconciliation_run_totals',
  })
  runId!: string;

  @ManyToOne(() => ReconciliationRun, {
    nullable: false,
    onDelete: 'CASCADE',
    onUpdate: 'NO ACTION',
  })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'fk_reconciliation_run_totals_run' })
  run?: ReconciliationRun;

  @PrimaryColumn({
    type: 'varchar',
    length: 8,
    primaryKeyConstraintName: 'pk_reconciliation_run_totals',
  })
  side!: TotalSide;

  @PrimaryColumn({
    type: 'char',
    length: 3,
    primaryKeyConstraintName: 'pk_reconciliation_run_totals',
  })
  currency!: string;

  @Column({ type: 'integer' })
  count!: number;

  /** numeric: exact; a string in code. */
  @Column({ type: 'numeric' })
  amount!: string;
}
