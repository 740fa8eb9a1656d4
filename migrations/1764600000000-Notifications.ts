import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Status notifications to consumers (docs/notifications.md): the API key that created each
 * transaction, the consumers' endpoints, and the outbox of notifications to deliver. Names of
 * every constraint and index match the entities in src/notifications/ exactly.
 *
 * `momo_transactions.api_key_id` has no foreign key on purpose: it only routes notifications,
 * keys are never deleted (only revoked), and the hottest insert of the service stays free of an
 * extra lookup. Adding a nullable column without a default rewrites nothing.
 */
export class Notifications1764600000000 implements MigrationInterface {
  name = 'Notifications1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "momo_transactions" ADD "api_key_id" uuid`);

    await q.query(`
      CREATE TABLE "notification_endpoints" (
        "id" uuid NOT NULL,
        "api_key_id" uuid NOT NULL,
        "url" text NOT NULL,
        "products" text array,
        "secret" character varying(64) NOT NULL,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "deleted_at" TIMESTAMP(3) WITH TIME ZONE,
        CONSTRAINT "pk_notification_endpoints" PRIMARY KEY ("id"),
        CONSTRAINT "chk_notification_endpoints_products" CHECK ("products" IS NULL OR (cardinality("products") > 0 AND "products" <@ ARRAY['collection', 'disbursement', 'remittance']::text[])),
        CONSTRAINT "fk_notification_endpoints_api_key" FOREIGN KEY ("api_key_id")
          REFERENCES "api_keys" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_notification_endpoints_key_url" ON "notification_endpoints" ("api_key_id", "url") WHERE "deleted_at" IS NULL`,
    );

    await q.query(`
      CREATE TABLE "notification_outbox" (
        "id" uuid NOT NULL,
        "endpoint_id" uuid NOT NULL,
        "transaction_id" uuid NOT NULL,
        "event_type" character varying(32) NOT NULL,
        "payload" jsonb NOT NULL,
        "status" character varying(16) NOT NULL,
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" TIMESTAMP(3) WITH TIME ZONE,
        "retry_until" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "attempt_id" uuid,
        "last_attempt_at" TIMESTAMP(3) WITH TIME ZONE,
        "last_status_code" integer,
        "last_error" character varying(200),
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "delivered_at" TIMESTAMP(3) WITH TIME ZONE,
        CONSTRAINT "pk_notification_outbox" PRIMARY KEY ("id"),
        CONSTRAINT "chk_notification_outbox_event_type" CHECK ("event_type" IN ('transaction.succeeded', 'transaction.failed')),
        CONSTRAINT "chk_notification_outbox_status" CHECK ("status" IN ('PENDING', 'DELIVERED', 'FAILED')),
        CONSTRAINT "chk_notification_outbox_pending" CHECK (("status" = 'PENDING') = ("next_attempt_at" IS NOT NULL)),
        CONSTRAINT "chk_notification_outbox_delivered" CHECK (("status" = 'DELIVERED') = ("delivered_at" IS NOT NULL)),
        CONSTRAINT "chk_notification_outbox_attempts" CHECK ("attempts" >= 0),
        CONSTRAINT "fk_notification_outbox_endpoint" FOREIGN KEY ("endpoint_id")
          REFERENCES "notification_endpoints" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
        CONSTRAINT "fk_notification_outbox_transaction" FOREIGN KEY ("transaction_id")
          REFERENCES "momo_transactions" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_notification_outbox_event" ON "notification_outbox" ("endpoint_id", "transaction_id", "event_type")`,
    );
    await q.query(
      `CREATE INDEX "idx_notification_outbox_due" ON "notification_outbox" ("next_attempt_at") WHERE "status" = 'PENDING'`,
    );
    await q.query(
      `CREATE INDEX "idx_notification_outbox_endpoint_created" ON "notification_outbox" ("endpoint_id", "created_at", "id")`,
    );
    await q.query(
      `CREATE INDEX "idx_notification_outbox_transaction" ON "notification_outbox" ("transaction_id")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_notification_outbox_transaction"`);
    await q.query(`DROP INDEX "idx_notification_outbox_endpoint_created"`);
    await q.query(`DROP INDEX "idx_notification_outbox_due"`);
    await q.query(`DROP INDEX "uq_notification_outbox_event"`);
    await q.query(`DROP TABLE "notification_outbox"`);
    await q.query(`DROP INDEX "uq_notification_endpoints_key_url"`);
    await q.query(`DROP TABLE "notification_endpoints"`);
    await q.query(`ALTER TABLE "momo_transactions" DROP COLUMN "api_key_id"`);
  }
}
