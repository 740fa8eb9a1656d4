import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finished notifications by last activity: the retention's hourly DELETE reads only the rows it
 * may delete, instead of scanning the whole outbox (mostly old DELIVERED rows) for them. The
 * expression is the pruner's own, so the planner matches it.
 */
export class OutboxFinishedIndex1764800000000 implements MigrationInterface {
  name = 'OutboxFinishedIndex1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "idx_notification_outbox_finished" ON "notification_outbox" ((GREATEST("created_at", "last_attempt_at", "delivered_at"))) WHERE "status" IN ('DELIVERED', 'FAILED')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_notification_outbox_finished"`);
  }
}
