import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { Product } from '../../common/product';
import { sqlList } from '../../transactions/transaction.types';
import { OUTCOMES, type Outcome } from '../reconciliation.types';
import { ReconciliationRun } from './reconciliation-run.entity';

/** How many records of a run had each outcome, per product and country. */
@Entity({ name: 'reconciliation_run_counts' })
@Check('chk_reconciliation_run_counts_outcome', `"outcome" IN (${sqlList(OUTCOMES)})`)
export class ReconciliationRunCount {
  @PrimaryColumn({
    name: 'run_id',
    type: 'uuid',
    primaryKeyConstraintName: 'pk_reconciliation_run_counts',
  })
  runId!: string;

  @ManyToOne(() => ReconciliationRun, {
    nullable: false,
    onDelete: 'CASCADE',
    onUpdate: 'NO ACTION',
  })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'fk_reconciliation_run_counts_run' })
  run?: ReconciliationRun;

  @PrimaryColumn({
    type: 'varchar',
    length: 16,
    primaryKeyConstraintName: 'pk_reconciliation_run_counts',
  })
  product!: Product;

  @PrimaryColumn({
    type: 'char',
    length: 2,
    primaryKeyConstraintName: 'pk_reconciliation_run_counts',
  })
  country!: string;

  @PrimaryColumn({
    type: 'varchar',
    length: 16,
    primaryKeyConstraintName: 'pk_reconciliation_run_counts',
  })
  outcome!: Outcome;

  @Column({ type: 'integer' })
  count!: number;
}
