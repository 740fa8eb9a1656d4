import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * REST consumers' API keys (`ApiKeyEntity`) and the inbound per-key request budget shared by all
 * replicas. The budget table has rate-limiter-flexible's own shape (key, points, expire in epoch
 * ms) and no entity: only the library reads and writes it, and is told it exists.
 */
export class ApiKeys1764500000000 implements MigrationInterface {
  name = 'ApiKeys1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "api_keys" (
        "id" uuid NOT NULL,
        "name" character varying(64) NOT NULL,
        "prefix" character varying(8) NOT NULL,
        "key_hash" character varying(64) NOT NULL,
        "scopes" text array NOT NULL,
        "rate_limit_per_minute" integer,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "last_used_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_api_keys" PRIMARY KEY ("id"),
        CONSTRAINT "chk_api_keys_rate_limit" CHECK ("rate_limit_per_minute" IS NULL OR "rate_limit_per_minute" > 0)
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_api_keys_name" ON "api_keys" ("name")`);
    await q.query(`CREATE UNIQUE INDEX "uq_api_keys_prefix" ON "api_keys" ("prefix")`);
    await q.query(`
      CREATE TABLE "api_key_rate_limit" (
        "key" character varying(255) NOT NULL,
        "points" integer NOT NULL DEFAULT 0,
        "expire" bigint,
        CONSTRAINT "pk_api_key_rate_limit" PRIMARY KEY ("key")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "api_key_rate_limit"`);
    await q.query(`DROP INDEX "uq_api_keys_prefix"`);
    await q.query(`DROP INDEX "uq_api_keys_name"`);
    await q.query(`DROP TABLE "api_keys"`);
  }
}
