import type { MigrationInterface, QueryRunner } from 'typeorm';

/** PENDING transactions by age: the stale-PENDING reconciliation sweep and the PENDING gauges. */
export class PendingIndex1764700000000 implements MigrationInterface {
  name = 'PendingIndex1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_momo_transactions_pending_created" ON "momo_transactions" ("created_at") WHERE "status" = 'PENDING'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_momo_transactions_pending_created"`);
  }
}
