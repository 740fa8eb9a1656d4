import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Product } from '../../common/product';

/**
 * How much one MSISDN has moved per product and currency on one UTC day, in minor units. One row
 * per key, updated in place by a single atomic upsert (`DailyLimitService`), which is what keeps
 * concurrent requests on several replicas inside the daily limit.
 */
@Entity({ name: 'daily_usage' })
@Index('idx_daily_usage_day', ['day'])
export class DailyUsageEntity {
  /** Digits only, as MTN takes it (E.164 allows at most 15). */
  @PrimaryColumn({ type: 'varchar', length: 15, primaryKeyConstraintName: 'pk_daily_usage' })
  msisdn!: string;

  @PrimaryColumn({ type: 'varchar', length: 16, primaryKeyConstraintName: 'pk_daily_usage' })
  product!: Product;

  /** The currency the caller asked for, also in sandbox mode where MTN is sent EUR. */
  @PrimaryColumn({ type: 'varchar', length: 3, primaryKeyConstraintName: 'pk_daily_usage' })
  currency!: string;

  /** UTC calendar day, `YYYY-MM-DD`. */
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_daily_usage' })
  day!: string;

  /** bigint arrives from pg as a string, so no precision is lost on the way. */
  @Column({ name: 'total_minor', type: 'bigint' })
  totalMinor!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
