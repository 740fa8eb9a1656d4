import { Client } from 'pg';
import { until } from '../support/measure';
import { benchUuidSql } from '../support/ids';
import { readRss, rssSampler } from '../support/processes';
import { startGatewayProcess, type BenchEmulator, type BenchPostgres } from '../support/stack';
import type { Introspection } from '../support/measure';
import type { BenchSettings } from './settings';

export interface ReconciliationResults {
  skipped?: string;
  records?: number;
  runStatus?: string;
  processed?: number;
  elapsedS?: number;
  recordsPerSec?: number;
  mtnStatusCalls?: number;
  mtnCallsPerRecord?: number;
  /** The run's own counts by outcome. */
  outcomes?: Record<string, number>;
  /** Rows PENDING at the gateway but settled at MTN that the run made final. */
  repaired?: number;
  expectedRepairs?: number;
  peakRssMb?: number;
  eventLoop?: Introspection['eventLoop'];
  timedOut?: boolean;
}

const PREFIX = 0x7ec0;

/**
 * Reconciliation of `reconcileRecords` stored transactions: inserted with SQL in a closed window
 * an hour ago, with matching transactions seeded straight into the emulator. One in ten FAILED at
 * both ends, one in ten PENDING at the gateway but SUCCESSFUL at MTN (to be repaired), the rest
 * SUCCESSFUL at both ends with the same financial id. Measures records/s and MTN calls per record.
 */
