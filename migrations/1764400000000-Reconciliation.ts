import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reconciliation: its runs, the records a run did not find MATCHED, and per run the counts by
 * outcome and the SUCCESSFUL totals per currency. Names of every constraint and index match the
 * entities in src/reconciliation/entities/ exactly.
 */
export class Reconciliation1764400000000 implements MigrationInterface {
  name = 'Reconciliation1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "reconciliation_runs" (
        "id" uuid NOT NULL,
        "kind" character varying(16) NOT NULL,
        "triggered_by" character varying(16) NOT NULL,
        "window_key" character varying(120) NOT NULL,
        "window_from" TIMESTAMP(3) WITH TIME ZONE,
        "window_to" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "schedule_slot" TIMESTAMP(3) WITH TIME ZONE,
        "status" character varying(16) NOT NULL,
        "status_reason" text,
        "total" integer NOT NULL DEFAULT 0,
        "processed" integer NOT NULL DEFAULT 0,
        "owner" character varying(120) NOT NULL,
        "resumed_count" integer NOT NULL DEFAULT 0,
        "cursor_product" character varying(16),
        "cursor_created_at" TIMESTAMP(3) WITH TIME ZONE,
        "cursor_id" uuid,
        "started_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "heartbeat_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "finished_at" TIMESTAMP(3) WITH TIME ZONE,
        CONSTRAINT "pk_reconciliation_runs" PRIMARY KEY ("id"),
        CONSTRAINT "chk_reconciliation_runs_kind" CHECK ("kind" IN ('stale-pending', 'daily', 'window')),
        CONSTRAINT "chk_reconciliation_runs_triggered_by" CHECK ("triggered_by" IN ('schedule', 'api', 'cli')),
        CONSTRAINT "chk_reconciliation_runs_status"
          CHECK ("status" IN ('RUNNING', 'COMPLETED', 'FAILED', 'ABANDONED')),
        CONSTRAINT "chk_reconciliation_runs_finished" CHECK (("status" = 'RUNNING') = ("finished_at" IS NULL)),
        CONSTRAINT "chk_reconciliation_runs_progress" CHECK ("processed" >= 0 AND "total" >= 0)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_reconciliation_runs_active_window" ON "reconciliation_runs" ("window_key") WHERE "status" = 'RUNNING'`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_reconciliation_runs_schedule_slot" ON "reconciliation_runs" ("kind", "schedule_slot") WHERE "schedule_slot" IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX "idx_reconciliation_runs_started" ON "reconciliation_runs" ("started_at")`,
    );

    await q.query(`
      CREATE TABLE "reconciliation_items" (
        "id" uuid NOT NULL,
        "run_id" uuid NOT NULL,
        "transaction_id" uuid NOT NULL,
        "outcome" character varying(16) NOT NULL,
        "product" character varying(16) NOT NULL,
        "operation" character varying(24) NOT NULL,
        "country" character(2) NOT NULL,
        "status_before" character varying(16) NOT NULL,
        "status_after" character varying(16) NOT NULL,
        "amount" numeric NOT NULL,
        "currency" character(3) NOT NULL,
        "mtn_currency" character(3) NOT NULL,
        "external_id" text NOT NULL,
        "financial_transaction_id" text,
        "mtn_status" text,
        "mtn_reason" text,
        "mtn_amount" text,
        "mtn_reported_currency" text,
        "mtn_external_id" text,
        "mtn_financial_transaction_id" text,
        "differences" jsonb NOT NULL,
        "age_seconds" integer NOT NULL,
        "error_code" character varying(64),
        "note" text,
        "transaction_discrepancy_id" uuid,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "acknowledged_at" TIMESTAMP(3) WITH TIME ZONE,
        "acknowledged_note" text,
        CONSTRAINT "pk_reconciliation_items" PRIMARY KEY ("id"),
        CONSTRAINT "chk_reconciliation_items_outcome"
          CHECK ("outcome" IN ('REPAIRED', 'MISMATCH', 'MISSING_AT_MTN', 'STILL_PENDING', 'ERROR')),
        CONSTRAINT "fk_reconciliation_items_run" FOREIGN KEY ("run_id")
          REFERENCES "reconciliation_runs" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
        CONSTRAINT "fk_reconciliation_items_transaction" FOREIGN KEY ("transaction_id")
          REFERENCES "momo_transactions" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION,
        CONSTRAINT "fk_reconciliation_items_discrepancy" FOREIGN KEY ("transaction_discrepancy_id")
          REFERENCES "transaction_discrepancies" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_reconciliation_items_run_transaction" ON "reconciliation_items" ("run_id", "transaction_id")`,
    );
    await q.query(
      `CREATE INDEX "idx_reconciliation_items_transaction" ON "reconciliation_items" ("transaction_id")`,
    );
    await q.query(
      `CREATE INDEX "idx_reconciliation_items_discrepancy" ON "reconciliation_items" ("transaction_discrepancy_id") WHERE "transaction_discrepancy_id" IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE "reconciliation_run_counts" (
        "run_id" uuid NOT NULL,
        "product" character varying(16) NOT NULL,
        "country" character(2) NOT NULL,
        "outcome" character varying(16) NOT NULL,
        "count" integer NOT NULL,
        CONSTRAINT "pk_reconciliation_run_counts" PRIMARY KEY ("run_id", "product", "country", "outcome"),
        CONSTRAINT "chk_reconciliation_run_counts_outcome"
          CHECK ("outcome" IN ('MATCHED', 'REPAIRED', 'MISMATCH', 'MISSING_AT_MTN', 'STILL_PENDING', 'ERROR')),
        CONSTRAINT "fk_reconciliation_run_counts_run" FOREIGN KEY ("run_id")
          REFERENCES "reconciliation_runs" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);

    await q.query(`
      CREATE TABLE "reconciliation_run_totals" (
        "run_id" uuid NOT NULL,
        "side" character varying(8) NOT NULL,
        "currency" character(3) NOT NULL,
        "count" integer NOT NULL,
        "amount" numeric NOT NULL,
        CONSTRAINT "pk_reconciliation_run_totals" PRIMARY KEY ("run_id", "side", "currency"),
        CONSTRAINT "chk_reconciliation_run_totals_side" CHECK ("side" IN ('gateway', 'mtn')),
        CONSTRAINT "fk_reconciliation_run_totals_run" FOREIGN KEY ("run_id")
          REFERENCES "reconciliation_runs" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "reconciliation_run_totals"`);
    await q.query(`DROP TABLE "reconciliation_run_counts"`);
    await q.query(`DROP TABLE "reconciliation_items"`);
    await q.query(`DROP TABLE "reconciliation_runs"`);
  }
}
