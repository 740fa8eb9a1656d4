import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbound MTN call budget shared by all replicas (`OutboundRateLimiter`). The shape is
 * rate-limiter-flexible's own for PostgreSQL (key, points, expire in epoch ms); the library is told
 * the table exists and never creates it. It has no entity: only the library reads and writes it.
 */
export class OutboundRateLimit1764200000000 implements MigrationInterface {
  name = 'OutboundRateLimit1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "momo_outbound_rate_limit" (
        "key" character varying(255) NOT NULL,
        "points" integer NOT NULL DEFAULT 0,
        "expire" bigint,
        CONSTRAINT "pk_momo_outbound_rate_limit" PRIMARY KEY ("key")
      )
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "momo_outbound_rate_limit"`);
  }
}