export async function runReconciliation(
  settings: BenchSettings,
  emulator: BenchEmulator,
  pg: BenchPostgres,
  logFile: string,
  nodeFlags?: string[],
): Promise<ReconciliationResults> {
  const n = settings.reconcileRecords;
  process.stdout.write(`reconciliation of ${n.toLocaleString('en')} stored records\n`);
  const databaseUrl = await pg.createDatabase('bench_reconciliation', true);
  const gateway = await startGatewayProcess({
    name: 'gateway-reconciliation',
    databaseUrl,
    emulator,
    logFile,
    nodeFlags,
    env: {
      POLL_ENABLED: 'false',
      RECONCILIATION_SCHEDULE_ENABLED: 'false',
      // The run is paced by the background share of the budget; MTN's 600/min would make 100,000
      // records a 9-hour run, so the budget is opened up to measure the gateway, not the budget.
      MTN_MOMO_RATE_LIMIT_PER_MINUTE: '100000',
      MTN_MOMO_RATE_LIMIT_BACKGROUND_PERCENT: '100',
    },
  });
  try {
    const probe = await fetch(
      `${gateway.url}/v1/reconciliation/runs/00000000-0000-4000-8000-000000000000`,
      { headers: gateway.headers },
    );
    if (probe.status === 404 && ((await probe.json()) as { code?: string }).code !== 'NOT_FOUND') {
      return { skipped: 'no /v1/reconciliation/runs route in this build' };
    }
    const windowEnd = new Date(Date.now() - 30 * 60_000);
    const windowStart = new Date(windowEnd.getTime() - 60 * 60_000);
    await seedDatabase(databaseUrl, n, windowStart, windowEnd);
    await emulator.proc.ipc.call(
      'seed',
      {
        apiUser: gateway.apiUser,
        prefix: PREFIX,
        count: n,
        amount: '1000',
        currency: 'EUR',
        msisdnBase: 256_772_000_000,
        failEvery: 10,
      },
      300_000,
    );
    await gateway.proc.ipc.call('introspect', { reset: true });
    await emulator.counters(true);
    const sampler = rssSampler(gateway.proc.pid);
    const started = Date.now();
    const res = await fetch(`${gateway.url}/v1/reconciliation/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...gateway.headers },
      body: JSON.stringify({
        kind: 'window',
        from: windowStart.toISOString(),
        to: windowEnd.toISOString(),
      }),
    });
    const created = (await res.json()) as { id?: string; code?: string };
    if (!created.id) {
      sampler.stop();
      return {
        skipped: `POST /v1/reconciliation/runs answered ${res.status} ${created.code ?? ''}`,
      };
    }
    let run: {
      status?: string;
      progress?: { processed: number; total: number };
      outcomes?: Record<string, number>;
    } = {};
    // The whole bench stays near 10 minutes: a run slower than this is measured on what it did.
    const maxMs = settings.reconcileMaxS * 1000;
    let lastPrint = Date.now();
    const done = await until(
      async () => {
        const r = await fetch(`${gateway.url}/v1/reconciliation/runs/${created.id}`, {
          headers: gateway.headers,
        });
        run = (await r.json()) as typeof run;
        if (Date.now() - lastPrint > 15_000) {
          lastPrint = Date.now();
          process.stdout.write(
            `  … ${run.progress?.processed ?? '?'} of ${run.progress?.total ?? '?'}\n`,
          );
        }
        return run.status !== undefined && run.status !== 'RUNNING';
      },
      maxMs,
      1000,
    );
    // MTN's count first, then the run's progress: a run still going cannot have checked fewer
    // records than MTN was asked about, beyond the few asks in flight (the concurrency).
    const counters = await emulator.counters(false);
    const statusCalls = counters.requests['collection status']?.total ?? 0;
    if (!done) {
      const r = await fetch(`${gateway.url}/v1/reconciliation/runs/${created.id}`, {
        headers: gateway.headers,
      });
      run = (await r.json()) as typeof run;
    }
    const elapsedS = (Date.now() - started) / 1000;
    const peakRssMb = sampler.stop();
    const intro = await gateway.proc.ipc.call<Introspection>('introspect', {});
    const processed = run.progress?.processed ?? 0;
    const repaired = await count(
      databaseUrl,
      `SELECT count(*) AS n FROM momo_transactions WHERE external_id LIKE 'RECON_%' AND status = 'SUCCESSFUL' AND financial_transaction_id IS NOT NULL AND (substring(external_id from 7))::int % 10 = 1`,
    );
    const result: ReconciliationResults = {
      records: n,
      runStatus: run.status,
      processed,
      elapsedS: Math.round(elapsedS * 10) / 10,
      recordsPerSec: Math.round((processed / elapsedS) * 10) / 10,
      mtnStatusCalls: statusCalls,
      mtnCallsPerRecord:
        processed > 0 ? Math.round((statusCalls / processed) * 1000) / 1000 : undefined,
      outcomes: run.outcomes,
      repaired,
      expectedRepairs: Math.floor((n + 8) / 10),
      peakRssMb: Math.max(peakRssMb, readRss(gateway.proc.pid)?.rssMb ?? 0),
      eventLoop: intro.eventLoop,
      timedOut: !done,
    };
    process.stdout.write(
      `  ${processed} records in ${result.elapsedS} s (${result.recordsPerSec}/s), ${result.mtnCallsPerRecord} MTN calls per record, ${repaired}/${result.expectedRepairs} repaired, status ${run.status}\n`,
    );
    return result;
  } finally {
    await gateway.proc.stop();
  }
}

async function count(url: string, sql: string): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return Number((await c.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
  } finally {
    await c.end();
  }
}

/** The gateway's side of the seeded records, in one INSERT … SELECT. */
async function seedDatabase(url: string, n: number, from: Date, to: Date): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const spanMs = to.getTime() - from.getTime() - 1000;
    await c.query(
      `INSERT INTO momo_transactions
         (id, product, operation, status, reason, amount, currency, country, msisdn, external_id, request_hash,
          mtn_currency, account_id, financial_transaction_id, callback_token, poll_attempts, mtn_accepted,
          created_at, updated_at, completed_at)
       SELECT ${benchUuidSql(PREFIX, 'i')}, 'collection', 'requestToPay',
              CASE WHEN i % 10 = 0 THEN 'FAILED' WHEN i % 10 = 1 THEN 'PENDING' ELSE 'SUCCESSFUL' END,
              CASE WHEN i % 10 = 0 THEN 'APPROVAL_REJECTED' END,
              1000, 'UGX', 'UG', (256772000000 + i % 1000000)::text, 'RECON_' || i, md5(i::text) || md5(i::text),
              'EUR', 'default', CASE WHEN i % 10 >= 2 THEN (1000000000 + i)::text END, md5('t' || i::text), 12, true,
              $1::timestamptz + make_interval(secs => (i::float8 / $3) * $4 / 1000), now(),
              CASE WHEN i % 10 = 1 THEN NULL ELSE now() END
         FROM generate_series(0, $2 - 1) AS i`,
      [from.toISOString(), n, n, spanMs],
    );
    await c.query('ANALYZE momo_transactions');
  } finally {
    await c.end();
  }
}
