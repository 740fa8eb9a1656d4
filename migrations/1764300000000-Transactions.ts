import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactions core: `momo_transactions`, its append-only `transaction_events` and the
 * `transaction_discrepancies` kept for reports that conflict with a final status. Names of every
 * constraint and index match the entities in src/transactions/ exactly.
 */
export class Transactions1764300000000 implements MigrationInterface {
  name = 'Transactions1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "momo_transactions" (
        "id" uuid NOT NULL,
        "product" character varying(16) NOT NULL,
        "operation" character varying(24) NOT NULL,
        "status" character varying(16) NOT NULL,
        "reason" text,
        "reason_message" text,
        "amount" numeric NOT NULL,
        "currency" character(3) NOT NULL,
        "country" character(2) NOT NULL,
        "msisdn" character varying(15) NOT NULL,
        "external_id" text NOT NULL,
        "idempotency_key" text,
        "request_hash" character(64) NOT NULL,
        "payer_message" text,
        "payee_note" text,
        "kyc_level" character varying(32),
        "parent_id" uuid,
        "mtn_currency" character(3) NOT NULL,
        "account_id" character varying(64) NOT NULL,
        "financial_transaction_id" text,
        "callback_token" character varying(64) NOT NULL,
        "poll_attempts" integer NOT NULL DEFAULT 0,
        "next_poll_at" TIMESTAMP(3) WITH TIME ZONE,
        "mtn_accepted" boolean NOT NULL DEFAULT false,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "completed_at" TIMESTAMP(3) WITH TIME ZONE,
        CONSTRAINT "pk_momo_transactions" PRIMARY KEY ("id"),
        CONSTRAINT "chk_momo_transactions_product"
          CHECK ("product" IN ('collection', 'disbursement', 'remittance')),
        CONSTRAINT "chk_momo_transactions_operation"
          CHECK ("operation" IN ('requestToPay', 'requestToWithdraw', 'transfer', 'deposit', 'refund', 'cashTransfer')),
        CONSTRAINT "chk_momo_transactions_status"
          CHECK ("status" IN ('PENDING', 'SUCCESSFUL', 'FAILED')),
        CONSTRAINT "chk_momo_transactions_amount"
          CHECK ("amount" > 0 AND "amount" = round("amount", 6) AND "amount" < 1000000000000000000),
        CONSTRAINT "chk_momo_transactions_msisdn" CHECK ("msisdn" ~ '^[0-9]{6,15}$'),
        CONSTRAINT "chk_momo_transactions_completed"
          CHECK (("status" = 'PENDING') = ("completed_at" IS NULL)),
        CONSTRAINT "fk_momo_transactions_parent" FOREIGN KEY ("parent_id")
          REFERENCES "momo_transactions" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_momo_transactions_idempotency_key" ON "momo_transactions" ("product", "idempotency_key") WHERE "idempotency_key" IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_momo_transactions_live_external_id" ON "momo_transactions" ("product", "external_id") WHERE "status" <> 'FAILED'`,
    );
    await q.query(
      `CREATE INDEX "idx_momo_transactions_external_id" ON "momo_transactions" ("product", "external_id")`,
    );
    await q.query(
      `CREATE INDEX "idx_momo_transactions_due_poll" ON "momo_transactions" ("next_poll_at") WHERE "status" = 'PENDING' AND "mtn_accepted"`,
    );
    await q.query(
      `CREATE INDEX "idx_momo_transactions_created" ON "momo_transactions" ("product", "created_at", "id")`,
    );
    await q.query(`CREATE INDEX "idx_momo_transactions_msisdn" ON "momo_transactions" ("msisdn")`);
    await q.query(
      `CREATE INDEX "idx_momo_transactions_parent" ON "momo_transactions" ("parent_id") WHERE "parent_id" IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE "transaction_events" (
        "id" BIGSERIAL NOT NULL,
        "transaction_id" uuid NOT NULL,
        "source" character varying(16) NOT NULL,
        "from_status" character varying(16),
        "to_status" character varying(16) NOT NULL,
        "reason" text,
        "financial_transaction_id" text,
        "details" jsonb,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_transaction_events" PRIMARY KEY ("id"),
        CONSTRAINT "chk_transaction_events_source"
          CHECK ("source" IN ('api', 'callback', 'poll', 'reconciliation')),
        CONSTRAINT "chk_transaction_events_status"
          CHECK ("to_status" IN ('PENDING', 'SUCCESSFUL', 'FAILED') AND ("from_status" IS NULL OR "from_status" IN ('PENDING', 'SUCCESSFUL', 'FAILED'))),
        CONSTRAINT "fk_transaction_events_transaction" FOREIGN KEY ("transaction_id")
          REFERENCES "momo_transactions" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE INDEX "idx_transaction_events_transaction" ON "transaction_events" ("transaction_id", "id")`,
    );

    await q.query(`
      CREATE TABLE "transaction_discrepancies" (
        "id" uuid NOT NULL,
        "transaction_id" uuid NOT NULL,
        "kind" character varying(40) NOT NULL,
        "source" character varying(16) NOT NULL,
        "stored_status" character varying(16) NOT NULL,
        "reported_status" text,
        "reported_reason" text,
        "reported_financial_transaction_id" text,
        "reported_amount" text,
        "reported_currency" text,
        "details" jsonb,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "acknowledged_at" TIMESTAMP(3) WITH TIME ZONE,
        "acknowledged_note" text,
        CONSTRAINT "pk_transaction_discrepancies" PRIMARY KEY ("id"),
        CONSTRAINT "chk_transaction_discrepancies_source"
          CHECK ("source" IN ('api', 'callback', 'poll', 'reconciliation')),
        CONSTRAINT "fk_transaction_discrepancies_transaction" FOREIGN KEY ("transaction_id")
          REFERENCES "momo_transactions" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE INDEX "idx_transaction_discrepancies_transaction" ON "transaction_discrepancies" ("transaction_id")`,
    );
    await q.query(
      `CREATE INDEX "idx_transaction_discrepancies_open" ON "transaction_discrepancies" ("created_at") WHERE "acknowledged_at" IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "transaction_discrepancies"`);
    await q.query(`DROP TABLE "transaction_events"`);
    await q.query(`DROP TABLE "momo_transactions"`);
  }
}
