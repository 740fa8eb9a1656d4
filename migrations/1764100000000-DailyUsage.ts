import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-MSISDN daily usage for the daily limit (see `DailyUsageEntity`). */
export class DailyUsage1764100000000 implements MigrationInterface {
  name = 'DailyUsage1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "daily_usage" (
        "msisdn" character varying(15) NOT NULL,
        "product" character varying(16) NOT NULL,
        "currency" character varying(3) NOT NULL,
        "day" date NOT NULL,
        "total_minor" bigint NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_daily_usage" PRIMARY KEY ("msisdn", "product", "currency", "day")
      )
    `);
    // Old days are purged by day; the primary key leads with the MSISDN and cannot serve that.
    await queryRunner.query(`CREATE INDEX "idx_daily_usage_day" ON "daily_usage" ("day")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "idx_daily_usage_day"`);
    await queryRunner.query(`DROP TABLE "daily_usage"`);
  }
}
